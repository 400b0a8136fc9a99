/**
 * Stable fake identities. Everything is derived from (provider, login) with SHA-256, so the
 * same login maps to the same account id across requests, simulator instances and restarts —
 * the hub's "same account reconnected" logic can be tested without shared state.
 */
import { createHash } from 'node:crypto';
import type { SimulatedProviderId } from './types.js';

function digest(provider: SimulatedProviderId, login: string): Buffer {
  return createHash('sha256').update(`${provider}\0${normalizeLogin(login)}`).digest();
}

/** Logins are compared case-insensitively, like e-mail addresses at every provider. */
export function normalizeLogin(login: string): string {
  return login.trim().toLowerCase();
}

/** A decimal id of `length` digits (first digit non-zero). */
export function numericId(provider: SimulatedProviderId, login: string, length: number): string {
  const bytes = digest(provider, login);
  let out = String((bytes[0]! % 9) + 1);
  for (let i = 1; out.length < length; i++) out += String(bytes[i % bytes.length]! % 10);
  return out;
}

export function hexId(provider: SimulatedProviderId, login: string, length: number): string {
  return digest(provider, login).toString('hex').slice(0, length);
}

export function base64Id(provider: SimulatedProviderId, login: string, length: number): string {
  return digest(provider, login).toString('base64url').slice(0, length);
}

/** "jane.doe@x" → "Jane Doe"; falls back to the login itself. */
export function displayName(login: string): string {
  const local = login.trim().split('@')[0] ?? '';
  const words = local.split(/[._\-+]+/).filter(Boolean);
  if (words.length === 0) return login.trim();
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}

/** The e-mail of a login (Trello allows a username as login; give it a deterministic address). */
export function emailOf(provider: SimulatedProviderId, login: string): string {
  const trimmed = login.trim();
  return trimmed.includes('@') ? trimmed : `${trimmed}@${provider}.example`;
}
