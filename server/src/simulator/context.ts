/**
 * What provider modules need from the simulator. An interface (not the Simulator class) so
 * provider files depend on a small surface and the Simulator can import the providers.
 */
import type { PendingConsents } from './consent.js';
import type { Instrumentation } from './instrumentation.js';
import type { GrantStore, TokenShapes } from './store.js';
import type { HubOverride, IssueTokensInput, SimulatedProviderId, SimulatorBehaviour, SimulatorClient, TokenResponse } from './types.js';
import type { Router } from 'express';

export interface SimContext {
  /** Simulator clock in ms (wall clock plus advanceClock()); drives code and token lifetimes. */
  now(): number;
  readonly instrumentation: Instrumentation;
  readonly consents: PendingConsents;
  store(provider: SimulatedProviderId): GrantStore;
  client(provider: SimulatedProviderId): SimulatorClient;
  /** Configured access-token lifetime of a provider (seconds). */
  accessTtl(provider: SimulatedProviderId): number;
  /** Absolute URL of the router's mount point, no trailing slash. */
  publicBaseUrl(): string;
  /** The current behaviour switches (setBehaviour); read per request, so a change applies at once. */
  behaviour(): Readonly<SimulatorBehaviour>;
}

/** One simulated provider: its routes and its direct-issue helper. */
export interface ProviderModule {
  readonly id: SimulatedProviderId;
  /** How this provider's tokens and codes look (prefixes make leaked tokens easy to grep for). */
  readonly shapes: TokenShapes;
  mount(router: Router): void;
  issueTokens(input: IssueTokensInput): TokenResponse;
  /** Drops provider-private transient state (Trello request tokens, nonces) on reset({ tokens: true }). */
  clear?(): void;
}

/**
 * One entry of the simulator's provider list: everything about a simulated provider, so adding
 * one is adding an entry (plus its catalog entry on the hub's side).
 */
export interface SimulatedProvider {
  /** The catalog id of the provider it imitates. */
  readonly id: SimulatedProviderId;
  /** Default access-token lifetime (seconds) of an OAuth 2 provider; absent for OAuth 1.0a (Trello). */
  readonly accessTokenTtlSeconds?: number;
  /** How the hub is pointed at it: the catalog URLs (and allowlists) under the simulator's `baseUrl`. */
  hubOverride(baseUrl: string): HubOverride;
  create(ctx: SimContext): ProviderModule;
}
