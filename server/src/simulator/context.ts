/**
 * What provider modules need from the simulator. An interface (not the Simulator class) so
 * provider files depend on a small surface and the Simulator can import the providers.
 */
import type { PendingConsents } from './consent.js';
import type { Instrumentation } from './instrumentation.js';
import type { GrantStore, TokenShapes } from './store.js';
import type { IssueTokensInput, ProviderId, SimulatorClient, TokenResponse } from './types.js';
import type { Router } from 'express';

export interface SimContext {
  /** Simulator clock in ms (wall clock plus advanceClock()); drives code and token lifetimes. */
  now(): number;
  readonly instrumentation: Instrumentation;
  readonly consents: PendingConsents;
  store(provider: ProviderId): GrantStore;
  client(provider: ProviderId): SimulatorClient;
  /** Configured access-token lifetime of a provider (seconds). */
  accessTtl(provider: Exclude<ProviderId, 'trello'>): number;
  /** Absolute URL of the router's mount point, no trailing slash. */
  publicBaseUrl(): string;
}

/** One simulated provider: its routes and its direct-issue helper. */
export interface ProviderModule {
  readonly id: ProviderId;
  /** How this provider's tokens and codes look (prefixes make leaked tokens easy to grep for). */
  readonly shapes: TokenShapes;
  mount(router: Router): void;
  issueTokens(input: IssueTokensInput): TokenResponse;
  /** Drops provider-private transient state (Trello request tokens, nonces) on reset({ tokens: true }). */
  clear?(): void;
}
