/**
 * Box (account.box.com / api.box.com).
 *
 * Quirks reproduced: no PKCE; client authentication only in the form body; refresh tokens
 * are SINGLE USE — every refresh returns a new pair and the old refresh token is spent; reusing
 * it before the new one has been used returns the same pair again (grace), after that 400
 * invalid_grant; refresh tokens live 60 days;
 * revocation (form client_id, client_secret, token) kills the pair.
 */
import type { Router } from 'express';
import { authenticateClient } from '../client-auth.js';
import type { ProviderModule, SimContext, SimulatedProvider } from '../context.js';
import { simulatorEndpoints } from '../endpoints.js';
import { authorizationValue, sendOAuthError } from '../http.js';
import { displayName, emailOf, numericId } from '../identity.js';
import { OAuth2Engine, expiresIn, lookupAccessToken, type OAuth2Profile } from '../oauth2.js';
import { randomToken } from '../store.js';

export const BOX_REFRESH_TTL_SECONDS = 60 * 24 * 3600;

const alnum = (n: number) => randomToken('', n).replace(/[-_]/g, 'x');
const shapes = { access: () => alnum(24), refresh: () => alnum(48), code: () => alnum(24) };

export function createBox(ctx: SimContext): ProviderModule {
  const profile: OAuth2Profile = {
    id: 'box',
    displayName: 'Box',
    prefix: '/box',
    paths: { authorize: '/api/oauth2/authorize', token: '/oauth2/token' },
    loginPlaceholder: 'user@box.example',
    pkce: false,
    clientAuthBasic: false,
    scopes: {
      separator: ' ',
      required: false,
      valid: (s) => /^[a-z_]+(\.[a-z_]+)?$/.test(s),
      defaults: ['root_readwrite'],
    },
    codeTtlSeconds: 600,
    // Box's token request does not repeat redirect_uri; when sent it must still match.
    tokenRedirectUriRequired: false,
    codeExchange: ({ code, accessTtl }) => ({ ok: true, plan: { scopes: code.scopes, refresh: true, accessTtl } }),
    issuePlan: (input, ttl) => ({ scopes: input.scopes ?? ['root_readwrite'], refresh: true, accessTtl: input.expiresInSeconds ?? ttl }),
    // A retry with the just-used refresh token returns the same pair until the new one is used
    // (what Box's SDKs rely on after a lost response); any other reuse is invalid_grant.
    refresh: { rotate: true, ttlSeconds: BOX_REFRESH_TTL_SECONDS, grace: 'same-pair' },
    tokenResponse: ({ access, refresh }) => ({
      access_token: access.token,
      expires_in: expiresIn(access, ctx.now())!,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      ...(refresh ? { refresh_token: refresh.token } : {}),
      restricted_to: [],
      token_type: 'bearer',
    }),
  };
  const engine = new OAuth2Engine(ctx, profile);
  const store = () => ctx.store('box');

  function mount(router: Router): void {
    engine.mount(router);

    router.post('/box/oauth2/revoke', async (req, res) => {
      const entered = await ctx.instrumentation.enter(req, res, 'box', 'revoke');
      if (!entered) return;
      const form = entered.body.form;
      const auth = authenticateClient(req, form, ctx.client('box'), { basic: false });
      if (!auth.ok) return sendOAuthError(res, auth.status, auth.error, auth.description, auth.headers);
      const token = form.values.token;
      if (!token) return sendOAuthError(res, 400, 'invalid_request', 'Missing required parameter: token');
      const s = store();
      const access = s.lookupAccess(token);
      const refresh = s.lookupRefresh(token);
      const live = access.status === 'valid' ? access : refresh.status === 'valid' ? refresh : undefined;
      if (!live || live.grant.clientId !== auth.clientId) {
        return sendOAuthError(res, 400, 'invalid_token', 'The token is invalid or has already been revoked.');
      }
      s.revokeGrant(live.grant);
      res.status(200).end();
    });

    router.get('/box/2.0/users/me', async (req, res) => {
      const entered = await ctx.instrumentation.enter(req, res, 'box', 'userinfo');
      if (!entered) return;
      const found = lookupAccessToken(store(), authorizationValue(req, 'Bearer'));
      if (found.status !== 'valid') {
        // Box answers 401 with an empty body and the reason in WWW-Authenticate.
        res
          .status(401)
          .set('WWW-Authenticate', 'Bearer realm="Service", error="invalid_token", error_description="The access token provided is invalid."')
          .end();
        return;
      }
      const login = found.grant.login;
      res.json({
        type: 'user',
        id: numericId('box', login, 11),
        name: displayName(login),
        login: emailOf('box', login),
        status: 'active',
        language: 'en',
        timezone: 'UTC',
      });
    });
  }

  return { id: 'box', shapes, mount, issueTokens: (input) => engine.issueTokens(input) };
}

/** The simulated Box: its routes, and how the hub is pointed at it in sandbox mode. */
export const box: SimulatedProvider = {
  id: 'box',
  accessTokenTtlSeconds: 3600,
  create: createBox,
  hubOverride: (base) => {
    const ep = simulatorEndpoints(base).box;
    return { authorizationUrl: ep.authorizeUrl, tokenUrl: ep.tokenUrl, revocationUrl: ep.revokeUrl, userInfoUrl: ep.userinfoUrl };
  },
};
