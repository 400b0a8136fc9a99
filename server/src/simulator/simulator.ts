/**
 * The Simulator: state shared by all providers (clients, clock, grant stores, consents,
 * instrumentation) plus the test-facing API. Routes live in the provider modules.
 */
import { PendingConsents } from './consent.js';
import type { ProviderModule, SimContext, SimulatedProvider } from './context.js';
import { Instrumentation } from './instrumentation.js';
import { SIMULATED_PROVIDERS } from './providers/index.js';
import { GrantStore } from './store.js';
import {
  DEFAULT_BEHAVIOUR,
  ENDPOINT_NAMES,
  type BehaviourPatch,
  type EndpointName,
  type Fault,
  type IssueTokensInput,
  type SimulatedProviderId,
  type RecordedRequest,
  type SimulatorBehaviour,
  type SimulatorClient,
  type SimulatorOptions,
  type TokenResponse,
} from './types.js';

const FAULT_KINDS = ['http500', 'slow', 'malformed', 'invalid_grant', 'http429'] as const;
const CALLBACK_CONFIRMED = ['true', 'absent', 'false'] as const;
/** The Shopify callback parameters the simulator itself sets; `host` may be replaced. */
const SHOPIFY_OWN_CALLBACK_PARAMS = ['code', 'state', 'shop', 'timestamp', 'hmac', 'signature'];
const MAX_EXTRA_CALLBACK_PARAMS = 8;
const MAX_EXTRA_CALLBACK_CHARS = 200;

/** `base` with `patch` applied, or a TypeError naming the bad switch. */
export function applyBehaviour(base: SimulatorBehaviour, patch: BehaviourPatch): SimulatorBehaviour {
  const next: SimulatorBehaviour = { trello: { ...base.trello, ...patch.trello }, shopify: { ...base.shopify, ...patch.shopify } };
  if (!(CALLBACK_CONFIRMED as readonly string[]).includes(next.trello.callbackConfirmed)) {
    throw new TypeError(`trello.callbackConfirmed must be one of ${CALLBACK_CONFIRMED.join(', ')}`);
  }
  const extras = Object.entries(next.shopify.extraCallbackParams);
  if (extras.length > MAX_EXTRA_CALLBACK_PARAMS) throw new TypeError(`shopify.extraCallbackParams: at most ${MAX_EXTRA_CALLBACK_PARAMS} parameters`);
  for (const [k, v] of extras) {
    if (typeof v !== 'string' || k === '' || k.length > MAX_EXTRA_CALLBACK_CHARS || v.length > MAX_EXTRA_CALLBACK_CHARS) {
      throw new TypeError(`shopify.extraCallbackParams: names and values are strings of 1–${MAX_EXTRA_CALLBACK_CHARS} characters`);
    }
    if (SHOPIFY_OWN_CALLBACK_PARAMS.includes(k)) throw new TypeError(`shopify.extraCallbackParams: ${k} is set by the simulator`);
  }
  next.shopify.extraCallbackParams = Object.fromEntries(extras);
  return next;
}

/** Access-token lifetime of a provider whose entry names none. */
const FALLBACK_ACCESS_TTL_SECONDS = 3600;

/** What the simulator holds per provider. */
interface Simulated {
  entry: SimulatedProvider;
  module: ProviderModule;
  client: SimulatorClient;
  ttl: number;
  store: GrantStore;
}

export class Simulator implements SimContext {
  readonly instrumentation: Instrumentation;
  readonly consents: PendingConsents;
  /** Every simulated provider's module, by id: the built-in ones, then `opts.providers`. */
  readonly modules: Readonly<Record<SimulatedProviderId, ProviderModule>>;
  private readonly providers = new Map<SimulatedProviderId, Simulated>();
  private clockOffsetMs = 0;
  /** What reset() goes back to: DEFAULT_BEHAVIOUR with `opts.behaviour` applied. */
  private readonly initialBehaviour: SimulatorBehaviour;
  private currentBehaviour: SimulatorBehaviour;

  constructor(
    opts: SimulatorOptions,
    readonly publicBaseUrl: () => string,
  ) {
    const now = () => this.now();
    this.initialBehaviour = applyBehaviour(DEFAULT_BEHAVIOUR, opts.behaviour ?? {});
    this.currentBehaviour = this.initialBehaviour;
    this.instrumentation = new Instrumentation(now, opts.maxRecordedRequests ?? 10_000);
    this.consents = new PendingConsents(now);
    const entries = [...SIMULATED_PROVIDERS, ...(opts.providers ?? [])];
    for (const [id, seconds] of Object.entries(opts.accessTokenTtlSeconds ?? {})) {
      if (!(typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0)) throw new TypeError(`accessTokenTtlSeconds.${id} must be a positive number`);
    }
    const modules: Record<SimulatedProviderId, ProviderModule> = {};
    for (const entry of entries) {
      const id = entry.id;
      if (this.providers.has(id)) throw new TypeError(`Two simulated providers have the id ${id}`);
      const given = opts.clients?.[id];
      if (given && (!given.clientId || !given.clientSecret)) throw new TypeError(`clients.${id}: clientId and clientSecret must be non-empty`);
      const client = given ? { ...given } : { clientId: `sandbox-${id}-client`, clientSecret: `sandbox-${id}-secret` };
      const ttl = opts.accessTokenTtlSeconds?.[id] ?? entry.accessTokenTtlSeconds ?? FALLBACK_ACCESS_TTL_SECONDS;
      // The module is created before its store: a store takes the module's token shapes.
      const partial = { entry, client, ttl } as Simulated;
      this.providers.set(id, partial);
      const module = entry.create(this);
      if (module.id !== id) throw new TypeError(`Simulated provider ${id} created a module for ${module.id}`);
      partial.module = module;
      partial.store = new GrantStore(id, now, module.shapes);
      modules[id] = module;
    }
    this.modules = modules;
  }

  private simulated(provider: SimulatedProviderId): Simulated {
    const found = this.providers.get(provider);
    if (!found) throw new TypeError(`Unknown provider: ${String(provider)}`);
    return found;
  }

  /** The ids of every simulated provider, in order. */
  providerIds(): SimulatedProviderId[] {
    return [...this.providers.keys()];
  }

  hasProvider(provider: unknown): provider is SimulatedProviderId {
    return typeof provider === 'string' && this.providers.has(provider);
  }

  // ---- SimContext ----

  /** Simulator clock (ms): wall clock shifted by advanceClock(). Drives code and token lifetimes only. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  store(provider: SimulatedProviderId): GrantStore {
    return this.simulated(provider).store;
  }

  client(provider: SimulatedProviderId): SimulatorClient {
    return this.simulated(provider).client;
  }

  accessTtl(provider: SimulatedProviderId): number {
    return this.simulated(provider).ttl;
  }

  behaviour(): Readonly<SimulatorBehaviour> {
    return this.currentBehaviour;
  }

  // ---- Test API ----

  /** Changes provider behaviour switches (validated; TypeError on a bad value) until the next reset(). */
  setBehaviour(patch: BehaviourPatch): void {
    this.currentBehaviour = applyBehaviour(this.currentBehaviour, patch);
  }

  /** Requests seen by one endpoint of one provider since the last reset. */
  count(provider: SimulatedProviderId, endpoint: EndpointName): number {
    return this.instrumentation.count(provider, endpoint);
  }

  /** All non-zero counters, by provider then endpoint. */
  counters(): Partial<Record<SimulatedProviderId, Partial<Record<EndpointName, number>>>> {
    return this.instrumentation.allCounts();
  }

  requests(provider?: SimulatedProviderId): RecordedRequest[] {
    return this.instrumentation.requests(provider);
  }

  setFault(provider: SimulatedProviderId, endpoint: EndpointName, fault: Fault): void {
    this.simulated(provider);
    if (!ENDPOINT_NAMES.includes(endpoint)) throw new TypeError(`Unknown endpoint: ${String(endpoint)}`);
    if (!(FAULT_KINDS as readonly string[]).includes(fault.kind)) throw new TypeError(`Unknown fault kind: ${String(fault.kind)}`);
    this.instrumentation.setFault(provider, endpoint, fault);
  }

  clearFaults(): void {
    this.instrumentation.clearFaults();
  }

  /** Clears counters, recorded requests, faults and behaviour switches; with `tokens: true` also every code, grant and token. */
  reset(opts: { tokens?: boolean } = {}): void {
    this.instrumentation.reset();
    this.currentBehaviour = this.initialBehaviour;
    if (opts.tokens) {
      for (const { store, module } of this.providers.values()) {
        store.clear();
        module.clear?.();
      }
      this.consents.clear();
      this.clockOffsetMs = 0;
    }
  }

  /** Creates a grant without consent and returns what the token endpoint would have answered. */
  issueTokens(provider: SimulatedProviderId, input: IssueTokensInput): TokenResponse {
    return this.simulated(provider).module.issueTokens(input);
  }

  isAccessTokenValid(provider: SimulatedProviderId, token: string): boolean {
    return this.store(provider).lookupAccess(token).status === 'valid';
  }

  isRefreshTokenValid(provider: SimulatedProviderId, token: string): boolean {
    return this.store(provider).lookupRefresh(token).status === 'valid';
  }

  /** Tokens killed by revocation (revoke endpoint, Shopify uninstall, code replay), oldest first. Rotated-out refresh tokens are not listed. */
  revoked(provider: SimulatedProviderId): string[] {
    return [...this.store(provider).revokedTokens];
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
