/**
 * In-memory grant store of one provider: authorization codes, grants, access and refresh
 * tokens. A grant is one user's consent for one client (and one shop / data centre); every
 * token belongs to exactly one grant, so "revoke the pair" and "uninstall the app" are a
 * walk over grants instead of special cases in each provider.
 *
 * Everything here is synchronous on purpose: two concurrent refreshes are serialised by the
 * event loop, so with a rotating provider exactly one wins and the other sees invalid_grant —
 * the race the hub must survive.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { normalizeLogin } from './identity.js';
import type { SimulatedProviderId } from './types.js';

export interface Grant {
  id: string;
  provider: SimulatedProviderId;
  clientId: string;
  login: string;
  /** Shopify shop domain or Zoho data centre; codes and tokens only work there. */
  tenant: string | undefined;
  scopes: string[];
  /** Lifetime of each access token of this grant; null = never expires. */
  accessTtlSeconds: number | null;
  createdAt: number;
  revoked: boolean;
  /** The refresh token that currently works, if any. */
  refreshToken: string | undefined;
  accessTokens: Set<string>;
  /** Provider extras (Trello token secret, Shopify online user, Google offline flag …). */
  meta: Record<string, unknown>;
}

export interface AccessTokenRecord {
  token: string;
  grantId: string;
  scopes: string[];
  /** null = never expires (Trello `never`, Shopify non-expiring offline tokens). */
  expiresAt: number | null;
}

export type RefreshStatus = 'active' | 'rotated' | 'revoked' | 'evicted';

export interface RefreshTokenRecord {
  token: string;
  grantId: string;
  expiresAt: number | null;
  status: RefreshStatus;
  /** When it was last exchanged at the token endpoint (ends a predecessor's grace period). */
  usedAt?: number;
  /**
   * Set when this token was rotated under a grace period (Box, Shopify): what its use produced.
   * It keeps working while `replacement` has not been used yet.
   */
  grace?: { replacement: string; access: string };
}

export interface AuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  tenant: string | undefined;
  scopes: string[];
  login: string;
  /** S256 challenge (PKCE providers only). */
  codeChallenge: string | undefined;
  expiresAt: number;
  usedAt?: number;
  /** Grant issued from this code — revoked if the code is replayed (RFC 6749 §4.1.2). */
  grantId?: string;
  /** Authorize-time parameters the token step needs (access_type, prompt, grant_options[] …). */
  authParams: Record<string, string>;
}

export type TokenLookup<R> =
  | { status: 'valid'; record: R; grant: Grant }
  | { status: 'expired' | 'revoked' | 'rotated' | 'evicted'; record: R; grant: Grant }
  | { status: 'unknown' };

export interface TokenShapes {
  access: () => string;
  refresh: () => string;
  code: () => string;
}

export function randomToken(prefix: string, bytes = 32): string {
  return prefix + randomBytes(bytes).toString('base64url');
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export class GrantStore {
  readonly grants = new Map<string, Grant>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly codes = new Map<string, AuthCode>();
  /** Tokens killed by revocation (revoke endpoint, uninstall, code replay), in order. */
  readonly revokedTokens: string[] = [];
  /** (client, login) → grants in creation order, for "max N refresh tokens per user" limits. */
  private readonly byUser = new Map<string, Grant[]>();
  private codeInserts = 0;

  constructor(
    readonly provider: SimulatedProviderId,
    private readonly now: () => number,
    readonly shapes: TokenShapes,
  ) {}

  createGrant(input: {
    clientId: string;
    login: string;
    tenant?: string | undefined;
    scopes: string[];
    accessTtlSeconds: number | null;
    meta?: Record<string, unknown>;
  }): Grant {
    const grant: Grant = {
      id: randomUUID(),
      provider: this.provider,
      clientId: input.clientId,
      login: input.login.trim(),
      tenant: input.tenant,
      scopes: [...input.scopes],
      accessTtlSeconds: input.accessTtlSeconds,
      createdAt: this.now(),
      revoked: false,
      refreshToken: undefined,
      accessTokens: new Set(),
      meta: { ...input.meta },
    };
    this.grants.set(grant.id, grant);
    const key = this.userKey(grant.clientId, grant.login);
    const list = this.byUser.get(key);
    if (list) list.push(grant);
    else this.byUser.set(key, [grant]);
    return grant;
  }

  /** Grants of one user for one client, oldest first. */
  grantsOf(clientId: string, login: string): Grant[] {
    return this.byUser.get(this.userKey(clientId, login)) ?? [];
  }

  issueAccessToken(grant: Grant, scopes: string[] = grant.scopes): AccessTokenRecord {
    const ttl = grant.accessTtlSeconds;
    const record: AccessTokenRecord = {
      token: this.shapes.access(),
      grantId: grant.id,
      scopes: [...scopes],
      expiresAt: ttl === null ? null : this.now() + ttl * 1000,
    };
    this.accessTokens.set(record.token, record);
    grant.accessTokens.add(record.token);
    return record;
  }

  /** Issues a refresh token; the previous one of the grant (if any) stops working at once (rotation). */
  issueRefreshToken(grant: Grant, ttlSeconds: number | null): RefreshTokenRecord {
    if (grant.refreshToken) {
      const old = this.refreshTokens.get(grant.refreshToken);
      if (old && old.status === 'active') old.status = 'rotated';
    }
    const record: RefreshTokenRecord = {
      token: this.shapes.refresh(),
      grantId: grant.id,
      expiresAt: ttlSeconds === null ? null : this.now() + ttlSeconds * 1000,
      status: 'active',
    };
    this.refreshTokens.set(record.token, record);
    grant.refreshToken = record.token;
    return record;
  }

  lookupAccess(token: string | undefined): TokenLookup<AccessTokenRecord> {
    const record = token === undefined ? undefined : this.accessTokens.get(token);
    const grant = record && this.grants.get(record.grantId);
    if (!record || !grant) return { status: 'unknown' };
    if (grant.revoked) return { status: 'revoked', record, grant };
    if (record.expiresAt !== null && record.expiresAt <= this.now()) return { status: 'expired', record, grant };
    return { status: 'valid', record, grant };
  }

  lookupRefresh(token: string | undefined): TokenLookup<RefreshTokenRecord> {
    const record = token === undefined ? undefined : this.refreshTokens.get(token);
    const grant = record && this.grants.get(record.grantId);
    if (!record || !grant) return { status: 'unknown' };
    if (grant.revoked) return { status: 'revoked', record, grant };
    if (record.status !== 'active') return { status: record.status, record, grant };
    if (record.expiresAt !== null && record.expiresAt <= this.now()) return { status: 'expired', record, grant };
    return { status: 'valid', record, grant };
  }

  /** Kills the whole grant: every access token and the refresh token. Idempotent. */
  revokeGrant(grant: Grant): void {
    if (grant.revoked) return;
    grant.revoked = true;
    const now = this.now();
    for (const token of grant.accessTokens) {
      const rec = this.accessTokens.get(token);
      // Only list tokens that still worked; already-expired ones were dead anyway.
      if (rec && (rec.expiresAt === null || rec.expiresAt > now)) this.revokedTokens.push(token);
    }
    if (grant.refreshToken) {
      const rec = this.refreshTokens.get(grant.refreshToken);
      if (rec && rec.status === 'active') {
        rec.status = 'revoked';
        this.revokedTokens.push(rec.token);
      }
    }
  }

  /**
   * "At most `max` refresh tokens per user and client; a new one silently kills the oldest"
   * (Zoho: 20, Google: 100). Counts grants whose refresh token still works.
   */
  enforceRefreshTokenLimit(clientId: string, login: string, max: number): void {
    const live = this.grantsOf(clientId, login).filter((g) => this.lookupRefresh(g.refreshToken).status === 'valid');
    for (let i = 0; i < live.length - max; i++) {
      const rec = this.refreshTokens.get(live[i]!.refreshToken!);
      if (rec) rec.status = 'evicted';
    }
  }

  saveCode(code: Omit<AuthCode, 'code'>): AuthCode {
    // Sweep expired codes now and then so long benchmark runs do not grow memory forever.
    if (++this.codeInserts % 256 === 0) {
      const now = this.now();
      for (const [k, c] of this.codes) if (c.expiresAt <= now) this.codes.delete(k);
    }
    const record: AuthCode = { ...code, code: this.shapes.code() };
    this.codes.set(record.code, record);
    return record;
  }

  /**
   * A rotated refresh token still inside its grace period: it was replaced under a grace policy
   * and its replacement has not been used (nor revoked, nor expired) since. Returns the
   * replacement's record and the access token issued with it.
   */
  graceOf(token: string | undefined): { replacement: RefreshTokenRecord; access: AccessTokenRecord; grant: Grant } | undefined {
    const found = this.lookupRefresh(token);
    if (found.status !== 'rotated' || !found.record.grace) return undefined;
    const replacement = this.refreshTokens.get(found.record.grace.replacement);
    const access = this.accessTokens.get(found.record.grace.access);
    if (!replacement || !access || replacement.usedAt !== undefined) return undefined;
    if (this.lookupRefresh(replacement.token).status !== 'valid') return undefined;
    return { replacement, access, grant: found.grant };
  }

  /** Drops everything issued (used by reset({ tokens: true })). */
  clear(): void {
    this.grants.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.codes.clear();
    this.revokedTokens.length = 0;
    this.byUser.clear();
  }

  private userKey(clientId: string, login: string): string {
    return `${clientId}\0${normalizeLogin(login)}`;
  }
}
