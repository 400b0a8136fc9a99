import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simulatorEndpoints, startSimulator, type RunningSimulator } from './index.js';
import { postForm, request } from '../test/simulator-requests.js';

let s: RunningSimulator;
let box: ReturnType<typeof simulatorEndpoints>['box'];
const CLIENT = { client_id: 'sandbox-box-client', client_secret: 'sandbox-box-secret' };

beforeAll(async () => {
  s = await startSimulator();
  box = simulatorEndpoints(s.url).box;
});
afterAll(() => s.close());
beforeEach(() => s.sim.reset());

const refresh = (token: string) => postForm(box.tokenUrl, { grant_type: 'refresh_token', refresh_token: token, ...CLIENT });

describe('faults', () => {
  it('http500 answers 500 for the given number of requests, then the endpoint works again', async () => {
    const t = s.sim.issueTokens('box', { login: 'a@example.com' });
    s.sim.setFault('box', 'token_refresh', { kind: 'http500', times: 2 });
    const r1 = await refresh(t.refresh_token!);
    const r2 = await refresh(t.refresh_token!);
    expect([r1.status, r2.status]).toEqual([500, 500]);
    expect(r1.json).toEqual({ error: 'server_error', error_description: 'Simulated internal server error' });
    // The faulted requests did not consume the (single-use) refresh token.
    expect(s.sim.isRefreshTokenValid('box', t.refresh_token!)).toBe(true);
    const r3 = await refresh(t.refresh_token!);
    expect(r3.status).toBe(200);
    expect(s.sim.count('box', 'token_refresh')).toBe(3);
    expect(s.sim.requests('box').map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('http429 answers 429 with the Retry-After it was given, on token, revocation and identity endpoints', async () => {
    const t = s.sim.issueTokens('box', { login: 'a@example.com' });
    s.sim.setFault('box', 'token_refresh', { kind: 'http429', times: 1, retryAfter: '120' });
    s.sim.setFault('box', 'revoke', { kind: 'http429', times: 1, retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT' });
    s.sim.setFault('box', 'userinfo', { kind: 'http429', times: 1 });
    const limited = await refresh(t.refresh_token!);
    expect([limited.status, limited.headers.get('retry-after'), limited.json]).toEqual([429, '120', { error: 'rate_limited', error_description: 'Too many requests' }]);
    const revoke = await postForm(box.revokeUrl, { token: t.refresh_token!, ...CLIENT });
    expect([revoke.status, revoke.headers.get('retry-after')]).toEqual([429, 'Wed, 21 Oct 2026 07:28:00 GMT']);
    const me = await request(box.userinfoUrl, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect([me.status, me.headers.get('retry-after')]).toEqual([429, null]);
    // Nothing was consumed: the endpoints work again.
    expect((await refresh(t.refresh_token!)).status).toBe(200);
  });

  it('http500 on a page endpoint answers HTML', async () => {
    s.sim.setFault('box', 'authorize', { kind: 'http500' });
    const res = await request(box.authorizeUrl);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('malformed answers 200 with broken JSON', async () => {
    const t = s.sim.issueTokens('box', { login: 'a@example.com' });
    s.sim.setFault('box', 'token_refresh', { kind: 'malformed', times: 1 });
    const res = await refresh(t.refresh_token!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(() => JSON.parse(res.text)).toThrow(SyntaxError);
  });

  it('invalid_grant answers 400 {error:"invalid_grant"} on any endpoint until cleared', async () => {
    const t = s.sim.issueTokens('box', { login: 'a@example.com' });
    s.sim.setFault('box', 'token_refresh', { kind: 'invalid_grant' });
    for (let i = 0; i < 3; i++) {
      const res = await refresh(t.refresh_token!);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: 'invalid_grant' });
    }
    s.sim.clearFaults();
    expect((await refresh(t.refresh_token!)).status).toBe(200);
  });

  it('slow waits delayMs, then answers normally', async () => {
    const t = s.sim.issueTokens('box', { login: 'a@example.com' });
    s.sim.setFault('box', 'userinfo', { kind: 'slow', delayMs: 300, times: 1 });
    const started = Date.now();
    const res = await request(box.userinfoUrl, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('a client that gives up does not leave the slow request running', async () => {
    const t = s.sim.issueTokens('box', { login: 'a@example.com' });
    s.sim.setFault('box', 'token_refresh', { kind: 'slow', delayMs: 60_000, times: 1 });
    await expect(
      fetch(box.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t.refresh_token!, ...CLIENT }).toString(),
        signal: AbortSignal.timeout(100),
      }),
    ).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    // The abandoned request never reached the handler: the refresh token was not rotated.
    expect(s.sim.isRefreshTokenValid('box', t.refresh_token!)).toBe(true);
  });
});

describe('close()', () => {
  it('ends a pending slow request (default 30 s) promptly', async () => {
    const own = await startSimulator();
    const t = own.sim.issueTokens('box', { login: 'a@example.com' });
    own.sim.setFault('box', 'userinfo', { kind: 'slow' });
    const pending = request(simulatorEndpoints(own.url).box.userinfoUrl, { headers: { authorization: `Bearer ${t.access_token}` } }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await own.close();
    const outcome = await pending;
    expect(Date.now() - started).toBeLessThan(2000);
    // Either the 503 got out before the socket closed, or the connection was cut.
    if (outcome instanceof Error) expect(outcome.message).toMatch(/fetch failed|terminated|socket/i);
    else expect(outcome.status).toBe(503);
  });
});

describe('counters and reset', () => {
  it('counts per provider and endpoint; reset clears counters, requests and faults but keeps tokens', async () => {
    const t = s.sim.issueTokens('box', { login: 'a@example.com' });
    await request(box.userinfoUrl, { headers: { authorization: `Bearer ${t.access_token}` } });
    await request(box.userinfoUrl, { headers: { authorization: 'Bearer nope' } });
    expect(s.sim.count('box', 'userinfo')).toBe(2);
    expect(s.sim.count('box', 'revoke')).toBe(0);
    expect(s.sim.count('google', 'userinfo')).toBe(0);
    expect(s.sim.counters()).toEqual({ box: { userinfo: 2 } });
    const rec = s.sim.requests('box');
    expect(rec).toHaveLength(2);
    expect(rec[0]).toMatchObject({ provider: 'box', endpoint: 'userinfo', method: 'GET', path: '/box/2.0/users/me', status: 200 });
    expect(rec[0]!.headers.authorization).toBe(`Bearer ${t.access_token}`);
    expect(rec[1]!.status).toBe(401);

    s.sim.setFault('box', 'userinfo', { kind: 'http500' });
    s.sim.reset();
    expect(s.sim.counters()).toEqual({});
    expect(s.sim.requests()).toEqual([]);
    expect((await request(box.userinfoUrl, { headers: { authorization: `Bearer ${t.access_token}` } })).status).toBe(200);
    expect(s.sim.isAccessTokenValid('box', t.access_token)).toBe(true);

    s.sim.reset({ tokens: true });
    expect(s.sim.isAccessTokenValid('box', t.access_token)).toBe(false);
  });

  it('rejects unknown providers, endpoints and fault kinds', () => {
    expect(() => s.sim.setFault('nope' as never, 'userinfo', { kind: 'http500' })).toThrow(TypeError);
    expect(() => s.sim.setFault('box', 'nope' as never, { kind: 'http500' })).toThrow(TypeError);
    expect(() => s.sim.setFault('box', 'userinfo', { kind: 'nope' as never })).toThrow(TypeError);
    expect(() => s.sim.setFault('box', 'userinfo', { kind: 'http500', times: 0 })).toThrow(RangeError);
  });
});
