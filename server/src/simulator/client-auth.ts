/**
 * Client authentication at token (and some revocation) endpoints.
 *
 * Providers differ in what they read: Google and Dropbox accept HTTP Basic or the form body
 * (client_secret_basic / client_secret_post); Asana, Box, Shopify and Zoho read only the body,
 * so a Basic header alone does NOT authenticate there — exactly the mistake a generic OAuth
 * client (client-oauth2 sends Basic by default) makes against them.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { authorizationValue, type ParamBag } from './http.js';
import type { SimulatorClient } from './types.js';

export type ClientAuthResult =
  | { ok: true; clientId: string }
  | { ok: false; status: 401; error: 'invalid_client'; description: string; headers: Record<string, string> };

export interface ClientAuthOptions {
  /** Whether the provider reads `Authorization: Basic` (RFC 6749 §2.3.1). */
  basic: boolean;
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before base64; decode leniently. */
function parseBasic(value: string): { id: string; secret: string } | undefined {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: dec(decoded.slice(0, colon)), secret: dec(decoded.slice(colon + 1)) };
}

export function authenticateClient(
  req: Request,
  params: ParamBag,
  expected: SimulatorClient,
  opts: ClientAuthOptions,
): ClientAuthResult {
  const fail = (description: string, basicTried = false): ClientAuthResult => ({
    ok: false,
    status: 401,
    error: 'invalid_client',
    description,
    headers: basicTried ? { 'WWW-Authenticate': 'Basic realm="oauth"' } : {},
  });

  const bodyId = params.values.client_id;
  const bodySecret = params.values.client_secret;
  const basicValue = opts.basic ? authorizationValue(req, 'Basic') : undefined;

  if (basicValue !== undefined) {
    const basic = parseBasic(basicValue);
    if (!basic) return fail('Malformed Basic authorization header', true);
    // Both methods at once are only tolerated when they agree (RFC 6749 §2.3 forbids mixing).
    if (bodyId !== undefined && bodyId !== basic.id) return fail('client_id in body and Authorization header differ', true);
    if (bodySecret !== undefined && bodySecret !== basic.secret) return fail('client_secret in body and Authorization header differ', true);
    if (basic.id !== expected.clientId || !safeEqual(basic.secret, expected.clientSecret)) {
      return fail('The OAuth client was not found or its secret is wrong.', true);
    }
    return { ok: true, clientId: basic.id };
  }

  if (bodyId === undefined || bodySecret === undefined) {
    return fail(
      opts.basic
        ? 'Client authentication required (HTTP Basic or client_id/client_secret in the body).'
        : 'client_id and client_secret are required in the request body.',
    );
  }
  if (bodyId !== expected.clientId || !safeEqual(bodySecret, expected.clientSecret)) {
    return fail('The OAuth client was not found or its secret is wrong.');
  }
  return { ok: true, clientId: bodyId };
}
