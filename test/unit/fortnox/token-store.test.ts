import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { FileTokenStore, type StoredTokens } from '../../../src/fortnox/auth/token-store.js';

const tokens: StoredTokens = { accessToken: 'a', accessTokenExpiresAt: 1, refreshToken: 'r', obtainedAt: 0 };
const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'tokens-'));

describe('FileTokenStore', () => {
  it('keeps tokens in a file only its owner can read', async () => {
    const dir = tempDir();
    const store = new FileTokenStore(dir);
    await store.write('acme', tokens);
    expect(await new FileTokenStore(dir).read('acme')).toEqual(tokens);
    expect(statSync(path.join(dir, 'acme.json')).mode & 0o777).toBe(0o600);
    expect(await store.read('other')).toBeUndefined();
  });

  it('lets only one holder of a tenant lock in at a time, across store instances', async () => {
    const dir = tempDir();
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        new FileTokenStore(dir).withLock('acme', async () => {
          inside += 1;
          most = Math.max(most, inside);
          await sleep(10 + index);
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
  });

  it('refuses tenant names that could escape its directory', async () => {
    await expect(new FileTokenStore(tempDir()).read('../etc/passwd')).rejects.toThrow('Unsafe tenant name');
  });
});
