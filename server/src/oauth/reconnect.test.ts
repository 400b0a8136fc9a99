import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OAuthHttp } from './http.js';
import { sendWithOneReconnect } from './reconnect.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

async function serve(handler: (n: number, res: import('node:http').ServerResponse, destroy: () => void) => void): Promise<{ url: string; calls: () => number }> {
  let n = 0;
  server = createServer((req, res) => {
    n++;
    handler(n, res, () => req.socket.destroy());
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`, calls: () => n };
}

describe('sendWithOneReconnect', () => {
  it('sends a POST once more after a network-level failure (a connection closed under the request)', async () => {
    const s = await serve((n, res, destroy) => (n === 1 ? destroy() : res.end('{"ok":true}')));
    const res = await sendWithOneReconnect(new OAuthHttp(), { method: 'POST', url: s.url, body: 'x' });
    expect([res.status, res.body, s.calls()]).toEqual([200, '{"ok":true}', 2]);
  });

  it('gives up after the second network failure, and never retries a timeout or an HTTP error', async () => {
    const dead = await serve((_n, _res, destroy) => destroy());
    await expect(sendWithOneReconnect(new OAuthHttp(), { method: 'POST', url: dead.url })).rejects.toMatchObject({ code: 'network' });
    expect(dead.calls()).toBe(2);
    server!.closeAllConnections();
    await new Promise((r) => server!.close(r));

    const slow = await serve(() => undefined);
    await expect(sendWithOneReconnect(new OAuthHttp(200), { method: 'POST', url: slow.url })).rejects.toMatchObject({ code: 'timeout' });
    expect(slow.calls()).toBe(1);
    server!.closeAllConnections();
    await new Promise((r) => server!.close(r));

    const failing = await serve((_n, res) => res.writeHead(500).end());
    expect((await sendWithOneReconnect(new OAuthHttp(), { method: 'POST', url: failing.url })).status).toBe(500);
    expect(failing.calls()).toBe(1);
  });
});
