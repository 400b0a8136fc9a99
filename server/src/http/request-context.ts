import type { EntityManager } from '@mikro-orm/postgresql';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Level } from 'pino';
import type { Logger } from '../logging/logger.js';
import type { LiveSession, SessionMeta, SessionUser } from '../modules/accounts/session.service.js';

/**
 * What the hub attaches to each request. The logger and the EntityManager are made on first use:
 * most requests never log below the configured level or touch an entity, and making them costs
 * CPU on every request (benchmarks B1/B2).
 */
export class HubRequestState {
  auth?: { user: SessionUser; session: LiveSession } | null;
  private logger: Logger | undefined;
  private readonly bindings: Record<string, unknown>;
  private fork: EntityManager | undefined;
  private root: EntityManager | undefined;

  constructor(
    readonly id: string,
    private readonly parentLogger: Logger,
    readonly meta: SessionMeta,
  ) {
    this.bindings = { reqId: id };
  }

  /** This request's logger: every line carries the request id (and the user, once known). */
  get log(): Logger {
    return (this.logger ??= this.parentLogger.child(this.bindings));
  }

  /** Adds fields to every later line of `log`. */
  bindLog(fields: Record<string, unknown>): void {
    if (this.logger) this.logger = this.logger.child(fields);
    else Object.assign(this.bindings, fields);
  }

  /** Whether a line at `level` would be written (so a caller can skip building it). */
  logs(level: Level): boolean {
    return (this.logger ?? this.parentLogger).isLevelEnabled(level);
  }

  /** The request's own fork of `root`, made when first asked for. */
  useEntityManager(root: EntityManager): void {
    this.root = root;
  }

  get em(): EntityManager | undefined {
    return (this.fork ??= this.root?.fork());
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    hub: HubRequestState;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * A request id (the caller's `X-Request-Id` when well-formed, else a new one), a child logger
 * carrying it, and one log line per request. Only the path is logged, never the query string:
 * OAuth callbacks carry codes and state there.
 */
export function requestContext(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get('x-request-id');
    const id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const state = new HubRequestState(id, logger, { ip: req.ip, userAgent: req.get('user-agent') });
    req.hub = state;
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    // The path as received (before any router trims its mount point), split only for a line written.
    const url = req.originalUrl;
    const path = () => url.split('?')[0];
    if (state.logs('debug')) state.log.debug({ method: req.method, path: path() }, 'request started');
    res.on('finish', () => {
      const level = res.statusCode >= 500 ? 'error' : 'info';
      if (!state.logs(level)) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      state.log[level]({ method: req.method, path: path(), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request finished');
    });
    next();
  };
}
