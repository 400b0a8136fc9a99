import { useEffect, useState } from 'react';
import { CALLBACK_FAILURE_REASONS, type CallbackFailureReason } from '../../gql/error-codes';

/**
 * The result of a connect, as the hub's OAuth callback reports it when it sends the browser
 * back: `?status=success|failure&provider=<id>&reason=<code>` (server: oauth-flow/failure.ts).
 * Read once on arrival, then removed from the URL so a reload or a shared link does not
 * repeat the message.
 */
export interface CallbackResult {
  status: 'success' | 'failure';
  provider: string;
  /** The failure code; absent on success, and when it is not one the server's list has. */
  reason: CallbackFailureReason | null;
}

const PARAMS = ['status', 'provider', 'reason'] as const;
const PROVIDER_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const isReason = (value: string | null): value is CallbackFailureReason => (CALLBACK_FAILURE_REASONS as readonly (string | null)[]).includes(value);

/** The callback's parameters from a query string, or null when there is no (well-formed) result. */
export function parseCallbackResult(search: string): CallbackResult | null {
  const params = new URLSearchParams(search);
  const status = params.get('status');
  const provider = params.get('provider') ?? '';
  if ((status !== 'success' && status !== 'failure') || !PROVIDER_ID.test(provider)) return null;
  const reason = params.get('reason');
  return { status, provider, reason: status === 'failure' && isReason(reason) ? reason : null };
}

/** `href` without the callback's parameters (other parameters and the hash are kept). */
export function withoutCallbackParams(href: string): string {
  const url = new URL(href);
  for (const name of PARAMS) url.searchParams.delete(name);
  return url.pathname + url.search + url.hash;
}

export interface CallbackMessage {
  tone: 'success' | 'error';
  title: string;
  text: string;
}

/** What to tell the person. Copy never includes anything from the URL but the provider's name. */
export function callbackMessage(result: CallbackResult, providerName: string): CallbackMessage {
  if (result.status === 'success') {
    return { tone: 'success', title: `Connected ${providerName}`, text: `Your ${providerName} account is connected and ready to use.` };
  }
  const title = `Could not connect ${providerName}`;
  const text = (() => {
    switch (result.reason) {
      case 'access_denied':
        return `You declined access at ${providerName}.`;
      case 'expired':
        return 'The connection attempt expired; try again.';
      case 'invalid_state':
        return 'This connection link is no longer valid; start again.';
      case 'token_exchange_failed':
      case 'provider_error':
        return `${providerName} had a problem; try again later.`;
      case 'identity_failed':
        return `${providerName} did not tell us which account you connected; try again later.`;
      case 'invalid_hmac':
        return `The answer from ${providerName} could not be verified; start again.`;
      case 'invalid_shop':
        return 'The answer named a different or invalid shop; start again and check the shop domain.';
      case 'untrusted_accounts_server':
        return `The answer came from a ${providerName} data centre this hub does not trust; ask your administrator.`;
      case 'invalid_issuer':
        return `The answer came from a different server than the one the connection started with; start again.`;
      default:
        return 'Something went wrong while connecting; try again.';
    }
  })();
  return { tone: 'error', title, text };
}

/**
 * The callback result present in the URL when the page first rendered. The parameters are then
 * stripped from the address bar (history.replaceState, which the router does not observe), so
 * the message shows once; `dismiss` hides it.
 */
export function useCallbackResult(): [CallbackResult | null, () => void] {
  // A pure read: StrictMode's double render sees the same URL; the effect below is idempotent.
  const [result, setResult] = useState<CallbackResult | null>(() => parseCallbackResult(window.location.search));
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    if (PARAMS.some((name) => params.has(name))) {
      window.history.replaceState(window.history.state, '', withoutCallbackParams(window.location.href));
    }
  }, []);
  return [result, () => setResult(null)];
}
