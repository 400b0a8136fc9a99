/**
 * HTTP control API under `/_sim`, for tests and benchmarks running in another process than
 * the simulator (the hub's sandbox mode, multi-process tests). Mirrors the Simulator methods.
 * It has no authentication: only requests from this machine reach it (S39), so a sandbox hub
 * bound to a public address does not hand strangers its clock, faults and tokens.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { readBody } from './http.js';
import type { Simulator } from './simulator.js';
import { ENDPOINT_NAMES } from './types.js';

/** A provider id; whether the simulator has it is checked against the running simulator. */
const provider = z.string().min(1).max(64);
const endpoint = z.enum(ENDPOINT_NAMES as [string, ...string[]]);

const faultBody = z.object({
  provider,
  endpoint,
  kind: z.enum(['http500', 'slow', 'malformed', 'invalid_grant', 'http429']),
  times: z.number().int().positive().optional(),
  delayMs: z.number().int().nonnegative().optional(),
  retryAfter: z.string().min(1).max(64).optional(),
});

const issueBody = z.object({
  provider,
  login: z.string().min(1),
  scopes: z.array(z.string().min(1)).optional(),
  shop: z.string().optional(),
  dataCenter: z.string().optional(),
  expiresInSeconds: z.number().positive().optional(),
  offline: z.boolean().optional(),
  clientId: z.string().optional(),
});

const behaviourBody = z
  .object({
    trello: z.object({ callbackConfirmed: z.enum(['true', 'absent', 'false']).optional() }).strict().optional(),
    shopify: z.object({ extraCallbackParams: z.record(z.string().max(200), z.string().max(200)).optional() }).strict().optional(),
  })
  .strict();

const resetBody = z.object({ tokens: z.boolean().optional() });
const clockBody = z.object({ advanceSeconds: z.number().nonnegative() });

async function jsonBody<T>(req: Request, res: Response, schema: z.ZodType<T>, optional = false): Promise<T | undefined> {
  const body = await readBody(req);
  const value = body.json === undefined && optional && !body.jsonError ? {} : body.json;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    res.status(400).json({ error: 'invalid_request', issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    return undefined;
  }
  return parsed.data;
}

/** 127.0.0.0/8, ::1 and IPv4-mapped 127.x: the socket's peer, never a header a client writes. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}

/**
 * Loopback peers only. A request relayed by a proxy on this machine also arrives from loopback;
 * the forwarding headers such a proxy adds mark it as coming from the network, so it is refused too.
 */
export const loopbackOnly: RequestHandler = (req, res, next) => {
  const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  if (!isLoopbackAddress(req.socket.remoteAddress) || forwarded) {
    res.status(403).json({ error: 'forbidden', error_description: 'The simulator control API only answers requests from this machine.' });
    return;
  }
  next();
};

export function mountControl(router: Router, sim: Simulator): void {
  router.use('/_sim', loopbackOnly);

  /** Parses a body naming a provider, which must be one this simulator has. */
  async function providerBody<T extends { provider: string }>(req: Request, res: Response, schema: z.ZodType<T>): Promise<T | undefined> {
    const body = await jsonBody(req, res, schema);
    if (body && !sim.hasProvider(body.provider)) {
      res.status(400).json({ error: 'invalid_request', issues: [`provider: unknown provider ${JSON.stringify(body.provider)}`] });
      return undefined;
    }
    return body;
  }
  router.get('/_sim/counters', (_req, res) => {
    res.json(sim.counters());
  });

  router.get('/_sim/requests', (req, res) => {
    const p = req.query.provider;
    res.json(sim.requests(sim.hasProvider(p) ? p : undefined));
  });

  router.post('/_sim/faults', async (req, res) => {
    const body = await providerBody(req, res, faultBody);
    if (!body) return;
    const { provider: p, endpoint: e, ...fault } = body;
    sim.setFault(p, e as (typeof ENDPOINT_NAMES)[number], fault);
    res.status(204).end();
  });

  router.delete('/_sim/faults', (_req, res) => {
    sim.clearFaults();
    res.status(204).end();
  });

  /** Behaviour switches (Simulator.setBehaviour), back to their defaults on reset. */
  router.post('/_sim/behaviour', async (req, res) => {
    const body = await jsonBody(req, res, behaviourBody);
    if (!body) return;
    try {
      sim.setBehaviour(body);
    } catch (err) {
      res.status(400).json({ error: 'invalid_request', issues: [(err as Error).message] });
      return;
    }
    res.json(sim.behaviour());
  });

  router.post('/_sim/reset', async (req, res) => {
    const body = await jsonBody(req, res, resetBody, true);
    if (!body) return;
    sim.reset(body);
    res.status(204).end();
  });

  router.post('/_sim/issue', async (req, res) => {
    const body = await providerBody(req, res, issueBody);
    if (!body) return;
    const { provider: p, ...input } = body;
    try {
      res.json(sim.issueTokens(p, input));
    } catch (err) {
      res.status(400).json({ error: 'invalid_request', error_description: (err as Error).message });
    }
  });

  router.post('/_sim/clock', async (req, res) => {
    const body = await jsonBody(req, res, clockBody);
    if (!body) return;
    sim.advanceClock(body.advanceSeconds);
    res.json({ now: sim.now() });
  });

  /** Token state for cross-process assertions: POST so tokens stay out of URLs and access logs. */
  router.post('/_sim/token-state', async (req, res) => {
    const body = await providerBody(req, res, z.object({ provider, token: z.string() }));
    if (!body) return;
    res.json({
      accessTokenValid: sim.isAccessTokenValid(body.provider, body.token),
      refreshTokenValid: sim.isRefreshTokenValid(body.provider, body.token),
      revoked: sim.revoked(body.provider).includes(body.token),
    });
  });
}
