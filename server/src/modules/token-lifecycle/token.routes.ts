import express, { Router, type Request, type Response } from 'express';
import type { LifecycleServices } from './refresh.service.js';
import { PROVIDER_ID } from '../../providers/schema.js';
import { badInput } from '../../shared/errors.js';
import { isUuid } from '../api-keys/api-key.service.js';
import { AuditActorType } from '../audit/audit-event.entity.js';
import { getAccessToken, type AccessTokenRequest } from './token-access.service.js';
import { CREDENTIALS_BODY_LIMIT } from '../api-keys/credentials.routes.js';

function parseTokenRequest(body: unknown): AccessTokenRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badInput('body', 'Send a JSON object: { "userId", "provider", "connectionId"? }');
  }
  const { userId, provider, connectionId } = body as Record<string, unknown>;
  if (typeof userId !== 'string' || !isUuid(userId)) throw badInput('userId', 'userId must be a user id (uuid)');
  if (typeof provider !== 'string' || !PROVIDER_ID.test(provider)) throw badInput('provider', 'provider must be a provider id such as google');
  if (connectionId !== undefined && connectionId !== null && (typeof connectionId !== 'string' || !isUuid(connectionId))) {
    throw badInput('connectionId', 'connectionId must be a connection id (uuid)');
  }
  return { userId: userId.toLowerCase(), provider, ...(typeof connectionId === 'string' ? { connectionId: connectionId.toLowerCase() } : {}) };
}

/**
 * OAuth access tokens for backend services, behind HUB_SERVICE_TOKEN (see http/service-auth.ts).
 *
 * `POST /api/credentials/token` `{ userId, provider, connectionId? }` →
 * `200 { connectionId, accessToken, tokenType, expiresAt, scopes, metadata }` with a token valid for
 * at least REFRESH_MARGIN_SECONDS (refreshed first when needed; while the provider fails, the
 * current token as long as it has not expired). Without connectionId: the user's newest ACTIVE
 * connection of the provider. `metadata`: Shopify `shop`, Zoho `api_domain`/`accounts_server`,
 * Dropbox `account_id`, Trello `apiKey` + `token` (never the OAuth 1.0a token secret).
 * Errors: 400 BAD_USER_INPUT, 401 UNAUTHENTICATED, 404 NOT_FOUND, 409 NEEDS_REAUTH /
 * PROVIDER_NOT_CONFIGURED / UNREADABLE, 502 PROVIDER_UNAVAILABLE / REFRESH_FAILED. Every answer is
 * audited (`oauth.token_read`, actor service); the response is never cached, the token never logged.
 */
export function tokenRoutes(services: LifecycleServices): Router {
  // Mounted behind `serviceRoutesGuard` (http/service-auth.ts), like every /api/credentials route.
  const router = Router();
  const json = express.json({ limit: CREDENTIALS_BODY_LIMIT });

  router.post('/token', json, async (req: Request, res: Response) => {
    const input = parseTokenRequest(req.body);
    const token = await getAccessToken(services, input, { actor: { type: AuditActorType.SERVICE, ip: req.hub.meta.ip ?? null } });
    if (req.hub.logs('info')) {
      req.hub.log.info({ userId: input.userId, provider: input.provider, connectionId: token.connectionId }, 'access token read by a service');
    }
    res.json({
      connectionId: token.connectionId,
      accessToken: token.accessToken,
      tokenType: token.tokenType,
      expiresAt: token.expiresAt?.toISOString() ?? null,
      scopes: token.scopes,
      metadata: token.metadata,
    });
  });

  return router;
}
