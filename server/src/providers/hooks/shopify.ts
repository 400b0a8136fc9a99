import { createHmac, timingSafeEqual } from 'node:crypto';
import { badInput } from '../../shared/errors.js';
import type { ProviderHook } from './hook.js';

/** Anchored: an unanchored check lets `evil.example/x.myshopify.com` through (token theft). */
export const SHOP_DOMAIN = /^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$/;
export const SHOPIFY_MAX_CLOCK_SKEW_SECONDS = 90;

/** The shop domain as the hub uses it, or undefined when it is not a valid one. */
export function normalizeShop(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value.length <= 255 && SHOP_DOMAIN.test(value) ? value.toLowerCase() : undefined;
}

/**
 * Shopify's callback HMAC, as Shopify's own library computes it (@shopify/shopify-api
 * `validateHmac`: the received query without `hmac` (and `signature`), keys sorted, encoded again
 * with URLSearchParams): the values are decoded once and form-encoded again, so `&`, `%`, `=` and
 * the like inside a value are signed the way Shopify sent them, not as raw characters that would
 * shift the `key=value&…` boundaries. HMAC-SHA256 with the client secret, lower-case hex.
 */
export function shopifyCallbackHmac(params: URLSearchParams, clientSecret: string): string {
  const sorted = [...params]
    .filter(([k]) => k !== 'hmac' && k !== 'signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac('sha256', clientSecret).update(new URLSearchParams(sorted).toString(), 'utf8').digest('hex');
}

function hasDuplicates(params: URLSearchParams): boolean {
  const keys = [...params.keys()];
  return new Set(keys).size !== keys.length;
}

/**
 * Shopify: one authorization server per shop. The shop is validated before any redirect (S10);
 * the callback must name the same shop, carry a valid HMAC (constant-time compare) and a
 * timestamp within ±90 s of the hub's clock.
 */
export const shopifyHook: ProviderHook = {
  provides: ['shop'],
  requiresShop: true,
  connectInput(input) {
    if (input.shop === undefined || input.shop === null || input.shop.trim() === '') {
      throw badInput('shop', 'Enter your shop domain, e.g. my-store.myshopify.com');
    }
    const shop = normalizeShop(input.shop.trim());
    if (!shop) throw badInput('shop', 'The shop domain must look like my-store.myshopify.com');
    return { shop };
  },
  checkCallback({ params, vars, credentials, nowMs }) {
    const shop = normalizeShop(params.get('shop'));
    if (!shop || shop !== vars.shop) return { ok: false, reason: 'invalid_shop' };
    // A repeated parameter makes "the" value ambiguous between the HMAC and what the hub reads.
    const given = params.get('hmac') ?? '';
    if (hasDuplicates(params) || !/^[0-9a-f]{64}$/.test(given)) return { ok: false, reason: 'invalid_hmac' };
    const expected = Buffer.from(shopifyCallbackHmac(params, credentials.clientSecret), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) return { ok: false, reason: 'invalid_hmac' };
    const timestamp = params.get('timestamp') ?? '';
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > SHOPIFY_MAX_CLOCK_SKEW_SECONDS) {
      return { ok: false, reason: 'invalid_hmac' };
    }
    return { ok: true, vars: { shop }, metadata: { shop } };
  },
  storedVars(metadata) {
    if (metadata.shop === undefined) return {};
    const shop = normalizeShop(metadata.shop);
    return shop ? { shop } : undefined;
  },
};
