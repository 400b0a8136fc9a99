import express, { Router, type Request, type Response } from 'express';
import type { ModuleServices } from '../services.js';
import { badInput } from '../../shared/errors.js';
import { ApiKeyService, checkService, isUuid } from './api-key.service.js';

/** Bodies here are a few ids: anything bigger is a mistake or an attack. */
export const CREDENTIALS_BODY_LIMIT = '4kb';

interface ApiKeyRequest {
  userId: string;
  service: string;
  name?: string;
}

function parseApiKeyRequest(body: unknown): ApiKeyRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badInput('body', 'Send a JSON object: { "userId", "service", "name"? }');
  }
  const { userId, service, name } = body as Record<string, unknown>;
  if (typeof userId !== 'string' || !isUuid(userId)) throw badInput('userId', 'userId must be a user id (uuid)');
  if (typeof service !== 'string') throw badInput('service', 'service must be a string');
  if (name !== undefined && name !== null && (typeof name !== 'string' || name.trim() === '' || name.length > 255)) {
    throw badInput('name', 'name must be a non-empty string of at most 255 characters');
  }
  return { userId: userId.toLowerCase(), service: checkService(service), ...(typeof name === 'string' ? { name: name.trim() } : {}) };
}

/**
 * Credentials for backend services, behind HUB_SERVICE_TOKEN (see http/service-auth.ts).
 *
 * `POST /api/credentials/api-key` `{ userId, service, name? }` → `200 { key }`: the named key, or
 * the newest one for the service. 400 BAD_USER_INPUT, 404 NOT_FOUND, 409 UNREADABLE (the stored
 * value no longer decrypts). The response is never cached and the key is never logged.
 */
export function credentialsRoutes(services: ModuleServices): Router {
  // Mounted behind `serviceRoutesGuard` (http/service-auth.ts), like every /api/credentials route.
  const router = Router();
  const json = express.json({ limit: CREDENTIALS_BODY_LIMIT });

  router.post('/api-key', json, async (req: Request, res: Response) => {
    const input = parseApiKeyRequest(req.body);
    const keys = new ApiKeyService(services.db.orm.em.fork(), services.vault);
    const key = await keys.readForService(input.userId, input.service, input.name, req.hub.meta.ip);
    if (req.hub.logs('info')) req.hub.log.info({ userId: input.userId, service: input.service }, 'api key read by a service');
    res.json({ key });
  });

  // No catch-all here: other credential routes may be mounted on the same path after this router.
  return router;
}
