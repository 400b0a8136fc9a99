import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simulateConsent, simulatorEndpoints, startSimulator, type RunningSimulator } from './index.js';
import { basicAuth, paramsOf, pkcePair, postForm, randomState, redirectUriFor, request, urlWith } from '../test/simulator-requests.js';

const CLIENT = { clientId: 'sandbox-google-client', clientSecret: 'sandbox-google-secret' };
const REDIRECT = redirectUriFor('google');
const SCOPE = 'openid email https://www.googleapis.com/auth/drive.file';

let s: RunningSimulator;
let ep: ReturnType<typeof simulatorEndpoints>['google'];

beforeAll(async () => {
  s = await startSimulator();
  ep = simulatorEndpoints(s.url).google;
});
afterAll(() => s.close());
beforeEach(() => s.sim.reset());

function authorizeUrl(extra: Record<string, string | undefined> = {}) {
  return urlWith(ep.authorizeUrl, {
    client_id: CLIENT.clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: SCOPE,
    access_type: 'offline',
    prompt: 'consent',
    ...extra,
  });
}

async function connect(login: string, extra: Record<string, string | undefined> = {}) {
  const pkce = pkcePair();
  const state = randomState();
  const location = await simulateConsent(authorizeUrl({ state, code_challenge: pkce.challenge, code_challenge_method: 'S256', ...extra }), { login });
  const cb = paramsOf(location);
  expect(cb.state).toBe(state);
  const token = await postForm(
    ep.tokenUrl,
    { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkce.verifier },
    { authorization: basicAuth(CLIENT.clientId, CLIENT.clientSecret) },
  );
  return { token, cb, pkce };
}

describe('google', () => {
  it('runs authorize → consent → code → token → userinfo → refresh → revoke', async () => {
    const state = randomState();
    const pkce = pkcePair();
    const location = await simulateConsent(
      authorizeUrl({ state, code_challenge: pkce.challenge, code_challenge_method: 'S256' }),
      { login: 'alice@example.com' },
    );
    expect(location.startsWith(`${REDIRECT}?`)).toBe(true);
    const cb = paramsOf(location);
    // RFC 9207: Google names itself in the authorization response.
    expect(cb).toEqual({ code: expect.stringMatching(/^4\/0A/), state, scope: SCOPE, authuser: '0', iss: 'https://accounts.google.com' });

    const token = await postForm(
      ep.tokenUrl,
      { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkce.verifier },
      { authorization: basicAuth(CLIENT.clientId, CLIENT.clientSecret) },
    );
    expect(token.status).toBe(200);
    expect(token.headers.get('cache-control')).toBe('no-store');
    expect(token.json).toEqual({
      access_token: expect.stringMatching(/^ya29\./),
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^1\/\/0g/),
      scope: SCOPE,
      token_type: 'Bearer',
    });
    const { access_token: access1, refresh_token: refresh } = token.json;

    const me = await request(ep.userinfoUrl, { headers: { authorization: `Bearer ${access1}` } });
    expect(me.status).toBe(200);
    expect(me.json).toEqual({ sub: expect.stringMatching(/^\d{21}$/), email: 'alice@example.com', email_verified: true });

    const refreshed = await postForm(ep.tokenUrl, { grant_type: 'refresh_token', refresh_token: refresh, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(refreshed.status).toBe(200);
    // Google never rotates: no refresh_token in the refresh response, the old one keeps working.
    expect(refreshed.json).toEqual({ access_token: expect.stringMatching(/^ya29\./), expires_in: 3600, scope: SCOPE, token_type: 'Bearer' });
    expect(refreshed.json.access_token).not.toBe(access1);
    expect(s.sim.isRefreshTokenValid('google', refresh)).toBe(true);
    expect(s.sim.isAccessTokenValid('google', access1)).toBe(true);

    const revoke = await postForm(ep.revokeUrl, { token: refresh });
    expect(revoke.status).toBe(200);
    expect(revoke.text).toBe('');
    // Revoking the refresh token kills the pair, access tokens included.
    expect(s.sim.isRefreshTokenValid('google', refresh)).toBe(false);
    expect(s.sim.isAccessTokenValid('google', access1)).toBe(false);
    expect(s.sim.isAccessTokenValid('google', refreshed.json.access_token)).toBe(false);
    expect(s.sim.revoked('google')).toEqual(expect.arrayContaining([refresh, access1, refreshed.json.access_token]));

    const again = await postForm(ep.revokeUrl, { token: refresh });
    expect(again.status).toBe(400);
    expect(again.json).toEqual({ error: 'invalid_token', error_description: 'Token expired or revoked' });
    const meAfter = await request(ep.userinfoUrl, { headers: { authorization: `Bearer ${access1}` } });
    expect(meAfter.status).toBe(401);
    const refreshAfter = await postForm(ep.tokenUrl, { grant_type: 'refresh_token', refresh_token: refresh, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(refreshAfter.status).toBe(400);
    expect(refreshAfter.json.error).toBe('invalid_grant');

    expect(s.sim.count('google', 'authorize')).toBe(1);
    expect(s.sim.count('google', 'consent')).toBe(1);
    expect(s.sim.count('google', 'token_code')).toBe(1);
    expect(s.sim.count('google', 'token_refresh')).toBe(2);
    expect(s.sim.count('google', 'userinfo')).toBe(2);
    expect(s.sim.count('google', 'revoke')).toBe(2);
  });

  it('revoking the access token also kills the refresh token', async () => {
    const { token } = await connect('bob@example.com');
    const res = await postForm(ep.revokeUrl, { token: token.json.access_token });
    expect(res.status).toBe(200);
    expect(s.sim.isRefreshTokenValid('google', token.json.refresh_token)).toBe(false);
  });

  it('accepts client_secret_post and rejects a wrong secret with 401 invalid_client', async () => {
    const pkce = pkcePair();
    const cb = paramsOf(await simulateConsent(authorizeUrl({ code_challenge: pkce.challenge, code_challenge_method: 'S256' })));
    const wrong = await postForm(ep.tokenUrl, {
      grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkce.verifier,
      client_id: CLIENT.clientId, client_secret: 'nope',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('invalid_client');
    const basicWrong = await postForm(
      ep.tokenUrl,
      { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkce.verifier },
      { authorization: basicAuth(CLIENT.clientId, 'nope') },
    );
    expect(basicWrong.status).toBe(401);
    expect(basicWrong.headers.get('www-authenticate')).toBe('Basic realm="oauth"');
    const none = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkce.verifier });
    expect(none.status).toBe(401);
    expect(none.json.error).toBe('invalid_client');
    const ok = await postForm(ep.tokenUrl, {
      grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkce.verifier,
      client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret,
    });
    expect(ok.status).toBe(200);
    const req = s.sim.requests('google').filter((r) => r.endpoint === 'token_code').at(-1)!;
    expect(req.body).toEqual({
      grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkce.verifier,
      client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret,
    });
    expect(req.status).toBe(200);
  });

  it('issues a refresh token only with access_type=offline, and on re-connect only with prompt=consent', async () => {
    const online = await connect('carol@example.com', { access_type: undefined, prompt: undefined });
    expect(online.token.status).toBe(200);
    expect(online.token.json.refresh_token).toBeUndefined();

    const first = await connect('dave@example.com', { prompt: undefined });
    expect(first.token.json.refresh_token).toEqual(expect.any(String));
    const reconnect = await connect('dave@example.com', { prompt: undefined });
    expect(reconnect.token.status).toBe(200);
    expect(reconnect.token.json.refresh_token).toBeUndefined();
    const forced = await connect('dave@example.com', { prompt: 'consent' });
    expect(forced.token.json.refresh_token).toEqual(expect.any(String));
    expect(forced.token.json.refresh_token).not.toBe(first.token.json.refresh_token);
  });

  it('merges earlier grants with include_granted_scopes=true', async () => {
    await connect('erin@example.com', { scope: 'openid email' });
    const more = await connect('erin@example.com', { scope: 'https://www.googleapis.com/auth/drive.file', include_granted_scopes: 'true' });
    expect(more.token.json.scope).toBe('openid email https://www.googleapis.com/auth/drive.file');
  });

  it('PKCE: only S256 at authorize; the token request needs the matching verifier', async () => {
    const pkce = pkcePair();
    const plain = await simulateConsent(authorizeUrl({ state: 'st', code_challenge: pkce.verifier, code_challenge_method: 'plain' }));
    expect(paramsOf(plain)).toEqual({ error: 'invalid_request', error_description: 'Only code_challenge_method=S256 is supported.', state: 'st' });
    const noMethod = await simulateConsent(authorizeUrl({ state: 'st', code_challenge: pkce.challenge }));
    expect(paramsOf(noMethod).error).toBe('invalid_request');

    const cb = paramsOf(await simulateConsent(authorizeUrl({ code_challenge: pkce.challenge, code_challenge_method: 'S256' })));
    const auth = { authorization: basicAuth(CLIENT.clientId, CLIENT.clientSecret) };
    const missing = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT }, auth);
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ error: 'invalid_grant', error_description: 'Missing code verifier.' });
    const wrong = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkcePair().verifier }, auth);
    expect(wrong.status).toBe(400);
    expect(wrong.json).toEqual({ error: 'invalid_grant', error_description: 'Invalid code verifier.' });
    const short = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: 'x'.repeat(42) }, auth);
    expect(short.json.error).toBe('invalid_grant');
    const right = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkce.verifier }, auth);
    expect(right.status).toBe(200);
  });

  it('a code is single use; its replay fails and revokes the tokens issued from it', async () => {
    const { token, cb, pkce } = await connect('frank@example.com');
    expect(token.status).toBe(200);
    const replay = await postForm(
      ep.tokenUrl,
      { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkce.verifier },
      { authorization: basicAuth(CLIENT.clientId, CLIENT.clientSecret) },
    );
    expect(replay.status).toBe(400);
    expect(replay.json).toEqual({ error: 'invalid_grant', error_description: 'The authorization code has already been used.' });
    expect(s.sim.isAccessTokenValid('google', token.json.access_token)).toBe(false);
    expect(s.sim.isRefreshTokenValid('google', token.json.refresh_token)).toBe(false);
  });

  it('binds the code to redirect_uri (exact match) and expires it after 10 minutes', async () => {
    const auth = { authorization: basicAuth(CLIENT.clientId, CLIENT.clientSecret) };
    const cb = paramsOf(await simulateConsent(authorizeUrl()));
    const mismatch = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: `${REDIRECT}/` }, auth);
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.error).toBe('redirect_uri_mismatch');
    const missing = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb.code }, auth);
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ error: 'invalid_request', error_description: 'Missing required parameter: redirect_uri' });

    const cb2 = paramsOf(await simulateConsent(authorizeUrl()));
    s.sim.advanceClock(601);
    const expired = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb2.code, redirect_uri: REDIRECT }, auth);
    expect(expired.status).toBe(400);
    expect(expired.json).toEqual({ error: 'invalid_grant', error_description: 'The authorization code is invalid or expired.' });
  });

  it('shows an error page (400, no redirect) for an unknown client or a missing redirect_uri', async () => {
    const badClient = await request(authorizeUrl({ client_id: 'someone-else' }));
    expect(badClient.status).toBe(400);
    expect(badClient.headers.get('location')).toBeNull();
    expect(badClient.text).toContain('invalid_client');
    const noRedirect = await request(authorizeUrl({ redirect_uri: undefined }));
    expect(noRedirect.status).toBe(400);
    expect(noRedirect.headers.get('location')).toBeNull();
    expect(noRedirect.text).toContain('Missing required parameter: redirect_uri');
    await expect(simulateConsent(authorizeUrl({ client_id: 'x' }))).rejects.toThrow(/answered 400/);
  });

  it('redirects errors after the redirect_uri is trusted: scope syntax, response_type, deny', async () => {
    const commas = paramsOf(await simulateConsent(authorizeUrl({ state: 's1', scope: 'openid,email' })));
    expect(commas).toMatchObject({ error: 'invalid_scope', state: 's1' });
    const noScope = paramsOf(await simulateConsent(authorizeUrl({ state: 's2', scope: undefined })));
    expect(noScope).toEqual({ error: 'invalid_request', error_description: 'Missing required parameter: scope', state: 's2' });
    const token = paramsOf(await simulateConsent(authorizeUrl({ state: 's3', response_type: 'token' })));
    expect(token.error).toBe('unsupported_response_type');
    const denied = await simulateConsent(authorizeUrl({ state: 's4' }), { decision: 'deny' });
    expect(denied).toBe(`${REDIRECT}?error=access_denied&state=s4`);
  });

  it('renders an escaped consent page with stable ids', async () => {
    const page = await request(authorizeUrl({ login_hint: '"><script>alert(1)</script>' }));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('id="allow"');
    expect(page.text).toContain('id="deny"');
    expect(page.text).toContain('id="login"');
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page.text).toContain('<li>https://www.googleapis.com/auth/drive.file</li>');
  });

  it('maps the same login (any case) to the same account id', async () => {
    const a = await connect('Grace@Example.com');
    const b = await connect('grace@example.com');
    const meA = await request(ep.userinfoUrl, { headers: { authorization: `Bearer ${a.token.json.access_token}` } });
    const meB = await request(ep.userinfoUrl, { headers: { authorization: `Bearer ${b.token.json.access_token}` } });
    expect(meA.json.sub).toBe(meB.json.sub);
    const other = s.sim.issueTokens('google', { login: 'heidi@example.com' });
    const meC = await request(ep.userinfoUrl, { headers: { authorization: `Bearer ${other.access_token}` } });
    expect(meC.json.sub).not.toBe(meA.json.sub);
  });

  it('expires access tokens after expires_in', async () => {
    const t = s.sim.issueTokens('google', { login: 'ivan@example.com', expiresInSeconds: 60 });
    expect(t.expires_in).toBe(60);
    expect(s.sim.isAccessTokenValid('google', t.access_token)).toBe(true);
    s.sim.advanceClock(61);
    expect(s.sim.isAccessTokenValid('google', t.access_token)).toBe(false);
    const me = await request(ep.userinfoUrl, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(me.status).toBe(401);
    expect(me.json).toEqual({ error: 'invalid_request', error_description: 'Invalid Credentials' });
    // The refresh token still works and yields a fresh access token.
    const r = await postForm(ep.tokenUrl, { grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(r.status).toBe(200);
    expect(r.json.expires_in).toBe(60);
  });
});
