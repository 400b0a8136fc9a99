import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';
import type { Config } from '../../config/env.js';
import { SESSION_TTL_MS } from './session.service.js';

/**
 * Session cookie (S28): HttpOnly, SameSite=Lax, Path=/, and Secure when the hub is served over
 * https — then also the `__Host-` prefix, which browsers only accept on secure, host-only cookies.
 */
export function sessionCookieName(config: Pick<Config, 'publicUrl'>): string {
  return isSecure(config) ? '__Host-hub_session' : 'hub_session';
}

const isSecure = (config: Pick<Config, 'publicUrl'>) => config.publicUrl.startsWith('https://');

export function readSessionToken(req: Request, config: Pick<Config, 'publicUrl'>): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parse(header)[sessionCookieName(config)] || undefined;
}

export function setSessionCookie(res: Response, token: string, config: Pick<Config, 'publicUrl'>): void {
  res.append(
    'Set-Cookie',
    serialize(sessionCookieName(config), token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: isSecure(config),
      path: '/',
      maxAge: Math.floor(SESSION_TTL_MS / 1000),
    }),
  );
}

export function clearSessionCookie(res: Response, config: Pick<Config, 'publicUrl'>): void {
  res.append(
    'Set-Cookie',
    serialize(sessionCookieName(config), '', { httpOnly: true, sameSite: 'lax', secure: isSecure(config), path: '/', maxAge: 0 }),
  );
}
