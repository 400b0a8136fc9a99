/**
 * OAuth 1.0a request verification (RFC 5849), HMAC-SHA1 only — what Trello requires.
 *
 * Implemented with node:crypto rather than the oauth-1.0a package because verification needs
 * the exact RFC rules the package does not apply on the receiving side: protocol parameters
 * from the Authorization header, the query and a form body; duplicates of protocol parameters
 * rejected; '+' in form data decoded as space before re-encoding; realm excluded. The hub signs
 * with oauth-1.0a and the tests check the two agree.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

export type OAuth1Result =
  | { ok: true; oauth: Record<string, string>; params: Array<[string, string]> }
  | { ok: false; status: 400 | 401; message: string };

/** RFC 3986 unreserved-only percent encoding (RFC 5849 §3.6). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `OAuth realm="…", oauth_consumer_key="…", …` → decoded pairs; undefined if absent, 'malformed' if unparsable. */
export function parseOAuthHeader(header: string | undefined): Array<[string, string]> | undefined | 'malformed' {
  if (!header || !/^OAuth\s/i.test(header)) return undefined;
  const body = header.replace(/^OAuth\s+/i, '').trim();
  if (body === '') return [];
  const pairs: Array<[string, string]> = [];
  for (const part of body.split(',')) {
    const m = /^\s*([A-Za-z0-9_.~%-]+)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (!m) return 'malformed';
    try {
      pairs.push([decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)]);
    } catch {
      return 'malformed';
    }
  }
  return pairs;
}

/** RFC 5849 §3.4.1: METHOD & enc(base URI) & enc(normalized parameters). */
export function signatureBaseString(method: string, baseUri: string, params: Array<[string, string]>): string {
  const normalized = params
    .filter(([k]) => k !== 'oauth_signature')
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${method.toUpperCase()}&${percentEncode(baseUri)}&${percentEncode(normalized)}`;
}

export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret = ''): string {
  return createHmac('sha1', `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`).update(baseString).digest('base64');
}

/** RFC 5849 §3.4.1.2: lower-case scheme and host, default port dropped, no query or fragment. */
export function normalizeBaseUri(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return undefined;
  }
}

/** Remembers nonces for the timestamp window so a replayed request is refused. */
export class NonceCache {
  private readonly seen = new Map<string, number>();
  private uses = 0;

  constructor(private readonly windowMs: number) {}

  /** false when this (consumer, token, timestamp, nonce) was already used. */
  use(key: string, nowMs: number): boolean {
    if (++this.uses % 1024 === 0) for (const [k, exp] of this.seen) if (exp <= nowMs) this.seen.delete(k);
    const exp = this.seen.get(key);
    if (exp !== undefined && exp > nowMs) return false;
    this.seen.set(key, nowMs + this.windowMs);
    return true;
  }

  clear(): void {
    this.seen.clear();
  }
}

export interface VerifyOptions {
  /** Absolute URLs this request may have been signed for (mount can be seen from several hosts). */
  candidateUrls: string[];
  /** Form body pairs (only when the body is application/x-www-form-urlencoded). */
  formPairs: Array<[string, string]>;
  consumerSecret(key: string): string | undefined;
  /** Secret of oauth_token; undefined = unknown token. Omit when the step has no token. */
  tokenSecret?(token: string): string | undefined;
  requireToken: boolean;
  nonces: NonceCache;
  /** Wall clock in seconds and the accepted skew. */
  nowSeconds: number;
  maxSkewSeconds: number;
}

/** Verifies one signed request; never throws. 400 = malformed request, 401 = not authentic (RFC 5849 §3.2). */
export function verifyOAuth1(req: Request, opts: VerifyOptions): OAuth1Result {
  const header = parseOAuthHeader(req.headers.authorization);
  if (header === 'malformed') return { ok: false, status: 400, message: 'Malformed OAuth Authorization header' };
  const q = req.originalUrl.indexOf('?');
  const queryPairs = [...new URLSearchParams(q === -1 ? '' : req.originalUrl.slice(q + 1))];
  const headerPairs = (header ?? []).filter(([k]) => k !== 'realm');
  const all: Array<[string, string]> = [...headerPairs, ...queryPairs, ...opts.formPairs];

  const oauth: Record<string, string> = {};
  let repeated = false;
  for (const [k, v] of all) {
    if (!k.startsWith('oauth_')) continue;
    if (k in oauth) {
      // Conflicting values are refused (RFC 5849 §3.2). The same value in two places is what
      // oauth-1.0a produces for a URL with oauth_* query parameters (its toHeader() repeats
      // them); tolerated, with the signature checked over the de-duplicated set as well.
      if (oauth[k] !== v) return { ok: false, status: 400, message: `Duplicated OAuth protocol parameter: ${k}` };
      repeated = true;
    }
    oauth[k] = v;
  }
  for (const required of ['oauth_consumer_key', 'oauth_signature_method', 'oauth_signature', 'oauth_timestamp', 'oauth_nonce']) {
    if (!oauth[required]) return { ok: false, status: 400, message: `Missing OAuth parameter: ${required}` };
  }
  if (oauth.oauth_signature_method !== 'HMAC-SHA1') return { ok: false, status: 400, message: 'Unsupported signature method' };
  if (oauth.oauth_version !== undefined && oauth.oauth_version !== '1.0') return { ok: false, status: 400, message: 'Unsupported OAuth version' };

  const consumerSecret = opts.consumerSecret(oauth.oauth_consumer_key!);
  if (consumerSecret === undefined) return { ok: false, status: 401, message: 'invalid consumer key' };

  let tokenSecret = '';
  if (opts.requireToken) {
    if (!oauth.oauth_token) return { ok: false, status: 400, message: 'Missing OAuth parameter: oauth_token' };
    const secret = opts.tokenSecret?.(oauth.oauth_token);
    if (secret === undefined) return { ok: false, status: 401, message: 'invalid token' };
    tokenSecret = secret;
  }

  const ts = Number(oauth.oauth_timestamp);
  if (!/^\d+$/.test(oauth.oauth_timestamp!) || Math.abs(opts.nowSeconds - ts) > opts.maxSkewSeconds) {
    return { ok: false, status: 401, message: 'timestamp out of range' };
  }

  const given = Buffer.from(oauth.oauth_signature!);
  const paramSets = repeated ? [all, [...new Map(all.map((p) => [`${p[0]}\0${p[1]}`, p])).values()]] : [all];
  const matches = opts.candidateUrls
    .map(normalizeBaseUri)
    .filter((u): u is string => u !== undefined)
    .some((base) =>
      paramSets.some((params) => {
        const expected = Buffer.from(hmacSha1Signature(signatureBaseString(req.method, base, params), consumerSecret, tokenSecret));
        return expected.length === given.length && timingSafeEqual(expected, given);
      }),
    );
  if (!matches) return { ok: false, status: 401, message: 'invalid signature' };

  // Nonce checked last, so a request with a bad signature cannot burn a legitimate nonce.
  const nonceKey = `${oauth.oauth_consumer_key}\0${oauth.oauth_token ?? ''}\0${oauth.oauth_timestamp}\0${oauth.oauth_nonce}`;
  if (!opts.nonces.use(nonceKey, opts.nowSeconds * 1000)) return { ok: false, status: 401, message: 'nonce already used' };

  return { ok: true, oauth, params: all };
}
