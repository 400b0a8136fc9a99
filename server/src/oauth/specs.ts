/**
 * What one request to a provider looks like, as data: how the access token is presented, where
 * the account's identity is read, how a token is revoked, and the `{name}` URL templates. The
 * protocol layer reads these; the provider catalog (providers/) is written in them and re-exports
 * them, so oauth/ never imports providers/ (whose hooks call the protocol).
 */

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** Template variables a URL may contain. */
export const TEMPLATE_VARIABLES = ['shop', 'accounts_server', 'token'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateVars = Partial<Record<TemplateVariable, string>>;

/** How a request to the provider's API presents the access token. */
export type TokenPresentation =
  /** `name: [scheme ]<token>`, e.g. `Authorization: Bearer …`, `X-Shopify-Access-Token: …`. */
  | { kind: 'header'; name: string; scheme?: string }
  /** An OAuth 1.0a signed `Authorization: OAuth …` header (consumer + token). */
  | { kind: 'oauth1' };

/** Where the account id, e-mail and label are found: dotted paths, first present one wins. */
export interface IdentityFields {
  accountId: string[];
  email?: string[];
  label?: string[];
}

export type IdentitySpec =
  /** A request with the new access token (userinfo, users/me, get_current_account …). */
  | {
      source: 'userinfo';
      url: string;
      method: 'GET' | 'POST';
      presentation: TokenPresentation;
      /** Dropbox RPC: a void-argument POST takes the JSON body `null`. */
      jsonNullBody?: boolean;
      fields: IdentityFields;
    }
  /** Fields of the token response itself (Asana's `data`). */
  | { source: 'token_response'; fields: IdentityFields }
  /** Nothing tells accounts apart (a custom provider without userInfoUrl): one connection per user. */
  | { source: 'none' };

export type RevocationSpec =
  | { kind: 'none' }
  | {
      kind: 'request';
      method: 'POST' | 'DELETE';
      url: string;
      /** Which stored token to revoke: the first one the connection has. */
      tokens: Array<'refresh_token' | 'access_token'>;
      /** `form`: body `token=…`; `query`: `?token=…`; `path`: the URL's `{token}`; `presentation`: the token authenticates the call. */
      tokenIn: 'form' | 'query' | 'path' | 'presentation';
      presentation?: TokenPresentation;
      clientAuth: ClientAuthMethod | 'none';
      /**
       * Revoking any token of the grant revokes every token of the user's grant for this client
       * (Google): a reconnect then must not revoke the replaced token — it would kill the new one.
       */
      revokesWholeGrant?: boolean;
      /** Statuses that mean "already invalid", counted as success (Google answers 400). */
      alreadyInvalidStatuses?: number[];
      /**
       * Answers that mean "already invalid" (revoked or unknown), counted as success: a status and,
       * when given, the provider's error word — JSON `error` (or Dropbox's `error[".tag"]`) or a
       * plain-text body — so that e.g. Dropbox's 401 `expired_access_token` is not taken for one.
       */
      alreadyInvalid?: AlreadyInvalidAnswer[];
    };

/** One "already invalid" answer of a revocation endpoint (see RevocationSpec). */
export interface AlreadyInvalidAnswer {
  status: number;
  error?: string;
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** Replaces `{name}` placeholders; a missing variable is a bug (the hook that provides it did not run). */
export function expandTemplate(template: string, vars: TemplateVars): string {
  return template.replace(/\{([a-z_]+)\}/g, (_m, name: string) => {
    const value = vars[name as TemplateVariable];
    if (value === undefined) throw new Error(`URL template variable {${name}} has no value`);
    return value;
  });
}

export function templateVariablesOf(template: string): string[] {
  return [...template.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]!);
}
