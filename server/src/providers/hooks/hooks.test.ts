import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '../../config/env.js';
import { shopifyHmac } from '../../simulator/index.js';
import { AppError } from '../../shared/errors.js';
import { buildProviderRegistry } from '../registry.js';
import type { CallbackContext } from './hook.js';
import { normalizeShop, shopifyCallbackHmac, shopifyHook } from './shopify.js';
import { zohoHook } from './zoho.js';

const credentials = { clientId: 'id', clientSecret: 'shopify-secret' };
const registry = buildProviderRegistry({ providerCredentials: Object.fromEntries(PROVIDER_IDS.map((id) => [id, credentials])) as never });
const NOW = 1_800_000_000_000;

function shopifyCallback(params: Record<string, string>, secret = credentials.clientSecret): URLSearchParams {
  const p = new URLSearchParams({ code: 'c', host: 'aG9zdA', shop: 'acme.myshopify.com', state: 's', timestamp: String(NOW / 1000), ...params });
  p.set('hmac', shopifyCallbackHmac(p, secret));
  return p;
}

const ctx = (provider: 'shopify' | 'zoho', params: URLSearchParams, vars = {}): CallbackContext => ({
  provider: registry.get(provider)!,
  credentials,
  params,
  vars,
  nowMs: NOW,
});

describe('shopify hook', () => {
  it('S10 accepts only anchored *.myshopify.com shop domains', () => {
    expect(normalizeShop('Acme-Store.myshopify.com')).toBe('acme-store.myshopify.com');
    for (const bad of ['evil.example/x.myshopify.com', 'x.myshopify.com.evil.example', 'x.myshopify.com\n', '-x.myshopify.com', 'x_y.myshopify.com', 'myshopify.com', '']) {
      expect(normalizeShop(bad), bad).toBeUndefined();
    }
    expect(() => shopifyHook.connectInput!({ shop: 'evil.example' }, registry.get('shopify')!)).toThrow(AppError);
    expect(shopifyHook.connectInput!({ shop: 'acme.myshopify.com' }, registry.get('shopify')!)).toEqual({ shop: 'acme.myshopify.com' });
  });

  it('computes the HMAC exactly like the simulator (and Shopify)', () => {
    const p = new URLSearchParams({ shop: 'a.myshopify.com', code: 'x y', timestamp: '1', hmac: 'ignored', signature: 'ignored' });
    expect(shopifyCallbackHmac(p, 'k')).toBe(shopifyHmac(p, 'k'));
  });

  it('S10 Shopify HMAC: the test vector of Shopify’s documentation (secret "hush")', () => {
    // Shopify's OAuth docs' example query and signature, as reproduced in
    // https://hexdocs.pm/exshopify/Shopify.HMAC.html (and its source, hex.pm exshopify lib/shopify/hmac.ex).
    const query = new URLSearchParams('code=0907a61c0c8d55e99db179b68161bc00&hmac=4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20&shop=some-shop.myshopify.com&timestamp=1337178173');
    expect(shopifyCallbackHmac(query, 'hush')).toBe('4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20');
    expect(shopifyCallbackHmac(query, 'hush ')).not.toBe('4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20');
  });

  it('S10 Shopify HMAC: values are signed form-encoded again, as Shopify’s library does (a padded host, an & in a value)', () => {
    // @shopify/shopify-api validateHmac: sorted keys, `new URLSearchParams(…).toString()`.
    const query = new URLSearchParams({ shop: 'a.myshopify.com', host: 'YWRtaW4=', state: 'x&y=z', timestamp: '1' });
    const signed = 'host=YWRtaW4%3D&shop=a.myshopify.com&state=x%26y%3Dz&timestamp=1';
    expect(shopifyCallbackHmac(query, 'k')).toBe(createHmac('sha256', 'k').update(signed).digest('hex'));
  });

  it('S10 accepts a fresh, correctly signed callback for the pending shop', () => {
    expect(shopifyHook.checkCallback!(ctx('shopify', shopifyCallback({}), { shop: 'acme.myshopify.com' }))).toEqual({
      ok: true,
      vars: { shop: 'acme.myshopify.com' },
      metadata: { shop: 'acme.myshopify.com' },
    });
  });

  it.each([
    ['a wrong secret', shopifyCallback({}, 'other'), 'invalid_hmac'],
    ['a stale timestamp', shopifyCallback({ timestamp: String(NOW / 1000 - 91) }), 'invalid_hmac'],
    ['a future timestamp', shopifyCallback({ timestamp: String(NOW / 1000 + 91) }), 'invalid_hmac'],
    ['a duplicated parameter', new URLSearchParams(`${shopifyCallback({})}&code=other`), 'invalid_hmac'],
    ['an upper-case hmac', new URLSearchParams(shopifyCallback({}).toString().replace(/hmac=([0-9a-f]+)/, (_m, h: string) => `hmac=${h.toUpperCase()}`)), 'invalid_hmac'],
    ['another shop', shopifyCallback({ shop: 'other.myshopify.com' }), 'invalid_shop'],
    ['an invalid shop', shopifyCallback({ shop: 'evil.example' }), 'invalid_shop'],
  ])('S10 refuses %s', (_name, params, reason) => {
    expect(shopifyHook.checkCallback!(ctx('shopify', params, { shop: 'acme.myshopify.com' }))).toEqual({ ok: false, reason });
  });

  it('S10 refuses an altered parameter', () => {
    const p = shopifyCallback({});
    p.set('code', 'altered');
    expect(shopifyHook.checkCallback!(ctx('shopify', p, { shop: 'acme.myshopify.com' }))).toEqual({ ok: false, reason: 'invalid_hmac' });
  });
});

describe('zoho hook', () => {
  it.each(['https://accounts.zoho.eu', 'https://accounts.zoho.eu/', 'https://accounts.zohocloud.ca'])('S11 accepts the allowlisted accounts server %s', (server) => {
    const check = zohoHook.checkCallback!(ctx('zoho', new URLSearchParams({ 'accounts-server': server })));
    expect(check).toEqual({ ok: true, vars: { accounts_server: server.replace(/\/$/, '') }, metadata: { accounts_server: server.replace(/\/$/, '') } });
  });

  it('S11 uses the first allowlisted server when the callback names none', () => {
    expect(zohoHook.checkCallback!(ctx('zoho', new URLSearchParams()))).toMatchObject({ ok: true, vars: { accounts_server: 'https://accounts.zoho.com' } });
  });

  it.each([
    'https://accounts.zoho.eu.evil.example',
    'https://evil.example',
    'http://accounts.zoho.eu',
    'https://accounts.zoho.eu/oauth',
    'https://accounts.zoho.eu@evil.example',
  ])('S11 refuses %s', (server) => {
    expect(zohoHook.checkCallback!(ctx('zoho', new URLSearchParams({ 'accounts-server': server })))).toEqual({ ok: false, reason: 'untrusted_accounts_server' });
  });

  it('S11 refuses two accounts-server parameters', () => {
    const p = new URLSearchParams([
      ['accounts-server', 'https://accounts.zoho.eu'],
      ['accounts-server', 'https://evil.example'],
    ]);
    expect(zohoHook.checkCallback!(ctx('zoho', p))).toEqual({ ok: false, reason: 'untrusted_accounts_server' });
  });
});
