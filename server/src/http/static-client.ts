import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Serves the built dashboard (dist/client): hashed assets with long caching, `/graphiql`
 * (its own page, so its large bundle loads only there) and index.html for every other
 * browser path (history fallback). API paths never fall back to the SPA.
 */
export function staticClient(clientDir: string): Router {
  const router = Router();
  const index = path.join(clientDir, 'index.html');
  const graphiql = path.join(clientDir, 'graphiql.html');
  if (!existsSync(index)) {
    router.get('/', (_req, res) => {
      res.status(503).type('text/plain').send('The dashboard is not built yet: run `npm run build` (npm start does it for you).');
    });
    return router;
  }
  router.use('/assets', express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '1y', index: false }));
  router.use(express.static(clientDir, { index: false, maxAge: '1h' }));
  router.get('/graphiql', (_req, res) => res.sendFile(graphiql));
  router.get(/^\/(?!api\/|api$|graphql|healthz|readyz|sandbox\/|assets\/).*/, (req, res, next) => {
    if (!req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
