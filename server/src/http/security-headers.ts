import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config/env.js';

/** A policy as directive → sources, written out in a stable order. */
function policy(directives: Record<string, string>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources}`)
    .join('; ');
}

/**
 * What every page of the hub shares (S40): its own origin only, never framed, no plugins, no
 * `<base>` or form posts elsewhere. The built pages carry no inline script (Vite emits external
 * module scripts), so `script-src 'self'` needs no hash.
 */
const BASE_DIRECTIVES = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  // Icons are inline SVG elements or same-origin files; `data:` for images CSS may embed.
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
};

/** The dashboard (index.html at every history path). */
export const DASHBOARD_CSP = policy(BASE_DIRECTIVES);

/**
 * GraphiQL, the minimum it works under (checked in a browser): Monaco adds `<style>` elements at
 * run time (theme, decorations) and writes `style` attributes in markup, which only
 * `'unsafe-inline'` for styles allows — never for scripts. GraphiQL's stylesheet embeds its fonts
 * as `data:` URLs. Its editor, JSON and GraphQL workers are same-origin chunks (`worker-src 'self'`).
 */
export const GRAPHIQL_CSP = policy({
  ...BASE_DIRECTIVES,
  'style-src': "'self' 'unsafe-inline'",
  'font-src': "'self' data:",
  'worker-src': "'self'",
});

/** HSTS for a hub served over https: one year, subdomains of the hub's host included. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Conservative defaults for every answer; routes may tighten (the OAuth callback sets
 * no-referrer; pages set their Content-Security-Policy). HSTS only when PUBLIC_URL is https:
 * over plain http it would be ignored, and on localhost it would pin the port's host to https.
 */
export function securityHeaders(config: Pick<Config, 'publicUrl'>) {
  const https = config.publicUrl.startsWith('https://');
  return (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    if (https) res.setHeader('Strict-Transport-Security', HSTS);
    next();
  };
}
