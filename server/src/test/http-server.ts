import { afterEach } from 'vitest';
import { OAuthError } from '../oauth/errors.js';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 that records every request it gets, for unit tests of the
 * OAuth layer's transport and request builders: what went over the wire is read back from
 * `requests`, not from a mock.
 */
export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RecordingServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * `handle` answers each request; `n` counts from 1. It may also leave the request unanswered
 * (a timeout) or destroy the socket (a network failure): `req.socket.destroy()`.
 */
export async function startRecordingServer(
  handle: (req: RecordedRequest, res: ServerResponse, n: number, raw: IncomingMessage) => void,
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      handle(recorded, res, requests.length, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Answers with a status and a JSON (object) or raw (string) body. */
export function answer(res: ServerResponse, status: number, body: unknown = '', headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { ...(typeof body === 'string' ? {} : { 'content-type': 'application/json' }), ...headers });
  res.end(text);
}

/**
 * For a test file: `serve(handle)` starts a recording server that is closed after each test
 * (registers its own `afterEach`).
 */
export function recordingServers(): (handle: Parameters<typeof startRecordingServer>[0]) => Promise<RecordingServer> {
  let servers: RecordingServer[] = [];
  afterEach(async () => {
    // A test may have closed its server already (to make the port refuse connections).
    for (const s of servers) await s.close().catch(() => undefined);
    servers = [];
  });
  return async (handle) => {
    const s = await startRecordingServer(handle);
    servers.push(s);
    return s;
  };
}

/** The OAuthError a promise rejects with; anything else (or a resolve) fails the test. */
export async function oauthFailure(p: Promise<unknown>): Promise<OAuthError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err instanceof OAuthError) return err;
  throw new Error(`expected an OAuthError, got ${String(err)}`);
}
