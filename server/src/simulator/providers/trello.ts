/**
 * Trello (trello.com / api.trello.com) — three-legged OAuth 1.0a with HMAC-SHA1.
 *
 * 1. POST (or GET) /1/OAuthGetRequestToken, signed with the consumer secret, carrying
 *    oauth_callback → oauth_token + oauth_token_secret (+ oauth_callback_confirmed=true, or
 *    absent or `false` under the `trello.callbackConfirmed` behaviour switch).
 * 2. The user opens /1/OAuthAuthorizeToken?oauth_token=…&name=…&scope=read,write[,account]
 *    &expiration=1hour|1day|30days|never → consent → redirect to the callback with
 *    oauth_token and oauth_verifier (Deny: oauth_token and error=access_denied, no verifier).
 * 3. POST /1/OAuthGetAccessToken signed with consumer secret AND request-token secret,
 *    carrying oauth_verifier → oauth_token (the API token) + oauth_token_secret.
 * Every step's signature is verified (bad → 401), nonces are single use, timestamps within
 * ±5 minutes of the wall clock. Request tokens and verifiers are single use. API tokens never
 * refresh; they expire per `expiration` (Trello's default when absent is 30days). The API
 * (members/me, DELETE tokens/{token}) authenticates with ?key=&token= or an
 * `Authorization: OAuth oauth_consumer_key="…", oauth_token="…"` header.
 */
import type { Request, Response, Router } from 'express';
import { safeEqual } from '../client-auth.js';
import { consentPostHandler, formAction, renderConsentPage, renderErrorPage } from '../consent.js';
import type { ProviderModule, SimContext, SimulatedProvider } from '../context.js';
import { simulatorEndpoints } from '../endpoints.js';
import { isValidRedirectUri, withParams, type ParsedBody } from '../http.js';
import { displayName, emailOf, hexId } from '../identity.js';
import { NonceCache, parseOAuthHeader, verifyOAuth1 } from '../oauth1.js';
import { lookupAccessToken } from '../oauth2.js';
import { randomHex, type Grant } from '../store.js';

const MAX_SKEW_SECONDS = 300;
const REQUEST_TOKEN_TTL_MS = 10 * 60 * 1000;
const TRELLO_SCOPES = ['read', 'write', 'account'];
export const TRELLO_EXPIRATIONS: Record<string, number | null> = { '1hour': 3600, '1day': 86_400, '30days': 30 * 86_400, never: null };

interface RequestToken {
  token: string;
  secret: string;
  consumerKey: string;
  callback: string;
  expiresAt: number;
  used: boolean;
  authorized?: { login: string; scopes: string[]; expiration: string; verifier: string };
}

const shapes = {
  access: () => `ATTA${randomHex(32)}`,
  refresh: () => randomHex(32), // unused: Trello has no refresh tokens
  code: () => randomHex(16),
};

const formEncoded = (res: Response, status: number, fields: Record<string, string>) =>
  res.status(status).type('application/x-www-form-urlencoded').send(new URLSearchParams(fields).toString());
const textError = (res: Response, status: number, message: string) => res.status(status).type('text/plain').send(message);

export function createTrello(ctx: SimContext): ProviderModule {
  const requestTokens = new Map<string, RequestToken>();
  const nonces = new NonceCache(2 * MAX_SKEW_SECONDS * 1000);
  const store = () => ctx.store('trello');
  const client = () => ctx.client('trello');

  function verify(req: Request, body: ParsedBody, tokenSecret?: (token: string) => string | undefined) {
    const formPairs =
      body.contentType === 'application/x-www-form-urlencoded'
        ? body.hostParsed
          ? Object.entries(body.form.values)
          : [...new URLSearchParams(body.raw)]
        : [];
    return verifyOAuth1(req, {
      // The hub may reach the router through its own host name or through publicBaseUrl.
      candidateUrls: [`${req.protocol}://${req.get('host') ?? ''}${req.baseUrl}${req.path}`, `${ctx.publicBaseUrl()}${req.path}`],
      formPairs,
      consumerSecret: (key) => (key === client().clientId ? client().clientSecret : undefined),
      ...(tokenSecret ? { tokenSecret } : {}),
      requireToken: tokenSecret !== undefined,
      nonces,
      nowSeconds: Math.floor(Date.now() / 1000),
      maxSkewSeconds: MAX_SKEW_SECONDS,
    });
  }

  function liveRequestToken(token: string | undefined): RequestToken | undefined {
    const rt = token === undefined ? undefined : requestTokens.get(token);
    if (!rt || rt.used || rt.expiresAt <= ctx.now()) return undefined;
    return rt;
  }

  /** API authentication: ?key=&token= or an unsigned OAuth header with consumer key and token. */
  function apiAuth(req: Request, res: Response): Grant | undefined {
    const header = parseOAuthHeader(req.headers.authorization);
    const fromHeader = Array.isArray(header) ? Object.fromEntries(header) : {};
    const q = new URL(req.originalUrl, 'http://x').searchParams;
    const key = q.get('key') ?? fromHeader.oauth_consumer_key;
    const token = q.get('token') ?? fromHeader.oauth_token;
    if (key !== client().clientId) {
      textError(res, 401, 'invalid key');
      return undefined;
    }
    const found = lookupAccessToken(store(), token ?? undefined);
    if (found.status !== 'valid' || found.grant.clientId !== key) {
      textError(res, 401, 'invalid token');
      return undefined;
    }
    return found.grant;
  }

  function mount(router: Router): void {
    router.all('/trello/1/OAuthGetRequestToken', async (req, res, next) => {
      if (req.method !== 'POST' && req.method !== 'GET') return next();
      const entered = await ctx.instrumentation.enter(req, res, 'trello', 'request_token');
      if (!entered) return;
      const result = verify(req, entered.body);
      if (!result.ok) return textError(res, result.status, result.message);
      const callback = result.oauth.oauth_callback;
      const registered = client().redirectUris;
      if (!callback || !isValidRedirectUri(callback) || (registered && !registered.includes(callback))) {
        return textError(res, 400, 'oauth_callback missing or not an allowed absolute http(s) URL');
      }
      const rt: RequestToken = {
        token: randomHex(16),
        secret: randomHex(16),
        consumerKey: result.oauth.oauth_consumer_key!,
        callback,
        expiresAt: ctx.now() + REQUEST_TOKEN_TTL_MS,
        used: false,
      };
      requestTokens.set(rt.token, rt);
      // RFC 5849 §2.1 requires oauth_callback_confirmed=true; Trello's documentation never shows
      // this answer, so the behaviour switch lets tests run the hub without it (and with `false`).
      const confirmed = ctx.behaviour().trello.callbackConfirmed;
      formEncoded(res, 200, {
        oauth_token: rt.token,
        oauth_token_secret: rt.secret,
        ...(confirmed === 'absent' ? {} : { oauth_callback_confirmed: confirmed }),
      });
    });

    router.get('/trello/1/OAuthAuthorizeToken', async (req, res) => {
      const entered = await ctx.instrumentation.enter(req, res, 'trello', 'authorize');
      if (!entered) return;
      const q = entered.query.values;
      const rt = liveRequestToken(q.oauth_token);
      if (!rt || rt.authorized) return renderErrorPage(res, 400, 'invalid_token', 'Invalid or expired request token.');
      const scopes = (q.scope ?? 'read').split(',');
      if (scopes.some((s) => !TRELLO_SCOPES.includes(s))) {
        return renderErrorPage(res, 400, 'invalid_scope', `Invalid scope: ${q.scope ?? ''} (use read,write,account, comma-separated)`);
      }
      const expiration = q.expiration ?? '30days';
      if (!(expiration in TRELLO_EXPIRATIONS)) return renderErrorPage(res, 400, 'invalid_request', `Invalid expiration: ${expiration}`);

      const pending = ctx.consents.add({
        provider: 'trello',
        path: req.path,
        decide: ({ decision, login }) => {
          if (decision === 'deny') {
            rt.used = true;
            return { redirect: withParams(rt.callback, { oauth_token: rt.token, error: 'access_denied' }) };
          }
          if (rt.used || rt.expiresAt <= ctx.now()) return { error: 'The request token expired.' };
          rt.authorized = { login, scopes: [...new Set(scopes)], expiration, verifier: randomHex(16) };
          return { redirect: withParams(rt.callback, { oauth_token: rt.token, oauth_verifier: rt.authorized.verifier }) };
        },
      });
      renderConsentPage(res, {
        providerName: 'Trello',
        appName: q.name ?? rt.consumerKey,
        scopes,
        loginDefault: 'user@trello.example',
        action: formAction(req),
        requestId: pending.id,
        details: [['Expiration', expiration]],
      });
    });
    router.post('/trello/1/OAuthAuthorizeToken', consentPostHandler(ctx, 'trello'));

    router.all('/trello/1/OAuthGetAccessToken', async (req, res, next) => {
      if (req.method !== 'POST' && req.method !== 'GET') return next();
      const entered = await ctx.instrumentation.enter(req, res, 'trello', 'access_token');
      if (!entered) return;
      const result = verify(req, entered.body, (token) => {
        const rt = liveRequestToken(token);
        return rt && rt.consumerKey === client().clientId ? rt.secret : undefined;
      });
      if (!result.ok) return textError(res, result.status, result.message);
      const rt = liveRequestToken(result.oauth.oauth_token)!;
      const verifier = result.oauth.oauth_verifier;
      if (!rt.authorized) return textError(res, 401, 'request token not authorized');
      if (!verifier || !safeEqual(verifier, rt.authorized.verifier)) return textError(res, 401, 'invalid verifier');
      rt.used = true;
      const { login, scopes, expiration } = rt.authorized;
      formEncoded(res, 200, issue(rt.consumerKey, login, scopes, TRELLO_EXPIRATIONS[expiration] ?? null));
    });

    router.get('/trello/1/members/me', async (req, res) => {
      const entered = await ctx.instrumentation.enter(req, res, 'trello', 'userinfo');
      if (!entered) return;
      const grant = apiAuth(req, res);
      if (!grant) return;
      const username = (grant.login.split('@')[0] ?? grant.login).toLowerCase().replace(/[^a-z0-9_]/g, '');
      res.json({
        id: hexId('trello', grant.login, 24),
        username,
        fullName: displayName(grant.login),
        url: `https://trello.com/u/${username}`,
        // Trello only reveals the e-mail to tokens with the account scope.
        ...(grant.scopes.includes('account') ? { email: emailOf('trello', grant.login) } : {}),
      });
    });

    router.delete('/trello/1/tokens/:token', async (req, res) => {
      const entered = await ctx.instrumentation.enter(req, res, 'trello', 'revoke');
      if (!entered) return;
      const caller = apiAuth(req, res);
      if (!caller) return;
      const target = lookupAccessToken(store(), req.params.token as string);
      if (target.status !== 'valid' || target.grant.clientId !== caller.clientId) return textError(res, 404, 'token not found');
      store().revokeGrant(target.grant);
      res.status(200).json({ _value: null });
    });
  }

  /** Creates an API token (grant) and answers like the access-token step. */
  function issue(consumerKey: string, login: string, scopes: string[], ttl: number | null): Record<string, string> {
    const secret = randomHex(32);
    const grant = store().createGrant({ clientId: consumerKey, login, scopes, accessTtlSeconds: ttl, meta: { tokenSecret: secret } });
    const access = store().issueAccessToken(grant);
    return { oauth_token: access.token, oauth_token_secret: secret };
  }

  return {
    id: 'trello',
    shapes,
    mount,
    issueTokens: (input) => {
      const login = input.login?.trim();
      if (!login) throw new TypeError('issueTokens: login is required');
      const fields = issue(input.clientId ?? client().clientId, login, input.scopes ?? ['read', 'write', 'account'], input.expiresInSeconds ?? null);
      return { access_token: fields.oauth_token!, ...fields };
    },
    clear: () => {
      requestTokens.clear();
      nonces.clear();
    },
  };
}

/** The simulated Trello: its routes, and how the hub is pointed at it in sandbox mode. */
export const trello: SimulatedProvider = {
  id: 'trello',
  create: createTrello,
  hubOverride: (base) => {
    const ep = simulatorEndpoints(base).trello;
    return {
      requestTokenUrl: ep.requestTokenUrl,
      authorizationUrl: ep.authorizeUrl,
      tokenUrl: ep.accessTokenUrl,
      userInfoUrl: ep.userinfoUrl,
      revocationUrl: ep.revokeUrlTemplate,
    };
  },
};
