import type { Response } from 'express';
import { describe, expect, it } from 'vitest';
import { clearSessionCookie, sessionCookieName, setSessionCookie } from './session-cookie.js';

function fakeResponse() {
  const headers: string[] = [];
  return { res: { append: (_name: string, value: string) => headers.push(value) } as unknown as Response, headers };
}

describe('session cookie', () => {
  it('S28 is Secure with the __Host- prefix when PUBLIC_URL is https', () => {
    const { res, headers } = fakeResponse();
    setSessionCookie(res, 'tok', { publicUrl: 'https://hub.example.com' });
    expect(sessionCookieName({ publicUrl: 'https://hub.example.com' })).toBe('__Host-hub_session');
    expect(headers).toEqual(['__Host-hub_session=tok; Max-Age=2592000; Path=/; HttpOnly; Secure; SameSite=Lax']);
  });

  it('S28 is HttpOnly and SameSite=Lax without Secure over plain http, and clearing expires it', () => {
    const { res, headers } = fakeResponse();
    setSessionCookie(res, 'tok', { publicUrl: 'http://localhost:3000' });
    clearSessionCookie(res, { publicUrl: 'http://localhost:3000' });
    expect(headers).toEqual([
      'hub_session=tok; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax',
      'hub_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax',
    ]);
  });
});
