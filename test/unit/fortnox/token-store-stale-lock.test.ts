import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { FileTokenStore } from '../../../src/fortnox/auth/token-store.js';

/** A lock file as a process that crashed while refreshing leaves it: written `ageMs` ago. */
function leftBehindLock(dir: string, ageMs: number): string {
  const lock = path.join(dir, 'acme.lock');
  writeFileSync(lock, JSON.stringify({ pid: 999_999, at: Date.now() - ageMs }), { mode: 0o600 });
  const then = new Date(Date.now() - ageMs);
  utimesSync(lock, then, then);
  return lock;
}

describe('FileTokenStore: a lock left behind by a crashed process', () => {
  it('is broken by exactly one of many waiting processes, which then hold the lock one at a time', async () => {
    for (let round = 0; round < 3; round += 1) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'tokens-stale-'));
      leftBehindLock(dir, 120_000);
      let inside = 0;
      let most = 0;
      let entered = 0;
      // Separate store objects over one directory: worker processes sharing a volume, all waiting on the dead lock.
      await Promise.all(
        Array.from({ length: 12 }, () =>
          new FileTokenStore(dir).withLock('acme', async () => {
            inside += 1;
            entered += 1;
            most = Math.max(most, inside);
            await sleep(25);
            inside -= 1;
          }),
        ),
      );
      expect({ round, most, entered }).toEqual({ round, most: 1, entered: 12 });
      expect(existsSync(path.join(dir, 'acme.lock.break'))).toBe(false);
    }
  });

  it('waits for a lock that is held, however many processes look at it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tokens-held-'));
    const lock = leftBehindLock(dir, 1_000);
    const waiting = new FileTokenStore(dir).withLock('acme', () => Promise.resolve('got it'));
    const outcome = await Promise.race([waiting, sleep(300).then(() => 'still waiting')]);
    expect(outcome).toBe('still waiting');
    expect(existsSync(lock)).toBe(true);
    rmSync(lock);
    await expect(waiting).resolves.toBe('got it');
  });

  it('takes over from a process that died while breaking a stale lock', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tokens-breaker-'));
    leftBehindLock(dir, 120_000);
    const breaker = path.join(dir, 'acme.lock.break');
    writeFileSync(breaker, '');
    const then = new Date(Date.now() - 30_000);
    utimesSync(breaker, then, then);
    await expect(new FileTokenStore(dir).withLock('acme', () => Promise.resolve('got it'))).resolves.toBe('got it');
  });
});
