/**
 * Dropbox (www.dropbox.com / api.dropboxapi.com).
 *
 * Quirks reproduced: a refresh token only with token_access_type=offline (never rotated, the
 * refresh response has none); token response carries account_id and uid; the API is RPC
 * style — POST, empty body or JSON `null`, errors as `{error_summary, error: {.tag}}`;
 * get_current_account needs the account_info.read scope; revocation authenticates with the
 * access token itself, so an expired one cannot revoke (refresh first).
 */
import type { Request, Response, Router } from 'express';
import type { ProviderModule, SimContext, SimulatedProvider } from '../context.js';
import { simulatorEndpoints } from '../endpoints.js';
import { authorizationValue, type ParsedBody } from '../http.js';
import { base64Id, displayName, emailOf, numericId } from '../identity.js';
import { OAuth2Engine, expiresIn, lookupAccessToken, type OAuth2Profile } from '../oauth2.js';
import { randomToken, type AccessTokenRecord, type Grant } from '../store.js';

export function dropboxAccount(login: string) {
  return { account_id: `dbid:AA${base64Id('dropbox', login, 40)}`, uid: numericId('dropbox', login, 9) };
}

function dropboxError(res: Response, status: number, tag: string, extra: Record<string, string> = {}): void {
  res.status(status).json({ error_summary: `${tag}/..`, error: { '.tag': tag, ...extra } });
}

/**
 * RPC endpoints take arguments as a JSON body; void-argument ones accept no body, or JSON `null`.
 * An empty body declared as application/json is a classic client bug that Dropbox rejects.
 */
function rpcBodyError(fn: string, body: ParsedBody): string | undefined {
  if (body.hostParsed) return undefined; // the host app consumed the stream; nothing left to check
  const type = body.contentType;
  if (type === undefined) return body.raw.length === 0 ? undefined : `Error in call to API function "${fn}": Bad HTTP "Content-Type" header: missing.`;
  if (type !== 'application/json' && type !== 'text/plain') {
    return `Error in call to API function "${fn}": Bad HTTP "Content-Type" header: "${type}".  Expecting one of "application/json", "application/json; charset=utf-8", "text/plain; charset=dropbox-cors-hack".`;
  }
  if (body.raw.trim() !== 'null') return `Error in call to API function "${fn}": request body: could not decode input as JSON`;
  return undefined;
}

const shapes = {
  access: () => randomToken('sl.u.', 96),
  refresh: () => randomToken('', 48),
  code: () => randomToken('', 32),
};

export function createDropbox(ctx: SimContext): ProviderModule {
  const profile: OAuth2Profile = {
    id: 'dropbox',
    displayName: 'Dropbox',
    prefix: '/dropbox',
    paths: { authorize: '/oauth2/authorize', token: '/oauth2/token' },
    loginPlaceholder: 'user@dropbox.example',
    pkce: true,
    clientAuthBasic: true,
    scopes: {
      separator: ' ',
      required: false,
      valid: (s) => /^[a-z_]+(\.[a-z_]+)+$/.test(s),
      // Without `scope`, Dropbox grants every scope configured on the app.
      defaults: ['account_info.read', 'files.metadata.read', 'files.content.read'],
    },
    codeTtlSeconds: 600,
    tokenRedirectUriRequired: true,
    authorizeParams: (q) => {
      const tat = q.values.token_access_type;
      if (tat !== undefined && !['offline', 'online', 'legacy'].includes(tat)) {
        return { ok: false, error: 'invalid_request', description: `Invalid token_access_type: ${tat}` };
      }
      const keep: Record<string, string> = tat ? { token_access_type: tat } : {};
      return { ok: true, keep };
    },
    codeExchange: ({ code, accessTtl }) => ({
      ok: true,
      plan: { scopes: code.scopes, refresh: code.authParams.token_access_type === 'offline', accessTtl },
    }),
    issuePlan: (input, ttl) => ({
      scopes: input.scopes ?? profile.scopes.defaults,
      refresh: input.offline ?? true,
      accessTtl: input.expiresInSeconds ?? ttl,
    }),
    refresh: { rotate: false, ttlSeconds: null },
    tokenResponse: ({ grant, access, refresh, kind }) =>
      kind === 'refresh'
        ? { access_token: access.token, token_type: 'bearer', expires_in: expiresIn(access, ctx.now())! }
        : {
            access_token: access.token,
            token_type: 'bearer',
            expires_in: expiresIn(access, ctx.now())!,
            ...(refresh ? { refresh_token: refresh.token } : {}),
            scope: access.scopes.join(' '),
            ...dropboxAccount(grant.login),
          },
  };
  const engine = new OAuth2Engine(ctx, profile);

  /** Shared front of both RPC endpoints: body rules, then the Bearer token. */
  function rpcAuth(req: Request, res: Response, fn: string, body: ParsedBody): { grant: Grant; record: AccessTokenRecord } | undefined {
    const bodyError = rpcBodyError(fn, body);
    if (bodyError) {
      res.status(400).type('text/plain').send(bodyError);
      return undefined;
    }
    const token = authorizationValue(req, 'Bearer');
    if (token === undefined) {
      res.status(400).type('text/plain').send(`Error in call to API function "${fn}": Must provide HTTP header "Authorization" or URL parameter "authorization".`);
      return undefined;
    }
    const found = lookupAccessToken(ctx.store('dropbox'), token);
    if (found.status !== 'valid') {
      dropboxError(res, 401, found.status === 'expired' ? 'expired_access_token' : 'invalid_access_token');
      return undefined;
    }
    return found;
  }

  function mount(router: Router): void {
    engine.mount(router);

    router.post('/dropbox/2/auth/token/revoke', async (req, res) => {
      const entered = await ctx.instrumentation.enter(req, res, 'dropbox', 'revoke');
      if (!entered) return;
      const auth = rpcAuth(req, res, 'auth/token/revoke', entered.body);
      if (!auth) return;
      // Disables this access token, its refresh token and every other access token of the pair.
      ctx.store('dropbox').revokeGrant(auth.grant);
      res.status(200).type('application/json').send('null');
    });

    router.post('/dropbox/2/users/get_current_account', async (req, res) => {
      const entered = await ctx.instrumentation.enter(req, res, 'dropbox', 'userinfo');
      if (!entered) return;
      const auth = rpcAuth(req, res, 'users/get_current_account', entered.body);
      if (!auth) return;
      const { grant, record } = auth;
      if (!record.scopes.includes('account_info.read')) {
        dropboxError(res, 401, 'missing_scope', { required_scope: 'account_info.read' });
        return;
      }
      const name = displayName(grant.login);
      const [given, ...rest] = name.split(' ');
      res.json({
        account_id: dropboxAccount(grant.login).account_id,
        name: {
          given_name: given ?? name,
          surname: rest.join(' '),
          familiar_name: given ?? name,
          display_name: name,
          abbreviated_name: name
            .split(' ')
            .map((w) => w.charAt(0))
            .join(''),
        },
        email: emailOf('dropbox', grant.login),
        email_verified: true,
        disabled: false,
        country: 'US',
        locale: 'en',
        is_paired: false,
        account_type: { '.tag': 'basic' },
      });
    });
  }

  return { id: 'dropbox', shapes, mount, issueTokens: (input) => engine.issueTokens(input) };
}

/** The simulated Dropbox: its routes, and how the hub is pointed at it in sandbox mode. */
export const dropbox: SimulatedProvider = {
  id: 'dropbox',
  accessTokenTtlSeconds: 14_400,
  create: createDropbox,
  hubOverride: (base) => {
    const ep = simulatorEndpoints(base).dropbox;
    return { authorizationUrl: ep.authorizeUrl, tokenUrl: ep.tokenUrl, revocationUrl: ep.revokeUrl, userInfoUrl: ep.userinfoUrl };
  },
};
