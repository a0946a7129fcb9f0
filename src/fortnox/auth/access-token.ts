import type { KyInstance } from 'ky';
import { FortnoxReauthorisationRequiredError, FortnoxUnexpectedResponseError } from '../errors.js';
import { requestToken, type FortnoxClientIdentity, type TokenGrant } from './token-endpoint.js';
import type { StoredTokens, TokenStore } from './token-store.js';

/** Refresh this long before Fortnox's expiry, so a token never runs out between our check and its use. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * When a token issued at `obtainedAt` and expiring at `expiresAt` should be replaced: a minute before its expiry, or
 * a quarter of its lifetime before for tokens that live under four minutes. A fixed minute would make every call
 * ask for a new token once Fortnox (or the sandbox) issues tokens that live less than a minute.
 */
export function renewalDue(obtainedAt: number, expiresAt: number): number {
  return expiresAt - Math.min(EXPIRY_MARGIN_MS, Math.max(0, expiresAt - obtainedAt) / 4);
}

/** Supplies the bearer token for one tenant's API calls. */
export interface AccessTokenSource {
  /** A token that was valid when last seen. */
  current(): Promise<string>;
  /**
   * Fortnox answered 401 to `rejected`. Returns a newer token; concurrent callers with the same rejected token
   * share one token request.
   */
  renew(rejected: string): Promise<string>;
  /** Client credentials (a service account) or a stored, rotating refresh token. */
  readonly kind: 'clientCredentials' | 'refreshToken';
  /** Whether `token` is the one in use and not yet due for renewal. */
  isFresh(token: string): boolean;
}

interface Common {
  http: KyInstance;
  authBaseUrl: string;
  identity: FortnoxClientIdentity;
  /** The tenant's name in messages and token files. */
  tenant: string;
  now?: () => number;
}

/**
 * How long Fortnox's refusal of a service account (consent withdrawn, credentials refused) is answered from memory:
 * the calls of every waiting invoice fail at once instead of each asking the token endpoint again. After it, the
 * next call asks Fortnox again, since the company may have consented again in the meantime.
 */
const REFUSAL_HOLD_MS = 5_000;

/**
 * Client credentials (Fortnox service accounts): a token per tenant from client id, secret and `TenantId`, no
 * refresh token. Kept in memory; a new process simply asks for a new one.
 */
export class ClientCredentialsTokenSource implements AccessTokenSource {
  readonly kind = 'clientCredentials';
  private token: { value: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private refused: { error: FortnoxReauthorisationRequiredError; until: number } | undefined;
  private readonly now: () => number;

  constructor(private readonly options: Common & { tenantId: string }) {
    this.now = options.now ?? Date.now;
  }

  current(): Promise<string> {
    if (this.token !== undefined && this.token.renewAt > this.now()) return Promise.resolve(this.token.value);
    return this.fetchOnce();
  }

  isFresh(token: string): boolean {
    return this.token?.value === token && this.token.renewAt > this.now();
  }

  renew(rejected: string): Promise<string> {
    if (this.token !== undefined && this.token.value !== rejected) return Promise.resolve(this.token.value);
    this.token = undefined;
    return this.fetchOnce();
  }

  private fetchOnce(): Promise<string> {
    const asked = this.now();
    if (this.pending === undefined && this.refused !== undefined && this.refused.until > asked) {
      const { request, reason } = this.refused.error;
      return Promise.reject(new FortnoxReauthorisationRequiredError(request, this.options.tenant, reason, true));
    }
    this.pending ??= requestToken({ ...this.options, grant: { grant_type: 'client_credentials', tenantId: this.options.tenantId } })
      .then(
        (grant) => {
          this.refused = undefined;
          this.token = { value: grant.accessToken, renewAt: renewalDue(asked, grant.expiresAt) };
          return grant.accessToken;
        },
        (error: unknown) => {
          if (error instanceof FortnoxReauthorisationRequiredError) this.refused = { error, until: this.now() + REFUSAL_HOLD_MS };
          throw error;
        },
      )
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}

/**
 * Authorization-code consent with rotating, single-use refresh tokens, kept in a {@link TokenStore}.
 *
 * A refresh holds the tenant's store lock (so no other process refreshes with the same refresh token), re-reads the
 * store (another process may have refreshed already) and writes the new tokens durably before anyone uses the new
 * access token: a crash can then lose an access token, never the refresh token.
 *
 * A refresh token Fortnox refused (`invalid_grant`: consent revoked, token spent or expired) is remembered: until the
 * store holds another one (the operator ran `authorize`), every call fails at once with the same error instead of
 * each waiting invoice asking Fortnox's token endpoint again.
 */
export class RefreshTokenSource implements AccessTokenSource {
  readonly kind = 'refreshToken';
  private tokens: StoredTokens | undefined;
  private pending: Promise<string> | undefined;
  private dead: { refreshToken: string; error: FortnoxReauthorisationRequiredError } | undefined;
  private readonly now: () => number;

  constructor(private readonly options: Common & { store: TokenStore }) {
    this.now = options.now ?? Date.now;
  }

  async current(): Promise<string> {
    const tokens = await this.usableTokens();
    if (this.fresh(tokens)) return tokens.accessToken;
    return this.refresh(tokens.accessToken);
  }

  async renew(rejected: string): Promise<string> {
    await this.usableTokens();
    return this.refresh(rejected);
  }

  /** The tokens to use; throws while the stored refresh token is one Fortnox refused, or none is stored. */
  private async usableTokens(): Promise<StoredTokens> {
    if (this.tokens !== undefined && this.dead === undefined) return this.tokens;
    // Read the store afresh while the grant is dead: a new authorisation replaces the file.
    const stored = await this.options.store.read(this.options.tenant);
    if (stored === undefined) throw this.notAuthorised();
    this.throwIfDead(stored);
    this.dead = undefined;
    this.tokens = stored;
    return stored;
  }

  private throwIfDead(tokens: StoredTokens): void {
    if (this.dead === undefined || this.dead.refreshToken !== tokens.refreshToken) return;
    const { request, reason } = this.dead.error;
    throw new FortnoxReauthorisationRequiredError(request, this.options.tenant, reason);
  }

  isFresh(token: string): boolean {
    return this.tokens?.accessToken === token && this.fresh(this.tokens);
  }

  private fresh(tokens: StoredTokens): boolean {
    return renewalDue(tokens.obtainedAt, tokens.accessTokenExpiresAt) > this.now();
  }

  private refresh(stale: string): Promise<string> {
    this.pending ??= this.options.store
      .withLock(this.options.tenant, async () => {
        const latest = await this.options.store.read(this.options.tenant);
        if (latest === undefined) throw this.notAuthorised();
        this.throwIfDead(latest);
        if (latest.accessToken !== stale && this.fresh(latest)) {
          this.tokens = latest;
          return latest.accessToken;
        }
        let grant: TokenGrant;
        try {
          grant = await requestToken({ ...this.options, grant: { grant_type: 'refresh_token', refresh_token: latest.refreshToken } });
        } catch (error) {
          if (error instanceof FortnoxReauthorisationRequiredError) this.dead = { refreshToken: latest.refreshToken, error };
          throw error;
        }
        const next = storedTokensFrom(grant, this.now());
        await this.options.store.write(this.options.tenant, next);
        this.tokens = next;
        return next.accessToken;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  private notAuthorised(): FortnoxReauthorisationRequiredError {
    return new FortnoxReauthorisationRequiredError('token store', this.options.tenant, 'no Fortnox tokens are stored for this tenant yet');
  }
}

/** The tokens to store after a grant that must carry a refresh token (authorization code or refresh). */
export function storedTokensFrom(grant: TokenGrant, obtainedAt: number): StoredTokens {
  if (grant.refreshToken === undefined) throw new FortnoxUnexpectedResponseError('POST /oauth-v1/token', 'no refresh_token in the answer');
  return {
    accessToken: grant.accessToken,
    accessTokenExpiresAt: grant.expiresAt,
    refreshToken: grant.refreshToken,
    obtainedAt,
    ...(grant.scope === undefined ? {} : { scope: grant.scope }),
  };
}
