import { fileURLToPath } from 'node:url';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createErrorHandler } from './error-handler.js';

/** The checkout's own absolute path: no answer may reveal where the hub's files live. */
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');

/** A tiny express app behind the hub's error handler: an unexpected error and a JSON body parser. */
async function withApp(includeStacktrace: boolean, run: (url: string) => Promise<void>) {
  const app = express();
  app.post('/api/things', express.json(), () => {
    throw new Error('unexpected failure inside a route');
  });
  app.post('/graphql', express.json(), (_req, res) => {
    res.json({ data: null });
  });
  app.use(createErrorHandler({ includeStacktrace }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const post = async (url: string, body: string) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, raw: await res.text() };
};

describe('REST error answers', () => {
  it('S39 abuse: a REST 500 and a JSON-parse error carry no stack trace or file path outside development', async () => {
    await withApp(false, async (url) => {
      const failed = await post(`${url}/api/things`, '{}');
      expect(failed.status).toBe(500);
      expect(JSON.parse(failed.raw)).toEqual({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } });
      const broken = await post(`${url}/graphql`, '{"query":');
      expect(broken.status).toBe(400);
      expect(JSON.parse(broken.raw)).toEqual({ errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
      for (const raw of [failed.raw, broken.raw]) {
        expect(raw).not.toContain('stacktrace');
        expect(raw).not.toContain(REPO_ROOT);
        expect(raw).not.toMatch(/\.(ts|js):\d/);
      }
    });
  });

  it('S39 abuse: with NODE_ENV=development the same answers carry the stack trace', async () => {
    await withApp(true, async (url) => {
      const failed = JSON.parse((await post(`${url}/api/things`, '{}')).raw) as { error: { code: string; stacktrace: string[] } };
      expect(failed.error.code).toBe('INTERNAL_SERVER_ERROR');
      expect(failed.error.stacktrace[0]).toBe('Error: unexpected failure inside a route');
      expect(failed.error.stacktrace.join('\n')).toMatch(/error-handler\.test\.ts:\d+/);
      const broken = JSON.parse((await post(`${url}/graphql`, '{"query":')).raw) as { errors: Array<{ extensions: { stacktrace: string[] } }> };
      expect(broken.errors[0]!.extensions.stacktrace.join('\n')).toMatch(/\.js:\d+/);
    });
  });
});
