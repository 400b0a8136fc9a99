/**
 * Google (accounts.google.com / oauth2.googleapis.com / openidconnect.googleapis.com).
 *
 * Quirks reproduced: a refresh token only with access_type=offline, and on a re-connect only
 * with prompt=consent (while an earlier one still works Google returns none); refresh never
 * returns a refresh_token; include_granted_scopes=true merges earlier grants; at most 100 live
 * refresh tokens per user and client; revoking either token kills the pair; revoking an
 * already-invalid token answers 400 invalid_token.
 */
import type { Router } from 'express';
import { BUILT_IN_PROVIDERS } from '../../providers/catalog.js';
import type { ProviderModule, SimContext, SimulatedProvider } from '../context.js';
import { simulatorEndpoints } from '../endpoints.js';
import { authorizationValue } from '../http.js';
import { numericId, emailOf, displayName } from '../identity.js';
import { OAuth2Engine, expiresIn, lookupAccessToken, type OAuth2Profile } from '../oauth2.js';
import { randomToken } from '../store.js';

export const GOOGLE_SCOPE_PREFIX = 'https://www.googleapis.com/auth/';
/** The `iss` of Google's authorization responses: the catalog's, the one list of such facts. */
export const GOOGLE_ISSUER: string = BUILT_IN_PROVIDERS.find((p) => p.id === 'google')!.issuer!;
const EMAIL_SCOPES = ['email', `${GOOGLE_SCOPE_PREFIX}userinfo.email`];
const PROFILE_SCOPES = ['profile', `${GOOGLE_SCOPE_PREFIX}userinfo.profile`];

const shapes = {
  access: () => randomToken('ya29.a0', 48),
  refresh: () => randomToken('1//0g', 48),
  code: () => randomToken('4/0A', 32),
};

export function createGoogle(ctx: SimContext): ProviderModule {
  const now = () => ctx.now();
  const profile: OAuth2Profile = {
    id: 'google',
    displayName: 'Google',
    prefix: '/google',
    paths: { authorize: '/o/oauth2/v2/auth', token: '/token' },
    loginPlaceholder: 'user@google.example',
    pkce: true,
    clientAuthBasic: true,
    acceptJsonTokenRequest: true,
    scopes: {
      separator: ' ',
      required: true,
      valid: (s) => ['openid', 'email', 'profile'].includes(s) || /^https:\/\/www\.googleapis\.com\/auth\/[a-z0-9._-]+$/.test(s),
      defaults: ['openid', 'email', `${GOOGLE_SCOPE_PREFIX}drive.file`],
    },
    codeTtlSeconds: 600,
    tokenRedirectUriRequired: true,
    // Google's token endpoint names this error itself instead of invalid_grant.
    redirectMismatchError: 'redirect_uri_mismatch',
    authorizeParams: (q) => {
      const keep: Record<string, string> = {};
      const accessType = q.values.access_type;
      if (accessType !== undefined) {
        if (accessType !== 'online' && accessType !== 'offline') {
          return { ok: false, error: 'invalid_request', description: `Invalid access_type: ${accessType}` };
        }
        keep.access_type = accessType;
      }
      const prompt = q.values.prompt;
      if (prompt !== undefined) {
        const parts = prompt.split(' ');
        if (parts.some((x) => !['none', 'consent', 'select_account'].includes(x)) || (parts.includes('none') && parts.length > 1)) {
          return { ok: false, error: 'invalid_request', description: `Invalid prompt: ${prompt}` };
        }
        // The simulator has no browser session, so "no UI" can never be satisfied.
        if (parts.includes('none')) return { ok: false, error: 'interaction_required', description: 'prompt=none needs an existing session' };
        keep.prompt = prompt;
      }
      const igs = q.values.include_granted_scopes;
      if (igs !== undefined) {
        if (igs !== 'true' && igs !== 'false') return { ok: false, error: 'invalid_request', description: 'include_granted_scopes must be true or false' };
        keep.include_granted_scopes = igs;
      }
      if (q.values.login_hint) keep.login_hint = q.values.login_hint;
      return { ok: true, keep };
    },
    consent: { loginDefault: (keep) => keep.login_hint },
    decorateCallback: (url, code) => {
      url.searchParams.append('scope', code.scopes.join(' '));
      url.searchParams.append('authuser', '0');
      // RFC 9207: Google names itself in the authorization response, with the catalog's issuer
      // (what the hub expects, in sandbox mode too).
      url.searchParams.append('iss', GOOGLE_ISSUER);
    },
    codeExchange: ({ code, store, accessTtl }) => {
      const earlier = store.grantsOf(code.clientId, code.login).filter((g) => !g.revoked);
      const scopes =
        code.authParams.include_granted_scopes === 'true'
          ? [...new Set([...earlier.flatMap((g) => g.scopes), ...code.scopes])]
          : code.scopes;
      const offline = code.authParams.access_type === 'offline';
      const forcedConsent = (code.authParams.prompt ?? '').split(' ').includes('consent');
      const hasLiveRefresh = earlier.some((g) => store.lookupRefresh(g.refreshToken).status === 'valid');
      return { ok: true, plan: { scopes, refresh: offline && (forcedConsent || !hasLiveRefresh), accessTtl: accessTtl } };
    },
    issuePlan: (input, ttl) => ({
      scopes: input.scopes ?? profile.scopes.defaults,
      refresh: input.offline ?? true,
      accessTtl: input.expiresInSeconds ?? ttl,
    }),
    refresh: { rotate: false, ttlSeconds: null, maxPerUser: 100 },
    tokenResponse: ({ access, refresh, kind }) => ({
      access_token: access.token,
      expires_in: expiresIn(access, now())!,
      ...(refresh && kind === 'code' ? { refresh_token: refresh.token } : {}),
      scope: access.scopes.join(' '),
      token_type: 'Bearer',
    }),
  };
  const engine = new OAuth2Engine(ctx, profile);
  const store = () => ctx.store('google');

  function mount(router: Router): void {
    engine.mount(router);

    // RFC 7009-style revocation without client authentication; token in the body or query.
    router.post('/google/revoke', async (req, res) => {
      const entered = await ctx.instrumentation.enter(req, res, 'google', 'revoke');
      if (!entered) return;
      const token = entered.body.form.values.token ?? entered.query.values.token;
      if (!token) {
        res.status(400).json({ error: 'invalid_request', error_description: 'Missing required parameter: token' });
        return;
      }
      const s = store();
      const access = s.lookupAccess(token);
      const refresh = s.lookupRefresh(token);
      const live = access.status === 'valid' ? access : refresh.status === 'valid' ? refresh : undefined;
      if (!live) {
        res.status(400).json({ error: 'invalid_token', error_description: 'Token expired or revoked' });
        return;
      }
      s.revokeGrant(live.grant);
      res.status(200).end();
    });

    // OpenID Connect userinfo (GET or POST), Bearer header only.
    router.all('/google/v1/userinfo', async (req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'POST') return next();
      const entered = await ctx.instrumentation.enter(req, res, 'google', 'userinfo');
      if (!entered) return;
      const found = lookupAccessToken(store(), authorizationValue(req, 'Bearer'));
      if (found.status !== 'valid') {
        res
          .status(401)
          .set('WWW-Authenticate', 'Bearer realm="https://accounts.google.com/", error="invalid_token"')
          .json({ error: 'invalid_request', error_description: 'Invalid Credentials' });
        return;
      }
      const { grant, record } = found;
      const has = (list: string[]) => record.scopes.some((s) => list.includes(s));
      if (!record.scopes.includes('openid') && !has(EMAIL_SCOPES) && !has(PROFILE_SCOPES)) {
        res.status(403).set('WWW-Authenticate', 'Bearer error="insufficient_scope"').json({ error: 'insufficient_scope' });
        return;
      }
      const email = emailOf('google', grant.login);
      res.json({
        sub: numericId('google', grant.login, 21),
        ...(has(EMAIL_SCOPES) ? { email, email_verified: true } : {}),
        ...(has(PROFILE_SCOPES) ? { name: displayName(grant.login), given_name: displayName(grant.login).split(' ')[0] } : {}),
      });
    });
  }

  return { id: 'google', shapes, mount, issueTokens: (input) => engine.issueTokens(input) };
}

/** The simulated Google: its routes, and how the hub is pointed at it in sandbox mode. */
export const google: SimulatedProvider = {
  id: 'google',
  accessTokenTtlSeconds: 3600,
  create: createGoogle,
  hubOverride: (base) => {
    const ep = simulatorEndpoints(base).google;
    return { authorizationUrl: ep.authorizeUrl, tokenUrl: ep.tokenUrl, revocationUrl: ep.revokeUrl, userInfoUrl: ep.userinfoUrl };
  },
};
