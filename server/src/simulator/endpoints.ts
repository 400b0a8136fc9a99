/**
 * Where every simulated endpoint lives, for pointing the hub's catalog at the simulator in
 * sandbox mode. `baseUrl` is the router's mount point (e.g. `http://127.0.0.1:4000/sandbox`).
 */
import { ZOHO_DATA_CENTERS, type ZohoDataCenter } from './types.js';

export interface OAuth2EndpointUrls {
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  /** The identity endpoint (Google userinfo, Asana users/me, Dropbox get_current_account (POST), Box users/me, Shopify shop.json, Zoho user/info). */
  userinfoUrl: string;
}

export interface TrelloEndpointUrls {
  requestTokenUrl: string;
  authorizeUrl: string;
  accessTokenUrl: string;
  userinfoUrl: string;
  /** DELETE, with `{token}` to replace and `?key=&token=` to add. */
  revokeUrlTemplate: string;
}

export interface ShopifyEndpointUrls extends OAuth2EndpointUrls {
  /** The fields above are templates: replace `{shop}` with the full `name.myshopify.com`. */
  forShop(shop: string): OAuth2EndpointUrls;
}

export interface ZohoEndpointUrls extends OAuth2EndpointUrls {
  /** The fields above are those of the `com` data centre (where authorization starts). */
  accountsServers: Record<ZohoDataCenter, string>;
  /** Allowlist for the callback's accounts-server (the simulator's equivalent of accounts.zoho.*). */
  accountsServerAllowlist: string[];
  forDataCenter(dc: ZohoDataCenter): OAuth2EndpointUrls & { accountsServer: string };
}

export interface SimulatorEndpoints {
  google: OAuth2EndpointUrls;
  asana: OAuth2EndpointUrls;
  dropbox: OAuth2EndpointUrls;
  box: OAuth2EndpointUrls;
  trello: TrelloEndpointUrls;
  shopify: ShopifyEndpointUrls;
  zoho: ZohoEndpointUrls;
}

/** Paths after an accounts server (Zoho) — shared by every data centre. */
function zohoUrls(accountsServer: string): OAuth2EndpointUrls & { accountsServer: string } {
  return {
    accountsServer,
    authorizeUrl: `${accountsServer}/oauth/v2/auth`,
    tokenUrl: `${accountsServer}/oauth/v2/token`,
    revokeUrl: `${accountsServer}/oauth/v2/token/revoke`,
    userinfoUrl: `${accountsServer}/oauth/user/info`,
  };
}

function shopifyUrls(b: string, shop: string): OAuth2EndpointUrls {
  return {
    authorizeUrl: `${b}/shopify/${shop}/admin/oauth/authorize`,
    tokenUrl: `${b}/shopify/${shop}/admin/oauth/access_token`,
    revokeUrl: `${b}/shopify/${shop}/admin/api_permissions/current.json`,
    userinfoUrl: `${b}/shopify/${shop}/admin/api/2026-10/shop.json`,
  };
}

export function simulatorEndpoints(baseUrl: string): SimulatorEndpoints {
  const b = baseUrl.replace(/\/+$/, '');
  const accountsServers = Object.fromEntries(ZOHO_DATA_CENTERS.map((dc) => [dc, `${b}/zoho/${dc}`])) as Record<ZohoDataCenter, string>;
  const { accountsServer: _com, ...zohoCom } = zohoUrls(accountsServers[ZOHO_DATA_CENTERS[0]!]!);
  return {
    google: {
      authorizeUrl: `${b}/google/o/oauth2/v2/auth`,
      tokenUrl: `${b}/google/token`,
      revokeUrl: `${b}/google/revoke`,
      userinfoUrl: `${b}/google/v1/userinfo`,
    },
    asana: {
      authorizeUrl: `${b}/asana/-/oauth_authorize`,
      tokenUrl: `${b}/asana/-/oauth_token`,
      revokeUrl: `${b}/asana/-/oauth_revoke`,
      userinfoUrl: `${b}/asana/api/1.0/users/me`,
    },
    dropbox: {
      authorizeUrl: `${b}/dropbox/oauth2/authorize`,
      tokenUrl: `${b}/dropbox/oauth2/token`,
      revokeUrl: `${b}/dropbox/2/auth/token/revoke`,
      userinfoUrl: `${b}/dropbox/2/users/get_current_account`,
    },
    box: {
      authorizeUrl: `${b}/box/api/oauth2/authorize`,
      tokenUrl: `${b}/box/oauth2/token`,
      revokeUrl: `${b}/box/oauth2/revoke`,
      userinfoUrl: `${b}/box/2.0/users/me`,
    },
    trello: {
      requestTokenUrl: `${b}/trello/1/OAuthGetRequestToken`,
      authorizeUrl: `${b}/trello/1/OAuthAuthorizeToken`,
      accessTokenUrl: `${b}/trello/1/OAuthGetAccessToken`,
      userinfoUrl: `${b}/trello/1/members/me`,
      revokeUrlTemplate: `${b}/trello/1/tokens/{token}`,
    },
    shopify: { ...shopifyUrls(b, '{shop}'), forShop: (shop) => shopifyUrls(b, shop) },
    zoho: {
      ...zohoCom,
      accountsServers,
      accountsServerAllowlist: Object.values(accountsServers),
      forDataCenter: (dc) => {
        const server = accountsServers[dc];
        if (server === undefined) throw new TypeError(`Unknown Zoho data centre: ${dc}`);
        return zohoUrls(server);
      },
    },
  };
}
