import { createHash, randomBytes } from 'node:crypto';

/** `state`: 256 bits from the CSPRNG, base64url (43 characters) — S01 asks for at least 128. */
export function newState(): string {
  return randomBytes(32).toString('base64url');
}

export const STATE_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** What the database keeps instead of the state itself. */
export function hashState(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('hex');
}

/** RFC 7636 verifier: 32 random bytes → 43 unreserved characters (the allowed range is 43–128). */
export function newCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** S256 only; `plain` is never used (S02). */
export function codeChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
