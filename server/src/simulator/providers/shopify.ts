/**
 * Shopify (https://{shop}.myshopify.com/admin/…), one authorization server per shop.
 * Under the simulator: `/shopify/{shop}/admin/…` where {shop} is the full `name.myshopify.com`.
 *
 * Quirks reproduced: the shop domain is validated (anchored) before anything else; the
 * authorize request has no response_type and the code exchange no grant_type; the callback
 * carries shop, host, timestamp and an HMAC-SHA256 (hex, client secret) over the other
 * parameters sorted by key; `expiring=1` on the token request gives a 60-minute token plus a
 * refresh token that is replaced on every use (90-day lifetime; the previous one keeps working
 * until the replacement is used); one expiring offline token per app and shop (a new one
 * revokes the older ones); only supported Admin API versions answer; without it a non-expiring
 * token (no expires_in); `grant_options[]=per-user` gives an online token with the user;
 * there is no revocation endpoint: DELETE api_permissions/current.json uninstalls the app and
 * kills every token of that shop.
 */
import { createHmac } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import type { ProviderModule, SimContext, SimulatedProvider } from '../context.js';
import { simulatorEndpoints } from '../endpoints.js';
import { displayName, emailOf, numericId } from '../identity.js';
import { OAuth2Engine, expiresIn, lookupAccessToken, type OAuth2Profile, type Outcome } from '../oauth2.js';
import { randomHex } from '../store.js';
import type { IssueTokensInput } from '../types.js';

export const SHOP_DOMAIN = /^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$/;
export const SHOPIFY_REFRESH_TTL_SECONDS = 90 * 24 * 3600;
export const SHOPIFY_ONLINE_TTL_SECONDS = 86_399;
export const DEFAULT_SHOP = 'sandbox-shop.myshopify.com';
/**
 * Admin API versions the simulator answers, as Shopify did in December 2026: each quarterly
 * version is supported for at least 12 months (https://shopify.dev/docs/api/usage/versioning).
 * A retired version (2025-01, the hub's old default, among them) gets 404 like Shopify's.
 */
export const SHOPIFY_SUPPORTED_API_VERSIONS: readonly string[] = ['2026-01', '2026-04', '2026-07', '2026-10'];
const API_VERSION = /^\d{4}-(01|04|07|10)$/;

const shapes = {
  access: () => `shpat_${randomHex(16)}`,
  refresh: () => `shprt_${randomHex(16)}`,
  code: () => randomHex(16),
};

/**
 * Shopify's callback HMAC: drop `hmac` and `signature`, sort the rest by key, form-encode them
 * again as a query string (what Shopify's own library, @shopify/shopify-api, signs: its
 * ProcessedQuery.stringify is URLSearchParams), HMAC-SHA256 with the client secret, lowercase hex.
 */
export function shopifyHmac(params: URLSearchParams, clientSecret: string): string {
  const sorted = [...params]
    .filter(([k]) => k !== 'hmac' && k !== 'signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac('sha256', clientSecret).update(new URLSearchParams(sorted).toString()).digest('hex');
}

function shopTenant(shop: string | undefined): Outcome<{ value: string }> {
  if (!shop || !SHOP_DOMAIN.test(shop)) return { ok: false, error: 'invalid_request', description: `Invalid shop domain: ${shop ?? ''}` };
  return { ok: true, value: shop.toLowerCase() };
}

export function createShopify(ctx: SimContext): ProviderModule {
  const profile: OAuth2Profile = {
    id: 'shopify',
    displayName: 'Shopify',
    prefix: '/shopify/:shop',
    paths: { authorize: '/admin/oauth/authorize', token: '/admin/oauth/access_token' },
    tenant: (req) => shopTenant(req.params.shop as string | undefined),
    loginPlaceholder: 'owner@shopify.example',
    pkce: false,
    clientAuthBasic: false,
    acceptJsonTokenRequest: true,
    noResponseType: true,
    scopes: {
      separator: ',',
      required: false,
      valid: (s) => /^(unauthenticated_)?(read|write)_[a-z_]+$/.test(s),
      defaults: ['read_products'],
    },
    codeTtlSeconds: 600,
    // Shopify's access_token request has no redirect_uri; when sent it must still match.
    tokenRedirectUriRequired: false,
    authorizeParams: (q) => {
      const options = q.values['grant_options[]'];
      if (options !== undefined && options !== '' && options !== 'per-user') {
        return { ok: false, error: 'invalid_request', description: `Invalid grant_options[]: ${options}` };
      }
      const keep: Record<string, string> = options === 'per-user' ? { grant_options: 'per-user' } : {};
      return { ok: true, keep };
    },
    consent: { details: (shop, keep) => [['Shop', shop ?? ''], ['Access mode', keep.grant_options === 'per-user' ? 'online (per user)' : 'offline']] },
    decorateCallback: (url, code) => {
      const shop = code.tenant!;
      const { host, ...extras } = ctx.behaviour().shopify.extraCallbackParams;
      url.searchParams.append('shop', shop);
      // Shopify's host: standard base64 (its libraries accept [0-9a-zA-Z+/]) of the admin URL,
      // sent without the `=` padding; a test can replace it (e.g. padded) through the behaviour switch.
      url.searchParams.append('host', host ?? Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, '')}`).toString('base64').replace(/=+$/, ''));
      for (const [k, v] of Object.entries(extras)) url.searchParams.append(k, v);
      // Wall clock, not the simulator clock: the hub compares it with its own clock (±90 s).
      url.searchParams.append('timestamp', String(Math.floor(Date.now() / 1000)));
      url.searchParams.append('hmac', shopifyHmac(url.searchParams, ctx.client('shopify').clientSecret));
      url.searchParams.sort();
    },
    codeExchange: ({ code, tokenParams, accessTtl }) => {
      const expiring = tokenParams.values.expiring;
      if (expiring !== undefined && expiring !== '0' && expiring !== '1') {
        return { ok: false, error: 'invalid_request', description: 'expiring must be 0 or 1' };
      }
      if (code.authParams.grant_options === 'per-user') {
        return { ok: true, plan: { scopes: code.scopes, refresh: false, accessTtl: SHOPIFY_ONLINE_TTL_SECONDS, meta: { online: true } } };
      }
      return expiring === '1'
        ? { ok: true, plan: { scopes: code.scopes, refresh: true, accessTtl } }
        : { ok: true, plan: { scopes: code.scopes, refresh: false, accessTtl: null } };
    },
    issueTenant: (input: IssueTokensInput) => {
      const t = shopTenant(input.shop ?? DEFAULT_SHOP);
      if (!t.ok) throw new TypeError(`issueTokens: ${t.description}`);
      return t.value;
    },
    issuePlan: (input, ttl) =>
      (input.offline ?? true)
        ? { scopes: input.scopes ?? profile.scopes.defaults, refresh: true, accessTtl: input.expiresInSeconds ?? ttl }
        : { scopes: input.scopes ?? profile.scopes.defaults, refresh: false, accessTtl: null },
    // Changelog 2026-08-28: the previous refresh token keeps working until its replacement is used.
    refresh: { rotate: true, ttlSeconds: SHOPIFY_REFRESH_TTL_SECONDS, grace: 'previous-valid' },
    // "Only one expiring offline token can be active per app/shop combination: acquiring a new
    // expiring token will revoke all previous expiring tokens for that shop." Online (per-user)
    // tokens are not offline tokens and are left alone.
    onGrantCreated: (grant, store) => {
      if (grant.meta.online || grant.refreshToken === undefined) return;
      for (const other of store.grants.values()) {
        if (other === grant || other.clientId !== grant.clientId || other.tenant !== grant.tenant) continue;
        if (other.meta.online || other.refreshToken === undefined) continue;
        store.revokeGrant(other);
      }
    },
    tokenResponse: ({ grant, access, refresh }) => {
      const scope = access.scopes.join(',');
      if (grant.meta.online) {
        const name = displayName(grant.login).split(' ');
        return {
          access_token: access.token,
          scope,
          expires_in: expiresIn(access, ctx.now())!,
          associated_user_scope: scope,
          associated_user: {
            id: Number(numericId('shopify', grant.login, 12)),
            first_name: name[0] ?? '',
            last_name: name.slice(1).join(' '),
            email: emailOf('shopify', grant.login),
            account_owner: true,
            locale: 'en',
            collaborator: false,
            email_verified: true,
          },
        };
      }
      if (access.expiresAt === null) return { access_token: access.token, scope };
      return {
        access_token: access.token,
        expires_in: expiresIn(access, ctx.now())!,
        ...(refresh
          ? { refresh_token: refresh.token, refresh_token_expires_in: Math.round((refresh.expiresAt! - ctx.now()) / 1000) }
          : {}),
        scope,
      };
    },
  };
  const engine = new OAuth2Engine(ctx, profile);
  const store = () => ctx.store('shopify');

  /** X-Shopify-Access-Token of this shop, or a 401 in Shopify's words. */
  function authenticate(req: Request, res: Response) {
    const shop = shopTenant(req.params.shop as string | undefined);
    const found = shop.ok ? lookupAccessToken(store(), req.get('x-shopify-access-token'), shop.value) : undefined;
    if (!found || found.status !== 'valid') {
      res.status(401).json({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      return undefined;
    }
    return found;
  }

  function mount(router: Router): void {
    engine.mount(router);

    router.delete('/shopify/:shop/admin/api_permissions/current.json', async (req, res) => {
      const entered = await ctx.instrumentation.enter(req, res, 'shopify', 'revoke');
      if (!entered) return;
      const found = authenticate(req, res);
      if (!found) return;
      // Uninstall: every grant of this app on this shop dies, not only the calling token's.
      const s = store();
      for (const grant of s.grants.values()) {
        if (grant.clientId === found.grant.clientId && grant.tenant === found.grant.tenant) s.revokeGrant(grant);
      }
      res.status(200).json({});
    });

    router.get('/shopify/:shop/admin/api/:version/shop.json', async (req, res, next) => {
      if (!API_VERSION.test(req.params.version as string)) return next();
      if (!SHOPIFY_SUPPORTED_API_VERSIONS.includes(req.params.version as string)) {
        // A retired (or not yet released) version: Shopify answers 404 Not Found.
        res.status(404).json({ errors: 'Not Found' });
        return;
      }
      const entered = await ctx.instrumentation.enter(req, res, 'shopify', 'userinfo');
      if (!entered) return;
      const found = authenticate(req, res);
      if (!found) return;
      const shop = found.grant.tenant!;
      const name = shop.replace(/\.myshopify\.com$/, '');
      res.json({
        shop: {
          id: Number(numericId('shopify', shop, 11)),
          name,
          email: emailOf('shopify', found.grant.login),
          domain: shop,
          myshopify_domain: shop,
          shop_owner: displayName(found.grant.login),
          plan_name: 'partner_test',
          currency: 'USD',
        },
      });
    });
  }

  return { id: 'shopify', shapes, mount, issueTokens: (input) => engine.issueTokens(input) };
}

/** The simulated Shopify: its routes, and how the hub is pointed at it in sandbox mode. */
export const shopify: SimulatedProvider = {
  id: 'shopify',
  accessTokenTtlSeconds: 3600, // only for expiring offline tokens; non-expiring ones have no expiry
  create: createShopify,
  hubOverride: (base) => {
    // The simulator's Shopify URLs carry {shop}, like the catalog's.
    const ep = simulatorEndpoints(base).shopify;
    return { authorizationUrl: ep.authorizeUrl, tokenUrl: ep.tokenUrl, revocationUrl: ep.revokeUrl, userInfoUrl: ep.userinfoUrl };
  },
};
