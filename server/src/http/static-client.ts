import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { DASHBOARD_CSP, GRAPHIQL_CSP } from './security-headers.js';

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
  // The pages are reachable by their file names too (/index.html, /graphiql.html): same policies.
  const setHeaders = (res: ServerResponse, file: string) => {
    if (file.endsWith('.html')) res.setHeader('Content-Security-Policy', path.basename(file) === 'graphiql.html' ? GRAPHIQL_CSP : DASHBOARD_CSP);
  };
  router.use(express.static(clientDir, { index: false, maxAge: '1h', setHeaders }));
  router.get('/graphiql', (_req, res) => {
    res.setHeader('Content-Security-Policy', GRAPHIQL_CSP);
    res.sendFile(graphiql);
  });
  router.get(/^\/(?!api\/|api$|graphql|healthz|readyz|sandbox\/|assets\/).*/, (req, res, next) => {
    if (!req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    res.sendFile(index);
  });
  return router;
}
