/**
 * Assembly: the express Router (mountable in the hub at /sandbox) and a standalone server on
 * 127.0.0.1 for tests.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Router } from 'express';
import { mountControl } from './control.js';
import { BodyTooLargeError } from './http.js';
import { Simulator } from './simulator.js';
import type { SimulatorOptions } from './types.js';

export function createSimulatorRouter(opts: SimulatorOptions & { publicBaseUrl: () => string }): { router: Router; sim: Simulator } {
  const sim = new Simulator(opts, () => opts.publicBaseUrl().replace(/\/+$/, ''));
  const router = express.Router();
  mountControl(router, sim);
  for (const module of Object.values(sim.modules)) module.mount(router);

  router.use((req, res) => {
    res.status(404).json({ error: 'not_found', error_description: `The simulator has no ${req.method} ${req.path}` });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof BodyTooLargeError) {
      res.status(413).json({ error: 'invalid_request', error_description: 'Request body too large' });
      return;
    }
    res.status(500).json({ error: 'server_error', error_description: `Simulator bug: ${(err as Error)?.message ?? String(err)}` });
  };
  router.use(onError);
  return { router, sim };
}

export interface RunningSimulator {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  sim: Simulator;
  close(): Promise<void>;
}

export async function startSimulator(opts: SimulatorOptions & { port?: number } = {}): Promise<RunningSimulator> {
  let url = '';
  const { router, sim } = createSimulatorRouter({ ...opts, publicBaseUrl: () => url });
  const app = express();
  app.disable('x-powered-by');
  app.use(router);
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      sim.shutdown(); // slow-fault waits answer 503 now instead of after their delay
      server.close(() => resolve());
      server.closeIdleConnections();
      // Give the 503s a moment to flush, then cut whatever is still open (keep-alive sockets).
      setTimeout(() => server.closeAllConnections(), 50).unref();
    }));
  return { url, sim, close };
}
