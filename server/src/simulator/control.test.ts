import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import express, { type Request, type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackAddress, loopbackOnly } from './control.js';
import { createSimulatorRouter, type Simulator } from './index.js';
import { request } from '../test/simulator-requests.js';

/** Runs the guard on a request whose socket peer is `remoteAddress`; true when it let the request through. */
function passes(remoteAddress: string | undefined, headers: Record<string, string> = {}): boolean {
  let status: number | undefined;
  const res = { status: (s: number) => ((status = s), res), json: () => res } as unknown as Response;
  let passed = false;
  loopbackOnly({ socket: { remoteAddress }, headers } as unknown as Request, res, () => (passed = true));
  if (!passed) expect(status).toBe(403);
  return passed;
}

/** A non-loopback IPv4 address of this machine, when it has one. */
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a?.family === 'IPv4' && !a.internal)?.address;

describe('S39 abuse: sandbox control API is loopback only', () => {
  it('S39 abuse: sandbox control API refuses a peer outside 127.0.0.0/8 and ::1, whatever the headers say', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopbackAddress(address), address).toBe(true);
      expect(passes(address), address).toBe(true);
    }
    for (const address of ['192.0.2.2', '10.0.0.1', '::ffff:192.0.2.2', 'fd00::2', '::', '0.0.0.0', '128.0.0.1', '127.0.0.1.evil', undefined]) {
      expect(isLoopbackAddress(address), String(address)).toBe(false);
      // X-Forwarded-For is what a client writes: it never makes a remote peer local.
      expect(passes(address, { 'x-forwarded-for': '127.0.0.1' }), String(address)).toBe(false);
    }
    // A loopback peer relaying for someone else (a reverse proxy on this machine) is the network.
    expect(passes('127.0.0.1', { 'x-forwarded-for': '192.0.2.7' })).toBe(false);
    expect(passes('::1', { forwarded: 'for=192.0.2.7' })).toBe(false);
  });

  describe.skipIf(externalAddress === undefined)('over the network', () => {
    let server: Server;
    let sim: Simulator;
    let port: number;

    beforeAll(async () => {
      const app = express();
      const created = createSimulatorRouter({ publicBaseUrl: () => `http://127.0.0.1:${port}/sandbox` });
      sim = created.sim;
      app.use('/sandbox', created.router);
      server = createServer(app);
      // Every interface, like a sandbox hub started with HOST=0.0.0.0.
      await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      sim.shutdown();
      await new Promise((r) => server.close(r));
    });

    it('S39 abuse: sandbox control API answers 403 to a request arriving on a non-loopback address', async () => {
      const remote = await request(`http://${externalAddress}:${port}/sandbox/_sim/counters`);
      expect(remote.status).toBe(403);
      const issue = await request(`http://${externalAddress}:${port}/sandbox/_sim/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '127.0.0.1' },
        body: JSON.stringify({ provider: 'box', login: 'attacker@example.com' }),
      });
      expect(issue.status).toBe(403);
      expect(sim.counters()).toEqual({});
      // The provider endpoints themselves stay reachable (the browser's consent page is one).
      expect((await request(`http://${externalAddress}:${port}/sandbox/box/api/oauth2/authorize`)).status).toBe(400);
      expect((await request(`http://127.0.0.1:${port}/sandbox/_sim/counters`)).status).toBe(200);
    });
  });
});
