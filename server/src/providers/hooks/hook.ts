import type { OAuthHttp } from '../../oauth/http.js';
import type { TokenSet } from '../../oauth/token-set.js';
import type { ClientCredentials, ResolvedProvider, TemplateVariable, TemplateVars } from '../types.js';

/** Callback outcomes a hook can report; the flow adds its own (see oauth-flow/failure.ts). */
export type HookFailureReason = 'invalid_hmac' | 'invalid_shop' | 'untrusted_accounts_server' | 'invalid_state' | 'access_denied' | 'provider_error';

export interface ConnectInput {
  shop?: string | null | undefined;
}

export interface CallbackContext {
  provider: ResolvedProvider;
  credentials: ClientCredentials;
  /** The callback's query, exactly as received. */
  params: URLSearchParams;
  /** What the connect step stored: the template variables it used. */
  vars: TemplateVars;
  nowMs: number;
}

export type CallbackCheck =
  | {
      ok: true;
      /** Template variables for every request after the callback (token, identity, later refresh). */
      vars: TemplateVars;
      /** Non-secret facts stored with the connection (shop, accounts_server). */
      metadata: Record<string, string>;
    }
  | { ok: false; reason: HookFailureReason };

/** A flow other than the OAuth 2 authorization-code flow (Trello's OAuth 1.0a). */
export interface AuthorizationFlow {
  begin(input: {
    http: OAuthHttp;
    provider: ResolvedProvider;
    credentials: ClientCredentials;
    /** Where the provider sends the browser back; carries the hub's state. */
    callbackUrl: string;
  }): Promise<{ authorizationUrl: string; requestToken: string; requestTokenSecret: string }>;

  /** Checks the callback against the pending request token and obtains the tokens. */
  finish(input: {
    http: OAuthHttp;
    provider: ResolvedProvider;
    credentials: ClientCredentials;
    params: URLSearchParams;
    requestToken: string;
    requestTokenSecret: string;
  }): Promise<TokenSet | { failure: HookFailureReason }>;
}

/**
 * Code for what a provider's data cannot say. Each is named in the catalog (`hook`), and the
 * catalog schema refuses a provider naming a hook that does not exist or URLs using template
 * variables its hook does not provide.
 */
export interface ProviderHook {
  /** Template variables this hook supplies to the provider's URLs. */
  provides: readonly TemplateVariable[];
  /** The connect step needs a shop domain (Shopify). */
  requiresShop?: boolean;
  /**
   * Connect input → template variables; throws AppError BAD_USER_INPUT before any redirect. Must be
   * a pure function of what the pending authorization stores (the shop): the callback recomputes it.
   */
  connectInput?(input: ConnectInput, provider: ResolvedProvider): TemplateVars;
  /** Checks made on the callback before any request leaves the hub. */
  checkCallback?(ctx: CallbackContext): CallbackCheck;
  /**
   * The template variables a stored connection's metadata gives, checked again before a token
   * leaves the hub (S19); undefined when the stored value no longer passes the hook's rules.
   */
  storedVars?(metadata: Readonly<Record<string, string>>, provider: ResolvedProvider): TemplateVars | undefined;
  flow?: AuthorizationFlow;
}
