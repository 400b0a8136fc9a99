import { timingSafeEqual } from 'node:crypto';
import { obtainAccessToken, obtainRequestToken } from '../../oauth/oauth1.js';
import type { ProviderHook } from './hook.js';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Trello: three-legged OAuth 1.0a instead of the OAuth 2 code flow. There is no `state` at
 * Trello, so the hub puts its own in the callback URL, and binds the request token (and its
 * secret, sealed) to the pending authorization: a callback whose `oauth_token` is not the
 * pending request token is rejected before the access-token step (S12).
 */
export const trelloHook: ProviderHook = {
  provides: [],
  flow: {
    async begin({ http, provider, credentials, callbackUrl }) {
      const d = provider.definition;
      const consumer = { key: credentials.clientId, secret: credentials.clientSecret };
      const requestToken = await obtainRequestToken(http, { url: d.endpoints.requestTokenUrl!, consumer, callback: callbackUrl });
      const url = new URL(d.endpoints.authorizationUrl);
      url.searchParams.set('oauth_token', requestToken.key);
      for (const [k, v] of Object.entries(d.authorizationParams)) url.searchParams.set(k, v);
      if (d.scopes.length > 0) url.searchParams.set('scope', d.scopes.join(d.scopeSeparator));
      return { authorizationUrl: url.toString(), requestToken: requestToken.key, requestTokenSecret: requestToken.secret };
    },
    async finish({ http, provider, credentials, params, requestToken, requestTokenSecret }) {
      const token = params.getAll('oauth_token');
      if (token.length !== 1 || !sameToken(token[0]!, requestToken)) return { failure: 'invalid_state' };
      const error = params.get('error');
      if (error !== null) return { failure: error === 'access_denied' ? 'access_denied' : 'provider_error' };
      const verifier = params.getAll('oauth_verifier');
      if (verifier.length !== 1 || !verifier[0]) return { failure: 'provider_error' };
      return obtainAccessToken(http, {
        url: provider.definition.endpoints.tokenUrl,
        consumer: { key: credentials.clientId, secret: credentials.clientSecret },
        requestToken: { key: requestToken, secret: requestTokenSecret },
        verifier: verifier[0],
      });
    },
  },
};
