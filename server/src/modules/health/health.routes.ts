import { Router } from 'express';
import type { Database } from '../../db/orm.js';

/**
 * `/healthz`: the process is up. `/readyz`: the database answers and every migration is
 * applied — what a load balancer should route on. Neither needs a session.
 */
export function healthRoutes(db: Database): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const database = await db.ping();
    let pending: string[] | null = null;
    if (database) pending = await db.pendingMigrations().catch(() => null);
    const ready = database && pending !== null && pending.length === 0;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'unavailable',
      database: database ? 'ok' : 'unreachable',
      databaseKind: db.kind,
      migrations: pending === null ? 'unknown' : pending.length === 0 ? 'applied' : 'pending',
    });
  });
  return router;
}
