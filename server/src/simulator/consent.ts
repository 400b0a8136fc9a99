/**
 * The consent screen every simulated provider shows, and the pending authorizations behind it.
 *
 * The authorize GET validates the request, stores it server-side under a random request id
 * and renders a form carrying only that id. The POST (same path) looks the id up, so a user
 * (or simulateConsent) can change nothing but the login, the data centre and the decision —
 * like a real consent screen, where the client's parameters are fixed once validated.
 */
import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { SimContext } from './context.js';
import { escapeHtml, type ParamBag } from './http.js';
import type { SimulatedProviderId } from './types.js';

export interface ConsentDecision {
  decision: 'allow' | 'deny';
  login: string;
  form: ParamBag;
}

export type ConsentOutcome = { redirect: string } | { error: string };

export interface PendingConsent {
  id: string;
  provider: SimulatedProviderId;
  /** Router path the page was rendered for; the POST must come back to it. */
  path: string;
  expiresAt: number;
  decide(input: ConsentDecision): ConsentOutcome;
}

/** Pending consents expire like a login session would; 30 minutes is ample for tests. */
export const PENDING_CONSENT_TTL_MS = 30 * 60 * 1000;

export class PendingConsents {
  private readonly pending = new Map<string, PendingConsent>();
  private adds = 0;

  constructor(private readonly now: () => number) {}

  add(entry: Omit<PendingConsent, 'id' | 'expiresAt'>): PendingConsent {
    const now = this.now();
    // Abandoned consent pages pile up under load tests; sweep now and then, not on every add.
    if (++this.adds % 256 === 0) for (const [k, p] of this.pending) if (p.expiresAt <= now) this.pending.delete(k);
    const full: PendingConsent = { ...entry, id: randomBytes(18).toString('base64url'), expiresAt: now + PENDING_CONSENT_TTL_MS };
    this.pending.set(full.id, full);
    return full;
  }

  /** Single use: a decided (or expired) request cannot be decided again. */
  take(id: string | undefined, provider: SimulatedProviderId, path: string): PendingConsent | undefined {
    if (!id) return undefined;
    const entry = this.pending.get(id);
    if (!entry || entry.provider !== provider || entry.path !== path) return undefined;
    this.pending.delete(id);
    return entry.expiresAt > this.now() ? entry : undefined;
  }

  clear(): void {
    this.pending.clear();
  }
}

export interface ConsentPageInput {
  providerName: string;
  /** Who asks: the client id, or Trello's `name` parameter. */
  appName: string;
  scopes: string[];
  loginDefault: string;
  /** Absolute path the form posts to (mount prefix included). */
  action: string;
  requestId: string;
  /** Zoho: the data-centre select. */
  dataCenters?: { options: readonly string[]; selected: string };
  /** Extra facts shown to the user (shop, expiration …). */
  details?: Array<[string, string]>;
}

const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  // form-action must allow the redirect target too: Chromium applies it to the POST's redirect.
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; frame-ancestors 'none'",
};

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}' +
  'label{display:block;margin:1rem 0}input,select{display:block;width:100%;padding:.4rem;margin-top:.25rem}' +
  'button{padding:.5rem 1.2rem;margin-right:.5rem}.sim{color:#888;font-size:.8rem}';

export function renderConsentPage(res: Response, input: ConsentPageInput): void {
  const scopes = input.scopes.length
    ? `<ul id="scopes">${input.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`
    : '<p id="scopes">Default access</p>';
  const details = (input.details ?? [])
    .map(([k, v]) => `<p class="detail"><strong>${escapeHtml(k)}:</strong> ${escapeHtml(v)}</p>`)
    .join('');
  const dc = input.dataCenters
    ? `<label for="dc">Data centre<select id="dc" name="dc">${input.dataCenters.options
        .map((o) => `<option value="${escapeHtml(o)}"${o === input.dataCenters!.selected ? ' selected' : ''}>${escapeHtml(o)}</option>`)
        .join('')}</select></label>`
    : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.providerName)} – authorize access</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(input.providerName)}</h1>
<p><strong id="app">${escapeHtml(input.appName)}</strong> wants to access your ${escapeHtml(input.providerName)} account:</p>
${scopes}${details}
<form id="consent" method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="request_id" value="${escapeHtml(input.requestId)}">
<label for="login">Email or login<input id="login" name="login" type="text" value="${escapeHtml(input.loginDefault)}" autocomplete="username"></label>
${dc}<button id="allow" type="submit" name="decision" value="allow">Allow</button><button id="deny" type="submit" name="decision" value="deny">Deny</button>
</form>
<p class="sim">Local provider simulator — no real account is involved.</p>
</main></body></html>`;
  res.status(200).set(PAGE_HEADERS).type('html').send(html);
}

/** The error page real providers show when they cannot safely redirect (bad client or redirect_uri). */
export function renderErrorPage(res: Response, status: number, error: string, description: string): void {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Error ${status}: ${escapeHtml(error)}</title><style>${STYLE}</style></head>
<body><main><h1 id="error">${escapeHtml(error)}</h1><p id="error_description">${escapeHtml(description)}</p></main></body></html>`;
  res.status(status).set(PAGE_HEADERS).type('html').send(html);
}

/** Where the consent form posts: the same path, with whatever prefix the router is mounted under. */
export function formAction(req: Request): string {
  return `${req.baseUrl}${req.path}`;
}

/** Login from the form: trimmed, non-empty, printable, reasonably short. */
export function validLogin(value: string | undefined): string | undefined {
  const login = value?.trim();
  if (!login || login.length > 254 || /[\u0000-\u001f\u007f]/.test(login)) return undefined;
  return login;
}

/**
 * POST handler of every consent form (mounted on the authorize path). The pending request is
 * single use; the login is checked before it is consumed so a typo does not burn it.
 */
export function consentPostHandler(ctx: SimContext, provider: SimulatedProviderId): RequestHandler {
  return async (req, res) => {
    const entered = await ctx.instrumentation.enter(req, res, provider, 'consent');
    if (!entered) return;
    const form = entered.body.form;
    const decision = form.values.decision;
    if (decision !== 'allow' && decision !== 'deny') {
      renderErrorPage(res, 400, 'invalid_request', 'Choose Allow or Deny.');
      return;
    }
    const login = validLogin(form.values.login);
    if (decision === 'allow' && !login) {
      renderErrorPage(res, 400, 'invalid_request', 'Enter your email address or login.');
      return;
    }
    const pending = ctx.consents.take(form.values.request_id, provider, req.path);
    if (!pending) {
      renderErrorPage(res, 400, 'invalid_request', 'This authorization request is unknown, expired or already answered. Start again from the application.');
      return;
    }
    const outcome = pending.decide({ decision, login: login ?? '', form });
    if ('error' in outcome) {
      renderErrorPage(res, 400, 'invalid_request', outcome.error);
      return;
    }
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).redirect(302, outcome.redirect);
  };
}
