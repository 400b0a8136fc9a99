/**
 * What tests observe and steer: per-endpoint counters, the request log and fault switches.
 *
 * Every provider route enters through `enter()`, which records the request, counts it and
 * then applies a fault if one is set for that endpoint — so a fault behaves the same on every
 * provider and the counters include faulted requests (the hub did send them).
 */
import type { Request, Response } from 'express';
import { bagToObject, readBody, queryBag, type ParamBag, type ParsedBody } from './http.js';
import type { EndpointName, Fault, FaultKind, SimulatedProviderId, RecordedRequest } from './types.js';

export const DEFAULT_SLOW_DELAY_MS = 30_000;

interface ActiveFault {
  kind: FaultKind;
  remaining: number | undefined;
  delayMs: number;
  retryAfter: string | undefined;
}

export interface EnteredRequest {
  query: ParamBag;
  body: ParsedBody;
}

/** Endpoints that render pages: their faults answer HTML, like a broken web front end. */
const PAGE_ENDPOINTS: ReadonlySet<EndpointName> = new Set(['authorize', 'consent']);

export class Instrumentation {
  private readonly counters = new Map<SimulatedProviderId, Map<EndpointName, number>>();
  private log: RecordedRequest[] = [];
  private readonly faults = new Map<string, ActiveFault>();
  /** Open `slow` waits; shutdown() ends them so close() never hangs on a 30 s sleep. */
  private readonly waits = new Set<(reason: 'shutdown') => void>();

  constructor(
    private readonly now: () => number,
    private readonly maxRecorded: number,
  ) {}

  count(provider: SimulatedProviderId, endpoint: EndpointName): number {
    return this.counters.get(provider)?.get(endpoint) ?? 0;
  }

  allCounts(): Record<SimulatedProviderId, Partial<Record<EndpointName, number>>> {
    const out = {} as Record<SimulatedProviderId, Partial<Record<EndpointName, number>>>;
    for (const [provider, map] of this.counters) out[provider] = Object.fromEntries(map);
    return out;
  }

  requests(provider?: SimulatedProviderId): RecordedRequest[] {
    return provider ? this.log.filter((r) => r.provider === provider) : [...this.log];
  }

  setFault(provider: SimulatedProviderId, endpoint: EndpointName, fault: Fault): void {
    if (fault.times !== undefined && (!Number.isInteger(fault.times) || fault.times < 1)) {
      throw new RangeError('fault.times must be a positive integer');
    }
    this.faults.set(`${provider}:${endpoint}`, {
      kind: fault.kind,
      remaining: fault.times,
      delayMs: fault.delayMs ?? DEFAULT_SLOW_DELAY_MS,
      retryAfter: fault.retryAfter,
    });
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Counters, request log and faults; issued tokens live elsewhere. */
  reset(): void {
    this.counters.clear();
    this.log = [];
    this.faults.clear();
  }

  shutdown(): void {
    for (const end of [...this.waits]) end('shutdown');
  }

  /**
   * Parses, records and counts the request, then applies any fault. Returns the parsed
   * request when the handler should go on, or null when the fault already answered.
   * `endpoint` may depend on the body (the token endpoint serves several grant types).
   */
  async enter(
    req: Request,
    res: Response,
    provider: SimulatedProviderId,
    endpoint: EndpointName | ((query: ParamBag, body: ParsedBody) => EndpointName),
  ): Promise<EnteredRequest | null> {
    const body = await readBody(req);
    const query = queryBag(req);
    const name = typeof endpoint === 'function' ? endpoint(query, body) : endpoint;

    const record: RecordedRequest = {
      at: this.now(),
      provider,
      endpoint: name,
      method: req.method,
      path: req.path,
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
      ),
      query: bagToObject(query),
      body:
        body.contentType === 'application/x-www-form-urlencoded'
          ? bagToObject(body.form)
          : body.json !== undefined
            ? body.json
            : body.raw.length > 0
              ? body.raw
              : undefined,
      ...(body.contentType ? { contentType: body.contentType } : {}),
    };
    this.log.push(record);
    if (this.log.length > this.maxRecorded) this.log.splice(0, this.log.length - this.maxRecorded);
    res.on('finish', () => {
      record.status = res.statusCode;
    });

    let perProvider = this.counters.get(provider);
    if (!perProvider) this.counters.set(provider, (perProvider = new Map()));
    perProvider.set(name, (perProvider.get(name) ?? 0) + 1);

    const fault = this.takeFault(provider, name);
    if (!fault) return { query, body };

    switch (fault.kind) {
      case 'http500':
        if (PAGE_ENDPOINTS.has(name)) {
          res.status(500).type('html').send('<!doctype html><html><body><h1>500 Internal Server Error</h1><p>Simulated failure.</p></body></html>');
        } else {
          res.status(500).json({ error: 'server_error', error_description: 'Simulated internal server error' });
        }
        return null;
      case 'malformed':
        // Truncated JSON with a JSON content type: the parser of the hub must cope.
        res.status(200).type('application/json').send('{"access_token": "sim-trunc');
        return null;
      case 'invalid_grant':
        res.status(400).set('Cache-Control', 'no-store').json({ error: 'invalid_grant' });
        return null;
      case 'http429':
        // Rate limited, as any token, revocation or identity endpoint may answer (RFC 6585 §4).
        if (fault.retryAfter !== undefined) res.set('Retry-After', fault.retryAfter);
        if (PAGE_ENDPOINTS.has(name)) res.status(429).type('html').send('<!doctype html><html><body><h1>429 Too Many Requests</h1></body></html>');
        else res.status(429).json({ error: 'rate_limited', error_description: 'Too many requests' });
        return null;
      case 'slow': {
        const outcome = await this.wait(fault.delayMs, res);
        if (outcome === 'elapsed') return { query, body };
        if (outcome === 'shutdown' && !res.headersSent && !res.writableEnded) {
          res.status(503).set('Connection', 'close').json({ error: 'temporarily_unavailable', error_description: 'Simulator shutting down' });
        }
        return null;
      }
    }
  }

  private takeFault(provider: SimulatedProviderId, endpoint: EndpointName): ActiveFault | undefined {
    const key = `${provider}:${endpoint}`;
    const fault = this.faults.get(key);
    if (!fault) return undefined;
    if (fault.remaining !== undefined && --fault.remaining <= 0) this.faults.delete(key);
    return fault;
  }

  /** Sleeps, but wakes early when the client goes away or the simulator shuts down. */
  private wait(ms: number, res: Response): Promise<'elapsed' | 'shutdown' | 'gone'> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (outcome: 'elapsed' | 'shutdown' | 'gone') => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.waits.delete(onShutdown);
        res.off('close', onClose);
        resolve(outcome);
      };
      const onShutdown = () => finish('shutdown');
      const onClose = () => finish('gone');
      const timer = setTimeout(() => finish('elapsed'), ms);
      this.waits.add(onShutdown);
      // 'close' on the response before it finished = the client disconnected.
      res.on('close', onClose);
    });
  }
}
