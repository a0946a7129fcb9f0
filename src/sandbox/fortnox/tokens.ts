// Access tokens, refresh tokens and authorization codes the sandbox has issued (reference/fortnox-api.md §1).
// Access tokens are JWT-shaped like Fortnox's (header.payload.signature, base64url; the payload carries
// tenantId, clientId, scope, exp) and signed with a key made at start-up, but the store decides validity: a
// token is good while the sandbox remembers it and it has not expired. Refresh tokens look like UUIDs and are
// single-use; codes are single-use and live 10 minutes.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';

export interface Grant {
  clientId: string;
  tenantId: string;
  scope: string;
}

interface AccessRecord extends Grant {
  expiresAt: number;
}

interface RefreshRecord extends Grant {
  /** When it was issued: it expires `refreshTokenLifetimeMs()` later, as the sandbox's setting says at the time of use. */
  issuedAt: number;
}

interface CodeRecord extends Grant {
  redirectUri: string;
  expiresAt: number;
}

/**
 * Refresh tokens expire 45 days after they were issued unless used first ([AUTH] overview; the older FAQ said 31
 * days). Only a refresh resets the clock, and a refresh hands out a new token, so "45 days unused" and "45 days
 * after issue" are the same thing for single-use tokens.
 */
export const DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS = 45 * 24 * 3600;
/** Authorization codes live 10 minutes and are single-use ([AUTH]). */
const CODE_LIFETIME_MS = 10 * 60 * 1000;

/** How many spent refresh tokens are remembered, to tell a replay from a made-up token; the oldest go first. */
const MAX_SPENT_REFRESH_TOKENS = 100_000;

/** What became of the refresh grants asked for one tenant (GET /sandbox/tokens). */
export interface RefreshGrantCounts {
  /** Refresh tokens used once, as they must be. */
  accepted: number;
  /** Refresh tokens used again after they were spent: two holders of one token, the race Fortnox warns of. */
  reused: number;
  /** Refresh tokens used after the company's consent or the token itself was revoked. */
  revoked: number;
  /** Refresh tokens used after their lifetime (45 days unless the sandbox is told otherwise). */
  expired: number;
}

/** Why a refresh token no longer works. */
type SpentReason = 'reused' | 'revoked' | 'expired';

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

export class TokenStore {
  private readonly signingKey = randomBytes(32);
  private readonly access = new Map<string, AccessRecord>();
  private readonly refresh = new Map<string, RefreshRecord>();
  private readonly codes = new Map<string, CodeRecord>();
  /** Refresh tokens that no longer work, with why: a refresh grant with one is counted by that reason. */
  private readonly spent = new Map<string, { tenantId: string; why: SpentReason }>();
  private refreshGrants = new Map<string, RefreshGrantCounts>();
  private unknownRefreshTokens = 0;

  constructor(
    private readonly now: () => number = Date.now,
    /** How long a refresh token lives, read at every use so that a changed setting applies to tokens already out. */
    private readonly refreshTokenLifetimeMs: () => number = () => DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS * 1000,
  ) {}

  issueAccessToken(grant: Grant, lifetimeSeconds: number): string {
    const issuedAt = Math.floor(this.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = base64url(
      JSON.stringify({ iss: 'fortnox-sandbox', jti: randomUUID(), tenantId: grant.tenantId, clientId: grant.clientId, scope: grant.scope, iat: issuedAt, exp: issuedAt + lifetimeSeconds }),
    );
    const signature = createHmac('sha256', this.signingKey).update(`${header}.${payload}`).digest('base64url');
    const token = `${header}.${payload}.${signature}`;
    this.forgetLongExpiredAccessTokens();
    this.access.set(token, { ...grant, expiresAt: this.now() + lifetimeSeconds * 1000 });
    return token;
  }

  /** The grant behind a bearer token, or undefined when it is unknown or expired. */
  verifyAccessToken(token: string): Grant | undefined {
    const record = this.access.get(token);
    return record !== undefined && record.expiresAt > this.now() ? record : undefined;
  }

  /**
   * Expired tokens are kept for a while so that the request log can still say which tenant a refused call was
   * for; a long-running sandbox (benchmarks) forgets them after a day.
   */
  private forgetLongExpiredAccessTokens(): void {
    if (this.access.size < 10_000) return;
    const cutoff = this.now() - 24 * 3600 * 1000;
    for (const [token, record] of this.access) if (record.expiresAt < cutoff) this.access.delete(token);
  }

  /** The grant behind a token whether or not it expired (to attribute a request to a tenant in the log). */
  peekAccessToken(token: string): Grant | undefined {
    return this.access.get(token);
  }

  issueRefreshToken(grant: Grant): string {
    const token = randomUUID();
    this.refresh.set(token, { ...grant, issuedAt: this.now() });
    return token;
  }

  /** The tenant a refresh token belongs or belonged to (to attribute a request to a tenant in the log). */
  peekRefreshToken(token: string): Pick<Grant, 'tenantId'> | undefined {
    return this.refresh.get(token) ?? this.spent.get(token);
  }

  /**
   * Spends a refresh token: valid once, then gone ("The old Refresh Token then becomes invalid"). Every attempt is
   * counted by outcome, so a test can prove that no refresh token was ever used twice.
   */
  consumeRefreshToken(token: string, clientId: string): Grant | undefined {
    const record = this.refresh.get(token);
    if (record === undefined || record.clientId !== clientId) {
      const spent = this.spent.get(token);
      if (spent === undefined) this.unknownRefreshTokens += 1;
      else this.countRefreshGrant(spent.tenantId, spent.why);
      return undefined;
    }
    this.refresh.delete(token);
    const valid = this.now() - record.issuedAt < this.refreshTokenLifetimeMs();
    // An expired token stays expired: used again, it counts as expired, not as a replay of a good one.
    this.markSpent(token, record.tenantId, valid ? 'reused' : 'expired');
    this.countRefreshGrant(record.tenantId, valid ? 'accepted' : 'expired');
    return valid ? record : undefined;
  }

  /** Refresh grants per tenant by outcome, and grants with tokens the sandbox never issued. */
  refreshGrantCounts(): { tenants: Record<string, RefreshGrantCounts>; unknown: number } {
    return { tenants: Object.fromEntries([...this.refreshGrants].map(([tenantId, counts]) => [tenantId, { ...counts }])), unknown: this.unknownRefreshTokens };
  }

  /** Starts the counts afresh (POST /sandbox/reset). */
  clearRefreshGrantCounts(): void {
    this.refreshGrants = new Map();
    this.unknownRefreshTokens = 0;
  }

  private countRefreshGrant(tenantId: string, outcome: keyof RefreshGrantCounts): void {
    const counts = this.refreshGrants.get(tenantId) ?? { accepted: 0, reused: 0, revoked: 0, expired: 0 };
    counts[outcome] += 1;
    this.refreshGrants.set(tenantId, counts);
  }

  private markSpent(token: string, tenantId: string, why: SpentReason): void {
    this.spent.set(token, { tenantId, why });
    if (this.spent.size > MAX_SPENT_REFRESH_TOKENS) {
      const oldest = this.spent.keys().next();
      if (oldest.done !== true) this.spent.delete(oldest.value);
    }
  }

  issueCode(grant: Grant, redirectUri: string): string {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { ...grant, redirectUri, expiresAt: this.now() + CODE_LIFETIME_MS });
    return code;
  }

  peekCode(code: string): Grant | undefined {
    return this.codes.get(code);
  }

  /** Spends a code if it belongs to the client, has not expired and was issued for `redirectUri`. */
  consumeCode(code: string, clientId: string, redirectUri: string): Grant | undefined {
    const record = this.codes.get(code);
    if (record === undefined) return undefined;
    this.codes.delete(code); // single use, even when the exchange fails
    if (record.clientId !== clientId || record.redirectUri !== redirectUri || record.expiresAt <= this.now()) return undefined;
    return record;
  }

  /** Makes every access token (of one tenant, or all) expire now. */
  expireAccessTokens(tenantId?: string): number {
    let count = 0;
    const now = this.now();
    for (const record of this.access.values()) {
      if ((tenantId !== undefined && record.tenantId !== tenantId) || record.expiresAt <= now) continue;
      record.expiresAt = now;
      count += 1;
    }
    return count;
  }

  /** Forgets every token and code of a tenant: its consent was withdrawn. */
  revokeTenant(tenantId: string): void {
    this.expireAccessTokens(tenantId);
    for (const [token, record] of this.refresh) {
      if (record.tenantId !== tenantId) continue;
      this.refresh.delete(token);
      this.markSpent(token, tenantId, 'revoked');
    }
    for (const [code, record] of this.codes) if (record.tenantId === tenantId) this.codes.delete(code);
  }

  /** Revokes one refresh token (POST /oauth-v1/revoke). */
  revokeRefreshToken(token: string, clientId: string): void {
    const record = this.refresh.get(token);
    if (record?.clientId !== clientId) return;
    this.refresh.delete(token);
    this.markSpent(token, record.tenantId, 'revoked');
  }
}
