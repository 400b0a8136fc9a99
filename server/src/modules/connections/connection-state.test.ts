import { describe, expect, it } from 'vitest';
import { buildProviderRegistry } from '../../providers/registry.js';
import { connectionVars } from './connection-state.js';

const registry = buildProviderRegistry({ providerCredentials: { google: {}, asana: {}, dropbox: {}, box: {}, trello: {}, shopify: {}, zoho: {} } });
const shopify = registry.get('shopify')!;
const zoho = registry.get('zoho')!;
const box = registry.get('box')!;

describe('connectionVars (S19: where a stored connection’s tokens may be sent)', () => {
  it('S19 gives the stored shop and accounts server to the URL templates', () => {
    expect(connectionVars(shopify, { shop: 'Acme.myshopify.com' }, [shopify.definition.endpoints.tokenUrl])).toEqual({ shop: 'acme.myshopify.com' });
    expect(connectionVars(zoho, { accounts_server: 'https://accounts.zoho.eu/', api_domain: 'https://www.zohoapis.eu' }, [zoho.definition.endpoints.tokenUrl])).toEqual({
      accounts_server: 'https://accounts.zoho.eu',
    });
    expect(connectionVars(box, {}, [box.definition.endpoints.tokenUrl])).toEqual({});
  });

  it('S19 refuses a shop that is not a *.myshopify.com domain and an accounts server off the allowlist', () => {
    for (const shop of ['evil.example', 'evil.example/x.myshopify.com', 'x.myshopify.com.evil.example', '']) {
      expect(connectionVars(shopify, { shop }, [shopify.definition.endpoints.tokenUrl]), shop).toBeUndefined();
    }
    for (const server of ['https://accounts.zoho.evil.example', 'http://accounts.zoho.eu', 'https://accounts.zoho.eu.evil.example']) {
      expect(connectionVars(zoho, { accounts_server: server }, [zoho.definition.endpoints.tokenUrl]), server).toBeUndefined();
    }
  });

  it('refuses a template whose variable the connection does not have', () => {
    expect(connectionVars(shopify, {}, [shopify.definition.endpoints.tokenUrl])).toBeUndefined();
    expect(connectionVars(zoho, {}, [zoho.definition.endpoints.tokenUrl])).toBeUndefined();
    // {token} is the revocation's own path variable, not the connection's.
    expect(connectionVars(box, {}, ['https://api.trello.com/1/tokens/{token}'])).toEqual({});
  });
});
