/**
 * Zoho (accounts.zoho.<dc>), one accounts server per data centre.
 * Under the simulator: `/zoho/{dc}/oauth/v2/…` with dc in ZOHO_DATA_CENTERS.
 *
 * Quirks reproduced: the user's data centre (chosen on the consent page) issues the code, and
 * the callback names it with `location` and `accounts-server`; the code is only redeemable at
 * that data centre, lives 2 minutes, and token parameters may come in the query string; a
 * refresh token only with access_type=offline (on a re-connect only with prompt=consent); the
 * token response carries `api_domain`; refresh never returns a refresh token; at most 20 live
 * refresh tokens per user and client (the 21st silently kills the oldest); refresh, revoke and
 * user info only work at the grant's own data centre; API header `Zoho-oauthtoken`.
 */
import type { Response, Router } from 'express';
import type { ProviderModule, SimContext, SimulatedProvider } from '../context.js';
import { simulatorEndpoints } from '../endpoints.js';
import { authorizationValue, sendOAuthError } from '../http.js';
import { displayName, emailOf, numericId } from '../identity.js';
import { OAuth2Engine, expiresIn, lookupAccessToken, type OAuth2Profile, type Outcome } from '../oauth2.js';
import { randomHex } from '../store.js';
import { ZOHO_DATA_CENTERS, isZohoDataCenter, zohoApiDomainOf, zohoLocationOf, type ZohoDataCenter } from '../types.js';

export const ZOHO_CODE_TTL_SECONDS = 120;
export const ZOHO_MAX_REFRESH_TOKENS = 20;
/** "10 access tokens per refresh token per 10 minutes" (https://www.zoho.com/accounts/protocol/oauth/use-access-token.html). */
export const ZOHO_ACCESS_TOKENS_PER_REFRESH_TOKEN = 10;
export const ZOHO_THROTTLE_WINDOW_SECONDS = 600;

function sendZoho200(res: Response, body: Record<string, string>): void {
  res.status(200).set('Cache-Control', 'no-store').json(body);
}

/** The API base a data centre's token response names (stored by the hub with the connection). */
export function zohoApiDomain(dc: ZohoDataCenter): string {
  const domain = zohoApiDomainOf(dc);
  if (domain === undefined) throw new TypeError(`Unknown Zoho data centre: ${dc}`);
  return domain;
}

const shapes = {
  access: () => `1000.${randomHex(16)}.${randomHex(16)}`,
  refresh: () => `1000.${randomHex(16)}.${randomHex(16)}`,
  code: () => `1000.${randomHex(16)}.${randomHex(16)}`,
};

function dcTenant(dc: string | undefined): Outcome<{ value: string }> {
  return isZohoDataCenter(dc) ? { ok: true, value: dc } : { ok: false, error: 'invalid_request', description: `Unknown data centre: ${dc ?? ''}` };
}

export function createZoho(ctx: SimContext): ProviderModule {
  const accountsServer = (dc: string) => `${ctx.publicBaseUrl()}/zoho/${dc}`;
  const profile: OAuth2Profile = {
    id: 'zoho',
    displayName: 'Zoho',
    prefix: '/zoho/:dc',
    paths: { authorize: '/oauth/v2/auth', token: '/oauth/v2/token' },
    tenant: (req) => dcTenant(req.params.dc as string | undefined),
    loginPlaceholder: 'user@zoho.example',
    pkce: false,
    clientAuthBasic: false,
    tokenParamsInQuery: true,
    scopes: {
      separator: ',',
      required: true,
      valid: (s) => ['email', 'profile', 'openid'].includes(s) || /^[A-Za-z]+\.[A-Za-z_]+(\.[A-Za-z_]+)*$/.test(s),
      defaults: ['ZohoCRM.modules.READ', 'email'],
    },
    codeTtlSeconds: ZOHO_CODE_TTL_SECONDS,
    tokenRedirectUriRequired: true,
    authorizeParams: (q) => {
      const keep: Record<string, string> = {};
      const accessType = q.values.access_type;
      if (accessType !== undefined) {
        if (accessType !== 'online' && accessType !== 'offline') {
          return { ok: false, error: 'invalid_request', description: `Invalid access_type: ${accessType}` };
        }
        keep.access_type = accessType;
      }
      if (q.values.prompt !== undefined) {
        if (q.values.prompt !== 'consent') return { ok: false, error: 'invalid_request', description: `Invalid prompt: ${q.values.prompt}` };
        keep.prompt = 'consent';
      }
      return { ok: true, keep };
    },
    consent: {
      dataCenters: (dc) => ({ options: ZOHO_DATA_CENTERS, selected: dc ?? 'com' }),
      // The user's account lives in the chosen data centre; that one issues the code.
      codeTenant: (form, dc) => {
        const chosen = form.values.dc ?? dc;
        return isZohoDataCenter(chosen) ? { ok: true, tenant: chosen } : { ok: false, error: 'invalid_request', description: `Unknown data centre: ${chosen ?? ''}` };
      },
    },
    decorateCallback: (url, code) => {
      // Zoho's own location names (`us`, `eu`, `au`, `uk` …), from the catalog's list.
      url.searchParams.append('location', zohoLocationOf(code.tenant!) ?? code.tenant!);
      url.searchParams.append('accounts-server', accountsServer(code.tenant!));
    },
    codeExchange: ({ code, store, accessTtl }) => {
      const offline = code.authParams.access_type === 'offline';
      const forcedConsent = code.authParams.prompt === 'consent';
      const hasLiveRefresh = store
        .grantsOf(code.clientId, code.login)
        .some((g) => store.lookupRefresh(g.refreshToken).status === 'valid');
      return { ok: true, plan: { scopes: code.scopes, refresh: offline && (forcedConsent || !hasLiveRefresh), accessTtl } };
    },
    issueTenant: (input) => {
      const t = dcTenant(input.dataCenter ?? 'com');
      if (!t.ok) throw new TypeError(`issueTokens: ${t.description}`);
      return t.value;
    },
    issuePlan: (input, ttl) => ({
      scopes: input.scopes ?? profile.scopes.defaults,
      refresh: input.offline ?? true,
      accessTtl: input.expiresInSeconds ?? ttl,
    }),
    refresh: { rotate: false, ttlSeconds: null, maxPerUser: ZOHO_MAX_REFRESH_TOKENS },
    // Zoho's refusals come with HTTP 200 (docs/providers.md, Zoho): a dead refresh token is
    // `invalid_code`; more than 10 access tokens per refresh token in 10 minutes `Access Denied`.
    refreshRefusals: {
      dead: (res) => sendZoho200(res, { error: 'invalid_code' }),
      throttle: {
        perRefreshToken: ZOHO_ACCESS_TOKENS_PER_REFRESH_TOKEN,
        windowSeconds: ZOHO_THROTTLE_WINDOW_SECONDS,
        answer: (res) =>
          sendZoho200(res, { error: 'Access Denied', error_description: 'You have made too many requests continuously. Please try again after some time.' }),
      },
    },
    tokenResponse: ({ grant, access, refresh, kind }) => ({
      access_token: access.token,
      ...(refresh && kind === 'code' ? { refresh_token: refresh.token } : {}),
      api_domain: zohoApiDomain(grant.tenant!),
      token_type: 'Bearer',
      expires_in: expiresIn(access, ctx.now())!,
    }),
  };
  const engine = new OAuth2Engine(ctx, profile);
  const store = () => ctx.store('zoho');

  function mount(router: Router): void {
    engine.mount(router);

    router.post('/zoho/:dc/oauth/v2/token/revoke', async (req, res) => {
      const entered = await ctx.instrumentation.enter(req, res, 'zoho', 'revoke');
      if (!entered) return;
      const dc = dcTenant(req.params.dc as string);
      if (!dc.ok) return sendOAuthError(res, 400, dc.error, dc.description);
      const token = entered.query.values.token ?? entered.body.form.values.token;
      if (!token) return sendOAuthError(res, 400, 'invalid_request', 'Missing required parameter: token');
      const found = store().lookupRefresh(token);
      // Only a live refresh token of this data centre; an access token is not revocable here.
      if (found.status !== 'valid' || found.grant.tenant !== dc.value) {
        return sendOAuthError(res, 400, 'invalid_token', 'The token is not a valid refresh token of this accounts server.');
      }
      store().revokeGrant(found.grant);
      res.status(200).json({ status: 'success' });
    });

    router.get('/zoho/:dc/oauth/user/info', async (req, res) => {
      const entered = await ctx.instrumentation.enter(req, res, 'zoho', 'userinfo');
      if (!entered) return;
      const dc = dcTenant(req.params.dc as string);
      const found = dc.ok ? lookupAccessToken(store(), authorizationValue(req, 'Zoho-oauthtoken'), dc.value) : undefined;
      if (!found || found.status !== 'valid') {
        res.status(401).json({ code: 'INVALID_OAUTHTOKEN', message: 'invalid oauth token', status: 'error' });
        return;
      }
      const login = found.grant.login;
      const name = displayName(login).split(' ');
      res.json({
        First_Name: name[0] ?? '',
        Last_Name: name.slice(1).join(' '),
        Email: emailOf('zoho', login),
        Display_Name: displayName(login),
        ZUID: Number(numericId('zoho', login, 9)),
      });
    });
  }

  return { id: 'zoho', shapes, mount, issueTokens: (input) => engine.issueTokens(input) };
}


/** The simulated Zoho: its routes, and how the hub is pointed at it in sandbox mode. */
export const zoho: SimulatedProvider = {
  id: 'zoho',
  accessTokenTtlSeconds: 3600,
  create: createZoho,
  hubOverride: (base) => {
    // Its URLs are per data centre, so the catalog's {accounts_server} templates stay and only
    // the allowlist (and where authorization starts) changes.
    const ep = simulatorEndpoints(base).zoho;
    return { authorizationUrl: ep.authorizeUrl, accountsServers: ep.accountsServerAllowlist };
  },
};
