import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderDefinition } from '../providers/types.js';
import { authenticateClient } from '../simulator/client-auth.js';
import { authorizationValue, sendOAuthError } from '../simulator/http.js';
import { emailOf, numericId } from '../simulator/identity.js';
import { OAuth2Engine, expiresIn, lookupAccessToken, simulateConsent, type OAuth2Profile, type SimulatedProvider } from '../simulator/index.js';
import { randomToken } from '../simulator/store.js';
import { follow, outcomeOf, storedConnections } from '../test/connect-flow.js';
import { TEST_DATABASE_KINDS } from '../test/databases.js';
import { freePort } from '../test/hub-process.js';
import { startTestHub, type TestHub } from '../test/test-hub.js';

/**
 * The goal of "provider ids from one source": a new plain OAuth 2 provider is one catalog entry
 * and one simulator entry — no id list, env variable, sandbox branch or dashboard table to edit.
 * This test adds one in memory and walks it through the hub in sandbox mode.
 */

const ID = 'throwaway';

/** The catalog entry, as it would sit in providers/catalog.ts (its real URLs are never called: sandbox mode replaces them). */
const catalogEntry: ProviderDefinition = {
  id: ID,
  displayName: 'Throwaway Cloud',
  description: 'A provider that exists only in this test.',
  authMode: 'oauth2',
  endpoints: { authorizationUrl: 'https://auth.throwaway.example/authorize', tokenUrl: 'https://auth.throwaway.example/token' },
  scopes: ['files.read'],
  scopeSeparator: ' ',
  authorizationParams: {},
  tokenParams: {},
  pkce: true,
  clientAuth: 'client_secret_basic',
  tokenMetadata: [],
  identity: {
    source: 'userinfo',
    url: 'https://api.throwaway.example/me',
    method: 'GET',
    presentation: { kind: 'header', name: 'Authorization', scheme: 'Bearer' },
    fields: { accountId: ['sub'], email: ['email'], label: ['email'] },
  },
  refresh: { supported: true, rotatesRefreshToken: false },
  revocation: { kind: 'request', method: 'POST', url: 'https://auth.throwaway.example/revoke', tokens: ['refresh_token', 'access_token'], tokenIn: 'form', clientAuth: 'client_secret_basic' },
};

/** The simulator entry, as it would sit in simulator/providers/throwaway.ts: RFC 6749 + RFC 7009, nothing special. */
const simulatorEntry: SimulatedProvider = {
  id: ID,
  // Under the hub's refresh margin (300 s): the next use of the token refreshes it first.
  accessTokenTtlSeconds: 60,
  hubOverride: (base) => ({
    authorizationUrl: `${base}/${ID}/authorize`,
    tokenUrl: `${base}/${ID}/token`,
    revocationUrl: `${base}/${ID}/revoke`,
    userInfoUrl: `${base}/${ID}/me`,
  }),
  create(ctx) {
    const profile: OAuth2Profile = {
      id: ID,
      displayName: 'Throwaway Cloud',
      prefix: `/${ID}`,
      paths: { authorize: '/authorize', token: '/token' },
      loginPlaceholder: `user@${ID}.example`,
      pkce: true,
      clientAuthBasic: true,
      scopes: { separator: ' ', required: true, valid: (s) => /^[a-z.]+$/.test(s), defaults: ['files.read'] },
      codeTtlSeconds: 600,
      tokenRedirectUriRequired: true,
      codeExchange: ({ code, accessTtl }) => ({ ok: true, plan: { scopes: code.scopes, refresh: true, accessTtl } }),
      issuePlan: (input, ttl) => ({ scopes: input.scopes ?? ['files.read'], refresh: true, accessTtl: input.expiresInSeconds ?? ttl }),
      refresh: { rotate: false, ttlSeconds: null },
      tokenResponse: ({ access, refresh, kind }) => ({
        access_token: access.token,
        token_type: 'Bearer',
        expires_in: expiresIn(access, ctx.now())!,
        ...(refresh && kind === 'code' ? { refresh_token: refresh.token } : {}),
      }),
    };
    const engine = new OAuth2Engine(ctx, profile);
    const store = () => ctx.store(ID);
    return {
      id: ID,
      shapes: { access: () => randomToken('tw_at_', 32), refresh: () => randomToken('tw_rt_', 32), code: () => randomToken('tw_c_', 24) },
      issueTokens: (input) => engine.issueTokens(input),
      mount(router) {
        engine.mount(router);
        router.post(`/${ID}/revoke`, async (req, res) => {
          const entered = await ctx.instrumentation.enter(req, res, ID, 'revoke');
          if (!entered) return;
          const auth = authenticateClient(req, entered.body.form, ctx.client(ID), { basic: true });
          if (!auth.ok) return sendOAuthError(res, auth.status, auth.error, auth.description, auth.headers);
          const token = entered.body.form.values.token ?? '';
          const s = store();
          const found = s.lookupRefresh(token).status === 'valid' ? s.lookupRefresh(token) : s.lookupAccess(token);
          if (found.status === 'valid') s.revokeGrant(found.grant);
          res.status(200).end();
        });
        router.get(`/${ID}/me`, async (req, res) => {
          const entered = await ctx.instrumentation.enter(req, res, ID, 'userinfo');
          if (!entered) return;
          const found = lookupAccessToken(store(), authorizationValue(req, 'Bearer'));
          if (found.status !== 'valid') return sendOAuthError(res, 401, 'invalid_token', 'The access token is invalid.');
          res.json({ sub: numericId(ID, found.grant.login, 12), email: emailOf(ID, found.grant.login) });
        });
      },
    };
  },
};

describe.each(TEST_DATABASE_KINDS)('a provider added as one catalog entry + one simulator entry (%s)', (kind) => {
  let t: TestHub;

  beforeAll(async () => {
    const port = await freePort();
    t = await startTestHub(
      kind,
      { SANDBOX: '1', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, REFRESHER_ENABLED: '0' },
      { extraProviders: { catalog: [catalogEntry], simulated: [simulatorEntry] } },
    );
  });
  afterAll(() => t?.close());

  it('connects, refreshes and revokes in the sandbox through the hub, and the dashboard lists it by name and generic icon', async () => {
    const sim = t.hub.services.sandbox!.sim;
    const client = t.client();
    const user = await client.signUp();

    const listed = await client.gql<{ integrations: Array<{ provider: string; displayName: string; iconKey: string; sandbox: boolean; configured: boolean }> }>(
      '{ integrations { provider displayName iconKey sandbox configured } }',
    );
    expect(listed.data?.integrations.at(-1)).toEqual({ provider: ID, displayName: 'Throwaway Cloud', iconKey: 'generic', sandbox: true, configured: true });

    // Connect: hub → simulator's consent page → callback at the hub.
    const connect = await client.gql<{ connectProvider: { authorizationUrl: string } }>(
      'mutation($p: String!) { connectProvider(provider: $p) { authorizationUrl } }',
      { p: ID },
    );
    const authorizationUrl = connect.data!.connectProvider.authorizationUrl;
    expect(authorizationUrl.startsWith(`${t.config.publicUrl}/sandbox/${ID}/authorize?`)).toBe(true);
    expect(new URL(authorizationUrl).searchParams.get('code_challenge_method')).toBe('S256');
    const callback = await follow(client, await simulateConsent(authorizationUrl, { login: 'ada@example.com' }));
    expect(outcomeOf(callback)).toMatchObject({ status: 'success', provider: ID });
    const [stored] = await storedConnections(t, user.id);
    expect(stored!.connection.provider).toBe(ID);
    expect(stored!.connection.providerAccountId).toBe(numericId(ID, 'ada@example.com', 12));
    expect(sim.count(ID, 'token_code')).toBe(1);

    // Refresh: the token expires within the margin, so using the connection refreshes it first.
    const tested = await client.gql<{ testConnection: { ok: boolean; accountId: string | null } }>(
      'mutation($id: ID!) { testConnection(connectionId: $id) { ok accountId } }',
      { id: stored!.connection.id },
    );
    expect(tested.data?.testConnection.ok).toBe(true);
    expect(sim.count(ID, 'token_refresh')).toBe(1);
    const [refreshed] = await storedConnections(t, user.id);
    expect(refreshed!.secrets.accessToken).not.toBe(stored!.secrets.accessToken);
    expect(sim.isAccessTokenValid(ID, refreshed!.secrets.accessToken)).toBe(true);

    // Revoke: disconnect calls the revocation endpoint with the refresh token and deletes the row.
    const disconnected = await client.gql<{ disconnect: { revoked: boolean } }>('mutation($id: ID!) { disconnect(connectionId: $id) { revoked } }', { id: stored!.connection.id });
    expect(disconnected.data?.disconnect.revoked).toBe(true);
    expect(sim.count(ID, 'revoke')).toBe(1);
    expect(sim.revoked(ID)).toContain(stored!.secrets.refreshToken);
    expect(sim.isAccessTokenValid(ID, refreshed!.secrets.accessToken)).toBe(false);
    expect(await storedConnections(t, user.id)).toEqual([]);
  });
});
