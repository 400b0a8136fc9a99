/**
 * Asana (app.asana.com).
 *
 * Quirks reproduced: `state` is mandatory; client authentication only in the form body; a
 * refresh token always, never rotated, and the refresh response carries none; the token
 * response embeds the user (`data`); revocation takes the REFRESH token in a form body with
 * client_id/client_secret — an access token gets 400.
 */
import type { Router } from 'express';
import { authenticateClient } from '../client-auth.js';
import type { ProviderModule, SimContext, SimulatedProvider } from '../context.js';
import { simulatorEndpoints } from '../endpoints.js';
import { authorizationValue, sendOAuthError } from '../http.js';
import { displayName, emailOf, numericId } from '../identity.js';
import { OAuth2Engine, expiresIn, lookupAccessToken, type OAuth2Profile } from '../oauth2.js';
import { randomToken } from '../store.js';

export function asanaUser(login: string) {
  // 15 digits: below 2^53, so the legacy numeric `id` equals the string `gid`.
  const gid = numericId('asana', login, 15);
  return { id: Number(gid), gid, name: displayName(login), email: emailOf('asana', login) };
}

const shapes = {
  access: () => randomToken('2/', 36),
  refresh: () => randomToken('2/r', 36),
  code: () => randomToken('ac_', 24),
};

export function createAsana(ctx: SimContext): ProviderModule {
  const profile: OAuth2Profile = {
    id: 'asana',
    displayName: 'Asana',
    prefix: '/asana',
    paths: { authorize: '/-/oauth_authorize', token: '/-/oauth_token' },
    loginPlaceholder: 'user@asana.example',
    pkce: true,
    clientAuthBasic: false,
    stateRequired: true,
    scopes: {
      separator: ' ',
      required: false,
      valid: (s) => ['default', 'openid', 'email', 'profile'].includes(s) || /^[a-z_]+:[a-z_]+$/.test(s),
      defaults: ['default'],
    },
    codeTtlSeconds: 600,
    tokenRedirectUriRequired: true,
    codeExchange: ({ code, accessTtl }) => ({ ok: true, plan: { scopes: code.scopes, refresh: true, accessTtl } }),
    issuePlan: (input, ttl) => ({ scopes: input.scopes ?? ['default'], refresh: true, accessTtl: input.expiresInSeconds ?? ttl }),
    refresh: { rotate: false, ttlSeconds: null },
    tokenResponse: ({ grant, access, refresh, kind }) => ({
      access_token: access.token,
      expires_in: expiresIn(access, ctx.now())!,
      token_type: 'bearer',
      data: asanaUser(grant.login),
      ...(refresh && kind === 'code' ? { refresh_token: refresh.token } : {}),
    }),
  };
  const engine = new OAuth2Engine(ctx, profile);
  const store = () => ctx.store('asana');

  function mount(router: Router): void {
    engine.mount(router);

    router.post('/asana/-/oauth_revoke', async (req, res) => {
      const entered = await ctx.instrumentation.enter(req, res, 'asana', 'revoke');
      if (!entered) return;
      const form = entered.body.form;
      const auth = authenticateClient(req, form, ctx.client('asana'), { basic: false });
      if (!auth.ok) return sendOAuthError(res, auth.status, auth.error, auth.description, auth.headers);
      const token = form.values.token;
      if (!token) return sendOAuthError(res, 400, 'invalid_request', 'Missing required parameter: token');
      const s = store();
      if (s.accessTokens.has(token)) {
        return sendOAuthError(res, 400, 'invalid_request', 'Only refresh tokens can be revoked; this is an access token.');
      }
      const found = s.lookupRefresh(token);
      if (found.status === 'valid' && found.grant.clientId === auth.clientId) s.revokeGrant(found.grant);
      // RFC 7009 §2.2: an unknown or already revoked refresh token is not an error.
      res.status(200).end();
    });

    router.get('/asana/api/1.0/users/me', async (req, res) => {
      const entered = await ctx.instrumentation.enter(req, res, 'asana', 'userinfo');
      if (!entered) return;
      const found = lookupAccessToken(store(), authorizationValue(req, 'Bearer'));
      if (found.status !== 'valid') {
        res.status(401).json({ errors: [{ message: 'Not Authorized' }] });
        return;
      }
      const scopes = found.record.scopes;
      if (!scopes.includes('default') && !scopes.includes('users:read')) {
        res.status(403).json({ errors: [{ message: 'The token does not have the users:read scope.' }] });
        return;
      }
      const { gid, name, email } = asanaUser(found.grant.login);
      res.json({ data: { gid, email, name, resource_type: 'user', workspaces: [] } });
    });
  }

  return { id: 'asana', shapes, mount, issueTokens: (input) => engine.issueTokens(input) };
}

/** The simulated Asana: its routes, and how the hub is pointed at it in sandbox mode. */
export const asana: SimulatedProvider = {
  id: 'asana',
  accessTokenTtlSeconds: 3600,
  create: createAsana,
  hubOverride: (base) => {
    const ep = simulatorEndpoints(base).asana;
    // Asana identifies accounts from the token response: no userinfo URL to replace.
    return { authorizationUrl: ep.authorizeUrl, tokenUrl: ep.tokenUrl, revocationUrl: ep.revokeUrl };
  },
};
