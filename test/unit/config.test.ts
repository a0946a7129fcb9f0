import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env.js';

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    expect(loadConfig({})).toMatchObject({ TEMPORAL_NAMESPACE: 'default', TEMPORAL_PORT: 7233, TEMPORAL_UI_PORT: 8233, DATA_DIR: '.data' });
    expect(loadConfig({}).TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('takes an empty setting (NAME= in an .env file, ${NAME:-} in a compose file) as not set', () => {
    const config = loadConfig({ FORTNOX_CLIENT_ID: '', SUMMA_SECRET: '', METRICS_PORT: '', HOOK_PORT: '' });
    expect(config.FORTNOX_CLIENT_ID).toBeUndefined();
    expect(config.SUMMA_SECRET).toBeUndefined();
    expect(config.METRICS_PORT).toBeUndefined();
    expect(config.HOOK_PORT).toBe(8787);
    expect(() => loadConfig({ SUMMA_SECRET: 'short' })).toThrow(/SUMMA_SECRET: must be at least 16 characters/);
  });

  it('lists every invalid setting at once, by name', () => {
    const attempt = () => loadConfig({ TEMPORAL_ADDRESS: 'no port here', TEMPORAL_UI_PORT: '99999' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/TEMPORAL_ADDRESS: must be host:port[\s\S]*TEMPORAL_UI_PORT:/);
  });
});
