import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { freePort } from '../../test/hub-process.js';
import { startTestHub, type TestClient, type TestHub } from '../../test/test-hub.js';
import { connectProvider, follow, outcomeOf, storedConnections, writeProvidersFile } from '../../test/connect-flow.js';

/**
 * The generic OAuth 2 path against a real authorization server (oidc-provider) on 127.0.0.1,
 * configured ONLY through OAUTH_PROVIDERS_FILE. The server requires PKCE (S256 is all it knows)
 * and enforces each client's registered authentication method, so a successful connect proves
 * both.
 */

/** Drives oidc-provider's development login and consent forms like a browser, until it redirects to `stopAt`. */
async function consentAtOidc(authorizationUrl: string, login: string, stopAt: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  let init: RequestInit = {};
  for (let step = 0; step < 20; step++) {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).toString();
      if (url.startsWith(stopAt)) return url;
      init = {};
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !action) throw new Error(`oidc-provider answered ${res.status}: ${html.replace(/<[^>]+>/g, ' ').slice(0, 400)}`);
    const fields = new URLSearchParams();
    for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields.set(m[1]!, m[2]!);
    if (fields.get('prompt') === 'login') {
      fields.set('login', login);
      fields.set('password', 'any');
    }
    url = new URL(action.replace(/&amp;/g, '&'), url).toString();
    init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() };
  }
  throw new Error('oidc-provider: too many steps');
}

describe.each(TEST_DATABASE_KINDS)('a custom OAuth 2 provider (oidc-provider) on %s', (kind) => {
  let t: TestHub;
  let oidc: Server;
  let issuer: string;
  let removeFile: () => Promise<void>;
  beforeAll(async () => {
    const [oidcPort, hubPort] = [await freePort(), await freePort()];
    issuer = `http://127.0.0.1:${oidcPort}`;
    const hub = `http://127.0.0.1:${hubPort}`;
    const client = (id: string, method: string) => ({
      client_id: `hub-${id}`,
      client_secret: `secret-of-${id}-0123456789abcdef`,
      redirect_uris: [`${hub}/api/oauth/${id}/callback`],
      token_endpoint_auth_method: method,
      grant_types: ['authorization_code'],
      response_types: ['code'],
    });
    const provider = new Provider(issuer, {
      clients: [client('acme-basic', 'client_secret_basic'), client('acme-post', 'client_secret_post'), client('acme-nopkce', 'client_secret_basic')],
      pkce: { required: () => true },
      features: { devInteractions: { enabled: true } },
      claims: { openid: ['sub'], email: ['email', 'email_verified'] },
      cookies: { keys: ['oidc-test-cookie-key'] },
      ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
      findAccount: async (_ctx, sub) => ({
        accountId: sub,
        claims: async () => ({ sub, email: `${sub}@oidc.example`, email_verified: true }),
      }),
    });
    oidc = createServer(provider.callback());
    await new Promise<void>((resolve) => oidc.listen(oidcPort, '127.0.0.1', resolve));

    const entry = (id: string, method: string, extra: Record<string, unknown> = {}) => ({
      displayName: `Acme (${method})`,
      authorizationUrl: `${issuer}/auth`,
      tokenUrl: `${issuer}/token`,
      userInfoUrl: `${issuer}/me`,
      revocationUrl: `${issuer}/token/revocation`,
      scopes: ['openid', 'email'],
      clientId: `hub-${id}`,
      clientSecret: `secret-of-${id}-0123456789abcdef`,
      tokenEndpointAuthMethod: method,
      ...extra,
    });
    const file = await writeProvidersFile({
      'acme-basic': entry('acme-basic', 'client_secret_basic'),
      'acme-post': entry('acme-post', 'client_secret_post'),
      'acme-nopkce': entry('acme-nopkce', 'client_secret_basic', { pkce: false }),
    });
    removeFile = file.remove;
    t = await startTestHub(kind, { PORT: String(hubPort), PUBLIC_URL: hub, OAUTH_PROVIDERS_FILE: file.path });
  });
  afterAll(async () => {
    await t?.close();
    await removeFile?.();
    oidc?.closeAllConnections();
    await new Promise<void>((resolve) => (oidc ? oidc.close(() => resolve()) : resolve()));
  });

  async function connect(client: TestClient, id: string, login: string) {
    const authorizationUrl = await connectProvider(client, id);
    const callbackUrl = await consentAtOidc(authorizationUrl, login, `${t.url}/api/oauth/${id}/callback`);
    return { authorizationUrl, callbackUrl, response: await follow(client, callbackUrl) };
  }

  it.each(['acme-basic', 'acme-post'])('%s: PKCE (S256) and the configured client authentication; the userinfo sub and email are stored', async (id) => {
    const client = t.client();
    const user = await client.signUp();
    const { authorizationUrl, callbackUrl, response } = await connect(client, id, 'alice');
    expect(new URL(authorizationUrl).searchParams.get('code_challenge_method')).toBe('S256');
    // oidc-provider names itself in the response (RFC 9207); the hub checked it against the expected issuer.
    expect(new URL(callbackUrl).searchParams.get('iss')).toBe(issuer);
    expect(outcomeOf(response)).toEqual({ status: 'success', provider: id });
    const [stored, ...rest] = await storedConnections(t, user.id);
    expect(rest).toEqual([]);
    expect(stored!.connection).toMatchObject({ provider: id, providerAccountId: 'alice', accountEmail: 'alice@oidc.example', accountLabel: 'alice@oidc.example', scopes: ['openid', 'email'] });
    expect(stored!.secrets.accessToken.length).toBeGreaterThan(20);

    const integrations = await client.gql<{ integrations: Array<{ provider: string; displayName: string; connected: boolean }> }>('{ integrations { provider displayName connected } }');
    expect(integrations.data!.integrations.slice(7)).toEqual([
      { provider: 'acme-basic', displayName: 'Acme (client_secret_basic)', connected: id === 'acme-basic' },
      { provider: 'acme-post', displayName: 'Acme (client_secret_post)', connected: id === 'acme-post' },
      { provider: 'acme-nopkce', displayName: 'Acme (client_secret_basic)', connected: false },
    ]);
  });

  it('without PKCE the server refuses the authorization request: it really requires it', async () => {
    const client = t.client();
    await client.signUp();
    const authorizationUrl = await connectProvider(client, 'acme-nopkce');
    expect(new URL(authorizationUrl).searchParams.has('code_challenge')).toBe(false);
    const res = await fetch(authorizationUrl, { redirect: 'manual' });
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(outcomeOf(await follow(client, location.toString()))).toEqual({ status: 'failure', provider: 'acme-nopkce', reason: 'provider_error' });
  });
});
