/**
 * Helpers for the simulator's own tests (and for hub tests that drive the simulator by hand).
 * Plain fetch, no client library, so the tests see exactly what goes over the wire.
 */
import { createHash, randomBytes } from 'node:crypto';

export const REDIRECT_BASE = 'https://hub.example.test/api/oauth';
export const redirectUriFor = (provider: string) => `${REDIRECT_BASE}/${provider}/callback`;

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url'); // 43 chars
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function randomState(): string {
  return randomBytes(16).toString('base64url');
}

export function basicAuth(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export function urlWith(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: any;
}

async function toResult(res: Response): Promise<HttpResult> {
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export async function postForm(url: string, fields: Record<string, string | undefined>, headers: Record<string, string> = {}): Promise<HttpResult> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) body.set(k, v);
  return toResult(
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: body.toString(), redirect: 'manual' }),
  );
}

export async function postJson(url: string, value: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
  return toResult(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value), redirect: 'manual' }));
}

export async function request(url: string, init: RequestInit = {}): Promise<HttpResult> {
  return toResult(await fetch(url, { redirect: 'manual', ...init }));
}

/** Query parameters of a redirect Location. */
export function paramsOf(location: string): Record<string, string> {
  return Object.fromEntries(new URL(location).searchParams);
}
