import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

export const storedTokensSchema = z.object({
  accessToken: z.string().min(1),
  /** Epoch ms after which Fortnox no longer accepts the access token. */
  accessTokenExpiresAt: z.number(),
  /** Single-use: Fortnox invalidates it as soon as it has been used once. */
  refreshToken: z.string().min(1),
  scope: z.string().optional(),
  /** Epoch ms of the refresh that produced these tokens. */
  obtainedAt: z.number(),
});
export type StoredTokens = z.infer<typeof storedTokensSchema>;

/**
 * Where a tenant's rotating Fortnox tokens live. `withLock` must exclude every other holder of the same tenant's
 * lock, in this process and in others, because two refreshes with one single-use refresh token lose the tenant.
 */
export interface TokenStore {
  read(tenant: string): Promise<StoredTokens | undefined>;
  /** Durable when it resolves: the new refresh token survives a crash right after. */
  write(tenant: string, tokens: StoredTokens): Promise<void>;
  withLock<T>(tenant: string, fn: () => Promise<T>): Promise<T>;
}

/** How long a lock file may be held before it is presumed left behind by a crashed process. */
const STALE_LOCK_MS = 60_000;
/** How long the marker of a process breaking a stale lock may stay: breaking takes milliseconds. */
const STALE_BREAKER_MS = 10_000;

/**
 * Tokens as one JSON file per tenant (mode 0600) in a directory, written atomically (temporary file, fsync,
 * rename); a lock is an exclusively created `<tenant>.lock` file, so processes on one machine (or one shared
 * volume) never refresh the same tenant at once.
 */
export class FileTokenStore implements TokenStore {
  constructor(private readonly directory: string) {}

  private file(tenant: string, suffix: string): string {
    if (!/^[\w.-]+$/.test(tenant) || tenant.startsWith('.')) throw new Error(`Unsafe tenant name for a token file: ${tenant}`);
    return path.join(this.directory, `${tenant}${suffix}`);
  }

  async read(tenant: string): Promise<StoredTokens | undefined> {
    let text: string;
    try {
      text = await readFile(this.file(tenant, '.json'), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return storedTokensSchema.parse(JSON.parse(text));
  }

  async write(tenant: string, tokens: StoredTokens): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const target = this.file(tenant, '.json');
    const temporary = `${target}.${randomUUID()}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(tokens));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    const directory = await open(this.directory, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }

  async withLock<T>(tenant: string, fn: () => Promise<T>): Promise<T> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const lock = this.file(tenant, '.lock');
    for (;;) {
      try {
        const handle = await open(lock, 'wx', 0o600);
        await handle.writeFile(JSON.stringify({ pid: process.pid, at: Date.now() }));
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        await this.removeIfStale(lock);
        await sleep(25);
      }
    }
    try {
      return await fn();
    } finally {
      await rm(lock, { force: true });
    }
  }

  /**
   * Removes a lock left behind by a crashed process. Only one process breaks a lock at a time (`<lock>.break`, made
   * exclusively), and it removes the lock only if it is still the very file it judged stale: otherwise a second
   * process that judged the same stale lock could remove the lock the first one had just taken after breaking it,
   * and two processes would refresh with one single-use refresh token.
   */
  private async removeIfStale(lock: string): Promise<void> {
    const judged = await stat(lock).catch(() => undefined);
    // Released between our attempts: the next attempt takes it.
    if (judged === undefined || Date.now() - judged.mtimeMs <= STALE_LOCK_MS) return;
    const breaker = `${lock}.break`;
    try {
      await (await open(breaker, 'wx', 0o600)).close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Another process is breaking it; a marker left by one that died while breaking goes after a while.
      const marker = await stat(breaker).catch(() => undefined);
      if (marker !== undefined && Date.now() - marker.mtimeMs > STALE_BREAKER_MS) await rm(breaker, { force: true });
      return;
    }
    try {
      const now = await stat(lock).catch(() => undefined);
      if (now !== undefined && now.ino === judged.ino && now.mtimeMs === judged.mtimeMs) await rm(lock, { force: true });
    } finally {
      await rm(breaker, { force: true });
    }
  }
}
