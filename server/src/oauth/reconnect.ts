import { OAuthError } from './errors.js';
import type { IncomingResponse, OAuthHttp, OutgoingRequest } from './http.js';

/**
 * Sends a request, and once more when the first attempt failed at the network level. The usual
 * cause is a pooled keep-alive connection the provider closed just as the request was written:
 * fetch retries only idempotent methods by itself, and token refreshes and revocations are POSTs.
 * A second attempt is safe for both: a revocation is idempotent in effect, and a refresh that did
 * reach a rotating provider (Box, Shopify) lost its answer anyway — the retry then gets
 * invalid_grant and the connection is marked NEEDS_REAUTH, as it would be on the next try (F03).
 * Timeouts are not retried: the provider may still be working on the first request.
 * @throws OAuthError
 */
export async function sendWithOneReconnect(http: OAuthHttp, request: OutgoingRequest): Promise<IncomingResponse> {
  try {
    return await http.send(request);
  } catch (err) {
    if (err instanceof OAuthError && err.code === 'network') return http.send(request);
    throw err;
  }
}
