import type { NextFunction, Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../shared/errors.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Guards the routes backend services call (`/api/credentials/*`) with `HUB_SERVICE_TOKEN`.
 * - Token not configured: the routes do not exist (404), so a hub without the variable exposes
 *   nothing and says nothing about it.
 * - Wrong or missing `Authorization: Bearer <token>`: 401 UNAUTHENTICATED.
 * The comparison is between SHA-256 digests with timingSafeEqual: both sides are always 32 bytes,
 * so neither the content nor the length of the expected token leaks through timing.
 */
export function requireServiceToken(serviceToken: string | undefined) {
  const expected = serviceToken === undefined ? undefined : digest(serviceToken);
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!expected) return next(new AppError('NOT_FOUND', 'No such route'));
    const match = /^Bearer +(\S+) *$/i.exec(req.get('authorization') ?? '');
    const given = digest(match?.[1] ?? '');
    if (!match || !timingSafeEqual(given, expected)) {
      req.hub?.log.warn({ path: req.path }, 'service request with a missing or wrong service token');
      return next(new AppError('UNAUTHENTICATED', 'A valid service token is required'));
    }
    next();
  };
}

/**
 * What every `/api/credentials/*` route sits behind, installed once at the mount point: the token
 * check (before any body is parsed, so unauthenticated bodies are never read) and `no-store`,
 * since every answer carries a secret.
 */
export function serviceRoutesGuard(serviceToken: string | undefined) {
  const check = requireServiceToken(serviceToken);
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    check(req, res, next);
  };
}
