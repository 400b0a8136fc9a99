/**
 * Provider simulator: a local, strict HTTP authorization server for the seven providers,
 * for the hub's integration tests and its sandbox mode. See README.md beside this file.
 */
export { createSimulatorRouter, startSimulator, type RunningSimulator } from './router.js';
export { Simulator } from './simulator.js';
export { simulatorEndpoints, type SimulatorEndpoints, type OAuth2EndpointUrls, type TrelloEndpointUrls, type ShopifyEndpointUrls, type ZohoEndpointUrls } from './endpoints.js';
export { simulateConsent, type SimulateConsentOptions } from './consent-client.js';
export { shopifyHmac, SHOP_DOMAIN } from './providers/shopify.js';
export { zohoApiDomain } from './providers/zoho.js';
export { SIMULATED_PROVIDERS } from './providers/index.js';
export { OAuth2Engine, expiresIn, lookupAccessToken, type OAuth2Profile } from './oauth2.js';
export type { ProviderModule, SimContext, SimulatedProvider } from './context.js';
export {
  ZOHO_DATA_CENTERS,
  ENDPOINT_NAMES,
  type HubOverride,
  type ProviderId,
  type SimulatedProviderId,
  type ZohoDataCenter,
  type SimulatorClient,
  type SimulatorOptions,
  type Fault,
  type FaultKind,
  type EndpointName,
  type RecordedRequest,
  type IssueTokensInput,
  type TokenResponse,
} from './types.js';
