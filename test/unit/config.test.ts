import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env.js';

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    expect(loadConfig({})).toMatchObject({ TEMPORAL_NAMESPACE: 'default', TEMPORAL_PORT: 7233, TEMPORAL_UI_PORT: 8233, DATA_DIR: '.data' });
    expect(loadConfig({}).TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('lists every invalid setting at once, by name', () => {
    const attempt = () => loadConfig({ TEMPORAL_ADDRESS: 'no port here', TEMPORAL_UI_PORT: '99999' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/TEMPORAL_ADDRESS: must be host:port[\s\S]*TEMPORAL_UI_PORT:/);
  });
});
