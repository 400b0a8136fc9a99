import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import OAuth from 'oauth-1.0a';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatorRouter, simulateConsent, simulatorEndpoints, startSimulator, type RunningSimulator, type Simulator } from './index.js';
import { paramsOf, pkcePair, postForm, postJson, redirectUriFor, request, urlWith } from '../test/simulator-requests.js';

describe('createSimulatorRouter mounted at /sandbox in another app', () => {
  let server: Server;
  let base: string;
  let sim: Simulator;

  beforeAll(async () => {
    const app = express();
    // The host app parses JSON bodies globally; the simulator must cope.
    app.use(express.json());
    let publicUrl = '';
    const created = createSimulatorRouter({ publicBaseUrl: () => `${publicUrl}/sandbox/`, clients: { google: { clientId: 'g-id', clientSecret: 'g-secret', redirectUris: [redirectUriFor('google')] } } });
    sim = created.sim;
    app.use('/sandbox', created.router);
    app.get('/other', (_req, res) => res.send('hub'));
    server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    base = `${publicUrl}/sandbox`;
  });
  afterAll(async () => {
    sim.shutdown();
    await new Promise((r) => server.close(r));
  });

  it('serves the OAuth flow under the mount path with the configured client', async () => {
    const ep = simulatorEndpoints(base).google;
    const pkce = pkcePair();
    const url = urlWith(ep.authorizeUrl, {
      client_id: 'g-id', redirect_uri: redirectUriFor('google'), response_type: 'code', scope: 'openid email', access_type: 'offline',
      code_challenge: pkce.challenge, code_challenge_method: 'S256', state: 'abc',
    });
    const page = await request(url);
    expect(page.text).toContain('action="/sandbox/google/o/oauth2/v2/auth"');
    const cb = paramsOf(await simulateConsent(url, { login: 'mounted@example.com' }));
    const token = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: redirectUriFor('google'), code_verifier: pkce.verifier, client_id: 'g-id', client_secret: 'g-secret' });
    expect(token.status).toBe(200);
    // A JSON token request works although the host's express.json() consumed the body.
    const json = await postJson(ep.tokenUrl, { grant_type: 'refresh_token', refresh_token: token.json.refresh_token, client_id: 'g-id', client_secret: 'g-secret' });
    expect(json.status).toBe(200);
    expect(sim.count('google', 'token_refresh')).toBe(1);
    expect(sim.requests('google').at(-1)!.path).toBe('/google/token');
    expect((await request(`${base.replace('/sandbox', '')}/other`)).text).toBe('hub');
  });

  it('enforces registered redirect URIs when configured', async () => {
    const ep = simulatorEndpoints(base).google;
    const res = await request(urlWith(ep.authorizeUrl, { client_id: 'g-id', redirect_uri: 'https://evil.example/cb', response_type: 'code', scope: 'openid' }));
    expect(res.status).toBe(400);
    expect(res.text).toContain('redirect_uri_mismatch');
  });

  it('uses publicBaseUrl for the Zoho accounts-server', async () => {
    const location = await simulateConsent(
      urlWith(simulatorEndpoints(base).zoho.authorizeUrl, { client_id: 'sandbox-zoho-client', redirect_uri: redirectUriFor('zoho'), response_type: 'code', scope: 'email', state: 's' }),
      { dataCenter: 'jp' },
    );
    expect(paramsOf(location)['accounts-server']).toBe(`${base}/zoho/jp`);
  });

  it('verifies Trello signatures made for the mounted URL', async () => {
    const oauth = new OAuth({
      consumer: { key: 'sandbox-trello-client', secret: 'sandbox-trello-secret' },
      signature_method: 'HMAC-SHA1',
      hash_function: (b, k) => createHmac('sha1', k).update(b).digest('base64'),
    });
    const url = simulatorEndpoints(base).trello.requestTokenUrl;
    const header = oauth.toHeader(oauth.authorize({ url, method: 'POST', data: { oauth_callback: redirectUriFor('trello') } }));
    const res = await request(url, { method: 'POST', headers: { authorization: header.Authorization } });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^oauth_token=[0-9a-f]{32}&oauth_token_secret=[0-9a-f]{32}&oauth_callback_confirmed=true$/);
  });

  it('answers unknown simulator paths with a JSON 404', async () => {
    const res = await request(`${base}/google/nope`);
    expect(res.status).toBe(404);
    expect(res.json.error).toBe('not_found');
  });
});

describe('HTTP control API', () => {
  let s: RunningSimulator;
  beforeAll(async () => {
    s = await startSimulator({ accessTokenTtlSeconds: { box: 120 } });
  });
  afterAll(() => s.close());

  it('issues tokens, sets faults, reads counters and resets over HTTP', async () => {
    const issued = await postJson(`${s.url}/_sim/issue`, { provider: 'box', login: 'bench-1@example.com' });
    expect(issued.status).toBe(200);
    expect(issued.json).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), expires_in: 120, token_type: 'bearer' });

    const fault = await postJson(`${s.url}/_sim/faults`, { provider: 'box', endpoint: 'token_refresh', kind: 'http500', times: 1 });
    expect(fault.status).toBe(204);
    const box = simulatorEndpoints(s.url).box;
    const body = { grant_type: 'refresh_token', refresh_token: issued.json.refresh_token, client_id: 'sandbox-box-client', client_secret: 'sandbox-box-secret' };
    expect((await postForm(box.tokenUrl, body)).status).toBe(500);
    expect((await postForm(box.tokenUrl, body)).status).toBe(200);

    const counters = await request(`${s.url}/_sim/counters`);
    expect(counters.json).toEqual({ box: { token_refresh: 2 } });

    const state = await postJson(`${s.url}/_sim/token-state`, { provider: 'box', token: issued.json.refresh_token });
    expect(state.json).toEqual({ accessTokenValid: false, refreshTokenValid: false, revoked: false });

    const reqs = await request(`${s.url}/_sim/requests?provider=box`);
    expect(reqs.json).toHaveLength(2);

    expect((await request(`${s.url}/_sim/reset`, { method: 'POST' })).status).toBe(204);
    expect((await request(`${s.url}/_sim/counters`)).json).toEqual({});

    const clock = await postJson(`${s.url}/_sim/clock`, { advanceSeconds: 121 });
    expect(clock.status).toBe(200);
    const other = s.sim.issueTokens('box', { login: 'x@example.com' });
    expect(s.sim.isAccessTokenValid('box', other.access_token)).toBe(true);
    s.sim.advanceClock(121);
    expect(s.sim.isAccessTokenValid('box', other.access_token)).toBe(false);
  });

  it('validates control requests', async () => {
    const bad = await postJson(`${s.url}/_sim/faults`, { provider: 'nope', endpoint: 'userinfo', kind: 'http500' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('invalid_request');
    const badShop = await postJson(`${s.url}/_sim/issue`, { provider: 'shopify', login: 'a@example.com', shop: 'evil.com' });
    expect(badShop.status).toBe(400);
    expect(badShop.json.error_description).toMatch(/Invalid shop domain/);
  });
});

describe('issueTokens', () => {
  let s: RunningSimulator;
  beforeAll(async () => {
    s = await startSimulator();
  });
  afterAll(() => s.close());

  it('answers in each provider’s token-endpoint shape', () => {
    expect(Object.keys(s.sim.issueTokens('google', { login: 'a@example.com' })).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    expect(Object.keys(s.sim.issueTokens('asana', { login: 'a@example.com' })).sort()).toEqual(['access_token', 'data', 'expires_in', 'refresh_token', 'token_type']);
    expect(Object.keys(s.sim.issueTokens('dropbox', { login: 'a@example.com' })).sort()).toEqual(['access_token', 'account_id', 'expires_in', 'refresh_token', 'scope', 'token_type', 'uid']);
    expect(Object.keys(s.sim.issueTokens('box', { login: 'a@example.com' })).sort()).toEqual(['access_token', 'expires_in', 'issued_token_type', 'refresh_token', 'restricted_to', 'token_type']);
    expect(Object.keys(s.sim.issueTokens('trello', { login: 'a@example.com' })).sort()).toEqual(['access_token', 'oauth_token', 'oauth_token_secret']);
    expect(Object.keys(s.sim.issueTokens('shopify', { login: 'a@example.com' })).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'refresh_token_expires_in', 'scope']);
    expect(s.sim.issueTokens('zoho', { login: 'a@example.com', dataCenter: 'in' })).toMatchObject({ api_domain: 'https://www.zohoapis.in', token_type: 'Bearer' });
    expect(s.sim.issueTokens('google', { login: 'a@example.com', offline: false }).refresh_token).toBeUndefined();
    expect(() => s.sim.issueTokens('zoho', { login: 'a@example.com', dataCenter: 'de' })).toThrow(/Unknown data centre/);
  });

  it('seeds thousands of grants quickly', () => {
    const started = Date.now();
    for (let i = 0; i < 5000; i++) s.sim.issueTokens('box', { login: `bench-${i}@example.com` });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
