import { Router, type NextFunction, type Request, type Response } from 'express';
import { requireSession } from '../accounts/session.middleware.js';
import type { ModuleServices } from '../services.js';
import { forbidden } from '../../shared/errors.js';
import { CALLBACK_HEADERS, renderCallbackPage } from './callback-page.js';
import { OAuthFlowService } from './oauth-flow.service.js';

/** A single string query parameter (`?a=1&a=2` and `?a[b]=1` count as absent). */
function one(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The query exactly as sent, independent of express's query parser. */
function rawQuery(req: Request): URLSearchParams {
  const i = req.originalUrl.indexOf('?');
  return new URLSearchParams(i === -1 ? '' : req.originalUrl.slice(i + 1));
}

/** Sec-Fetch-Site values that may start a connect: the hub's own pages, or the user typing / a bookmark. */
const INITIATE_FETCH_SITES = new Set(['same-origin', 'none']);

/**
 * Initiate is a GET that starts a flow in the user's session, so another site must not be able to
 * trigger it (S29) — nor another origin of the same site (S08): a sibling port or subdomain is
 * `same-site`, and may be run by someone else. Browsers name a navigation's origin in
 * Sec-Fetch-Site (`same-origin` from the dashboard, `none` for a bookmark or typed URL); any other
 * value is refused. A request without the header is allowed: non-browser clients do not send it,
 * and browsers send it only to secure origins (https, localhost), so a hub on plain http elsewhere
 * gets none — one more reason to serve it over https.
 */
function sameOriginOnly(req: Request, _res: Response, next: NextFunction) {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && !INITIATE_FETCH_SITES.has(site.trim().toLowerCase())) {
    return next(forbidden('Start a connection from the dashboard'));
  }
  next();
}

/**
 * `GET /api/oauth/:provider/initiate?shop=&returnTo=` — 302 to the provider (session required;
 * 401 JSON otherwise; errors as JSON through the REST error handler).
 * `GET /api/oauth/:provider/callback` — finishes the connect, then redirects to the dashboard
 * with the outcome; a callback that cannot be trusted gets a plain 400 page instead. Either way
 * with `Referrer-Policy: no-referrer` (S13). Mounted after the session middleware.
 */
export function oauthRoutes(services: ModuleServices): Router {
  const router = Router();
  const flow = (req: Request) => new OAuthFlowService(services, req.hub.em!, req.hub.log);

  router.get('/:provider/initiate', requireSession, sameOriginOnly, async (req, res) => {
    const url = await flow(req).start(
      req.hub.auth!.user.id,
      { provider: String(req.params.provider), shop: one(req.query.shop), returnTo: one(req.query.returnTo) },
      req.hub.meta.ip,
    );
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).redirect(302, url);
  });

  router.get('/:provider/callback', async (req, res) => {
    res.set(CALLBACK_HEADERS);
    const outcome = await flow(req).finish({
      provider: String(req.params.provider),
      query: rawQuery(req),
      userId: req.hub.auth?.user.id ?? null,
      ip: req.hub.meta.ip,
    });
    if (outcome.kind === 'redirect') {
      res.redirect(302, outcome.location);
      return;
    }
    const title = outcome.status === 404 ? 'Unknown provider' : 'The connection could not be completed';
    res.status(outcome.status).type('html').send(renderCallbackPage({ title, message: outcome.message, dashboardUrl: outcome.dashboardUrl }));
  });

  return router;
}
