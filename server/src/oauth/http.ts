import { OAuthError } from './errors.js';

export const DEFAULT_OAUTH_TIMEOUT_MS = 10_000;
/** Token and identity answers are a few hundred bytes; anything this large is not one. */
export const MAX_RESPONSE_BYTES = 256 * 1024;

export interface OutgoingRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface IncomingResponse {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * Every request the hub sends to a provider goes through here: `fetch` (no shared cookie jar,
 * unlike client-oauth2's default transport), a deadline, a size cap, and redirects NOT followed —
 * a token request goes to the configured host and nowhere else (S19).
 * `timeoutMs` is mutable so an in-process test can shorten it.
 */
export class OAuthHttp {
  constructor(public timeoutMs: number = DEFAULT_OAUTH_TIMEOUT_MS) {}

  async send(request: OutgoingRequest): Promise<IncomingResponse> {
    let res: Response;
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      res = await fetch(request.url, {
        method: request.method,
        headers: request.headers ?? {},
        ...(request.body !== undefined ? { body: request.body } : {}),
        redirect: 'manual',
        signal,
      });
    } catch (err) {
      throw failure(err, signal, this.timeoutMs);
    }
    let body: string;
    try {
      body = await readLimited(res);
    } catch (err) {
      if (err instanceof OAuthError) throw err;
      throw failure(err, signal, this.timeoutMs);
    }
    return { status: res.status, headers: res.headers, body };
  }

  /** client-oauth2's transport hook (docs/stack.md: always pass one; its default shares one cookie jar). */
  readonly clientOAuth2Request = async (
    method: string,
    url: string,
    body: string,
    headers: Record<string, string | string[]>,
  ): Promise<{ status: number; body: string }> => {
    const flat = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
    const res = await this.send({ method, url, headers: flat, ...(method === 'GET' || method === 'HEAD' ? {} : { body }) });
    return { status: res.status, body: res.body };
  };
}

function failure(err: unknown, signal: AbortSignal, timeoutMs: number): OAuthError {
  if (signal.aborted) return new OAuthError('timeout', `The provider did not answer within ${timeoutMs} ms`, { cause: err });
  return new OAuthError('network', 'The provider could not be reached', { cause: err });
}

async function readLimited(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new OAuthError('invalid_response', `The provider's answer exceeds ${MAX_RESPONSE_BYTES} bytes`, { status: res.status });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
