/**
 * Request parsing and response helpers shared by every simulated provider.
 *
 * The simulator parses bodies itself instead of using express.json()/urlencoded() because
 * strictness needs what those parsers hide: duplicated parameters (RFC 6749 §3.1 says they
 * MUST be rejected), the exact content type, and the raw text (Dropbox's RPC endpoints reject
 * an empty body sent as application/json).
 */
import type { Request, Response } from 'express';

/** Parameters of one source (query or form body). `values` has a null prototype: no `__proto__` surprises. */
export interface ParamBag {
  values: Record<string, string>;
  /** Names that appeared more than once. */
  duplicates: string[];
}

export interface ParsedBody {
  /** Lower-cased media type without parameters, e.g. `application/x-www-form-urlencoded`. */
  contentType?: string;
  raw: string;
  /** Form fields when the body is form-encoded, otherwise empty. */
  form: ParamBag;
  /** The parsed JSON value when the body is JSON and parses; `undefined` otherwise. */
  json?: unknown;
  jsonError?: boolean;
  /** The host app's own body parser consumed the stream first: `raw` is unknown (empty). */
  hostParsed?: boolean;
}

const MAX_BODY_BYTES = 64 * 1024;

export function emptyBag(): ParamBag {
  return { values: Object.create(null) as Record<string, string>, duplicates: [] };
}

export function bagFromSearchParams(sp: URLSearchParams): ParamBag {
  const bag = emptyBag();
  for (const [k, v] of sp) {
    if (k in bag.values) {
      if (!bag.duplicates.includes(k)) bag.duplicates.push(k);
      continue; // keep the first value; callers reject duplicates of protocol parameters
    }
    bag.values[k] = v;
  }
  return bag;
}

/** Query parameters parsed from the raw URL, independent of the host app's `query parser` setting. */
export function queryBag(req: Request): ParamBag {
  const q = req.originalUrl.indexOf('?');
  return bagFromSearchParams(new URLSearchParams(q === -1 ? '' : req.originalUrl.slice(q + 1)));
}

/** JSON objects with only string values become a bag too (Google and Shopify accept JSON token requests). */
export function bagFromJson(value: unknown): ParamBag {
  const bag = emptyBag();
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string') bag.values[k] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') bag.values[k] = String(v);
    }
  }
  return bag;
}

export class BodyTooLargeError extends Error {
  constructor() {
    super('request body too large');
  }
}

/**
 * Reads and parses the body once per request (cached on the request). When the host app
 * already consumed the stream with its own parser, falls back to what that parser left in
 * `req.body` — the raw text is then unknown (empty string).
 */
export async function readBody(req: Request): Promise<ParsedBody> {
  const cached = (req as Request & { simBody?: ParsedBody }).simBody;
  if (cached) return cached;
  const contentType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase() || undefined;
  let raw = '';
  if (req.readableEnded || (req as { body?: unknown }).body !== undefined) {
    const pre = (req as { body?: unknown }).body;
    const parsed: ParsedBody = { contentType, raw: '', form: emptyBag(), hostParsed: true };
    if (contentType === 'application/json') parsed.json = pre;
    else if (pre && typeof pre === 'object') parsed.form = bagFromJson(pre);
    (req as Request & { simBody?: ParsedBody }).simBody = parsed;
    return parsed;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  raw = Buffer.concat(chunks).toString('utf8');
  const parsed: ParsedBody = { contentType, raw, form: emptyBag() };
  if (contentType === 'application/x-www-form-urlencoded') {
    parsed.form = bagFromSearchParams(new URLSearchParams(raw));
  } else if (contentType === 'application/json' && raw.length > 0) {
    try {
      parsed.json = JSON.parse(raw);
    } catch {
      parsed.jsonError = true;
    }
  }
  (req as Request & { simBody?: ParsedBody }).simBody = parsed;
  return parsed;
}

/** Plain object view of a bag, for recording. */
export function bagToObject(bag: ParamBag): Record<string, string> {
  return { ...bag.values };
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** RFC 6749 §5.2 error body. `no-store` like a real token endpoint. */
export function sendOAuthError(
  res: Response,
  status: number,
  error: string,
  description?: string,
  headers: Record<string, string> = {},
): void {
  res.status(status);
  res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache', ...headers });
  res.json(description === undefined ? { error } : { error, error_description: description });
}

/** Successful token response (RFC 6749 §5.1 requires no-store). */
export function sendTokenJson(res: Response, body: object): void {
  res.status(200).set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(body);
}

/** Appends parameters to a redirect URI, keeping its own query (RFC 6749 §3.1.2). */
export function withParams(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.append(k, v);
  return url.toString();
}

/** Absolute http(s) URL without fragment — what every provider demands of a redirect URI. */
export function isValidRedirectUri(value: string): boolean {
  if (value.includes('#')) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** `Authorization: <scheme> <value>` → value, case-insensitive scheme. */
export function authorizationValue(req: Request, scheme: string): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space === -1) return undefined;
  if (header.slice(0, space).toLowerCase() !== scheme.toLowerCase()) return undefined;
  const value = header.slice(space + 1).trim();
  return value.length > 0 ? value : undefined;
}
