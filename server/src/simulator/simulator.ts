/**
 * The Simulator: state shared by all providers (clients, clock, grant stores, consents,
 * instrumentation) plus the test-facing API. Routes live in the provider modules.
 */
import { PendingConsents } from './consent.js';
import type { ProviderModule, SimContext } from './context.js';
import { Instrumentation } from './instrumentation.js';
import { providerFactories } from './providers/index.js';
import { GrantStore } from './store.js';
import {
  DEFAULT_ACCESS_TOKEN_TTL,
  ENDPOINT_NAMES,
  PROVIDER_IDS,
  type EndpointName,
  type Fault,
  type IssueTokensInput,
  type ProviderId,
  type RecordedRequest,
  type SimulatorClient,
  type SimulatorOptions,
  type TokenResponse,
} from './types.js';

const FAULT_KINDS = ['http500', 'slow', 'malformed', 'invalid_grant'] as const;

function assertProvider(provider: unknown): asserts provider is ProviderId {
  if (!(PROVIDER_IDS as readonly unknown[]).includes(provider)) throw new TypeError(`Unknown provider: ${String(provider)}`);
}

export class Simulator implements SimContext {
  readonly instrumentation: Instrumentation;
  readonly consents: PendingConsents;
  readonly modules: Readonly<Record<ProviderId, ProviderModule>>;
  private readonly clients: Record<ProviderId, SimulatorClient>;
  private readonly ttl: Record<Exclude<ProviderId, 'trello'>, number>;
  private readonly stores: Record<ProviderId, GrantStore>;
  private clockOffsetMs = 0;

  constructor(
    opts: SimulatorOptions,
    readonly publicBaseUrl: () => string,
  ) {
    const clients = {} as Record<ProviderId, SimulatorClient>;
    for (const id of PROVIDER_IDS) {
      const given = opts.clients?.[id];
      if (given && (!given.clientId || !given.clientSecret)) throw new TypeError(`clients.${id}: clientId and clientSecret must be non-empty`);
      clients[id] = given ? { ...given } : { clientId: `sandbox-${id}-client`, clientSecret: `sandbox-${id}-secret` };
    }
    this.clients = clients;
    for (const [id, seconds] of Object.entries(opts.accessTokenTtlSeconds ?? {})) {
      if (!(typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0)) throw new TypeError(`accessTokenTtlSeconds.${id} must be a positive number`);
    }
    this.ttl = { ...DEFAULT_ACCESS_TOKEN_TTL, ...(opts.accessTokenTtlSeconds as Partial<Record<Exclude<ProviderId, 'trello'>, number>>) };
    const now = () => this.now();
    this.instrumentation = new Instrumentation(now, opts.maxRecordedRequests ?? 10_000);
    this.consents = new PendingConsents(now);

    const modules = {} as Record<ProviderId, ProviderModule>;
    for (const factory of providerFactories) {
      const m = factory(this);
      modules[m.id] = m;
    }
    this.modules = modules;
    const stores = {} as Record<ProviderId, GrantStore>;
    for (const id of PROVIDER_IDS) stores[id] = new GrantStore(id, now, modules[id].shapes);
    this.stores = stores;
  }

  // ---- SimContext ----

  /** Simulator clock (ms): wall clock shifted by advanceClock(). Drives code and token lifetimes only. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  store(provider: ProviderId): GrantStore {
    return this.stores[provider];
  }

  client(provider: ProviderId): SimulatorClient {
    return this.clients[provider];
  }

  accessTtl(provider: Exclude<ProviderId, 'trello'>): number {
    return this.ttl[provider];
  }

  // ---- Test API ----

  /** Requests seen by one endpoint of one provider since the last reset. */
  count(provider: ProviderId, endpoint: EndpointName): number {
    return this.instrumentation.count(provider, endpoint);
  }

  /** All non-zero counters, by provider then endpoint. */
  counters(): Partial<Record<ProviderId, Partial<Record<EndpointName, number>>>> {
    return this.instrumentation.allCounts();
  }

  requests(provider?: ProviderId): RecordedRequest[] {
    return this.instrumentation.requests(provider);
  }

  setFault(provider: ProviderId, endpoint: EndpointName, fault: Fault): void {
    assertProvider(provider);
    if (!ENDPOINT_NAMES.includes(endpoint)) throw new TypeError(`Unknown endpoint: ${String(endpoint)}`);
    if (!(FAULT_KINDS as readonly string[]).includes(fault.kind)) throw new TypeError(`Unknown fault kind: ${String(fault.kind)}`);
    this.instrumentation.setFault(provider, endpoint, fault);
  }

  clearFaults(): void {
    this.instrumentation.clearFaults();
  }

  /** Clears counters, recorded requests and faults; with `tokens: true` also every code, grant and token. */
  reset(opts: { tokens?: boolean } = {}): void {
    this.instrumentation.reset();
    if (opts.tokens) {
      for (const id of PROVIDER_IDS) {
        this.stores[id].clear();
        this.modules[id].clear?.();
      }
      this.consents.clear();
      this.clockOffsetMs = 0;
    }
  }

  /** Creates a grant without consent and returns what the token endpoint would have answered. */
  issueTokens(provider: ProviderId, input: IssueTokensInput): TokenResponse {
    assertProvider(provider);
    return this.modules[provider].issueTokens(input);
  }

  isAccessTokenValid(provider: ProviderId, token: string): boolean {
    return this.stores[provider].lookupAccess(token).status === 'valid';
  }

  isRefreshTokenValid(provider: ProviderId, token: string): boolean {
    return this.stores[provider].lookupRefresh(token).status === 'valid';
  }

  /** Tokens killed by revocation (revoke endpoint, Shopify uninstall, code replay), oldest first. Rotated-out refresh tokens are not listed. */
  revoked(provider: ProviderId): string[] {
    return [...this.stores[provider].revokedTokens];
  }

  /** Moves the simulator clock forward (codes and tokens expire); OAuth 1 and Shopify timestamps keep the wall clock. */
  advanceClock(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('advanceClock: seconds must be >= 0');
    this.clockOffsetMs += seconds * 1000;
  }

  /** Ends every pending `slow` fault wait (they answer 503). Called by close(); call it when unmounting the router. */
  shutdown(): void {
    this.instrumentation.shutdown();
  }
}
