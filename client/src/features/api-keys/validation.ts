import type { ReadError } from '../../lib/graphql-errors';

/**
 * Client-side checks mirroring the server's (server/src/modules/api-keys/api-key.service.ts):
 * values are trimmed; service is a lower-case slug; name ≤ 255 and key ≤ 4096 characters
 * (UTF-16 units, as the server counts); no control characters. The server stays the authority.
 */
export const SERVICE_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,99}$/;
export const NAME_MAX_LENGTH = 255;
export const KEY_MAX_LENGTH = 4096;
const CONTROL = /\p{Cc}/u;

export type ApiKeyField = 'service' | 'name' | 'key';
export type ApiKeyErrors = Partial<Record<ApiKeyField, string>>;

export const SERVICE_HINT = 'Lower-case letters, digits, “.”, “_” or “-”, e.g. openai.';

export function validateService(raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return 'Enter the service this key is for.';
  if (value.length > 100) return 'Service must be at most 100 characters.';
  if (!SERVICE_PATTERN.test(value)) {
    if (SERVICE_PATTERN.test(value.toLowerCase())) return `Use lower-case letters: “${value.toLowerCase()}”.`;
    return 'Service may contain only lower-case letters, digits, “.”, “_” and “-”, and must start with a letter or digit.';
  }
  return undefined;
}

export function validateName(raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return 'Enter a name for this key.';
  if (value.length > NAME_MAX_LENGTH) return `Name must be at most ${NAME_MAX_LENGTH} characters.`;
  if (CONTROL.test(value)) return 'Name contains characters that are not allowed.';
  return undefined;
}

export function validateKey(raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return 'Paste the API key.';
  if (value.length > KEY_MAX_LENGTH) return `The key must be at most ${KEY_MAX_LENGTH} characters.`;
  if (CONTROL.test(value)) return 'The key contains characters that cannot be part of a key (line breaks, tabs…).';
  return undefined;
}

const VALIDATORS: Record<ApiKeyField, (value: string) => string | undefined> = {
  service: validateService,
  name: validateName,
  key: validateKey,
};

/** Checks the given fields only (rename checks `name`, replace checks `key`). */
export function validateApiKeyInput(values: Partial<Record<ApiKeyField, string>>): ApiKeyErrors {
  const errors: ApiKeyErrors = {};
  for (const field of Object.keys(values) as ApiKeyField[]) {
    const message = VALIDATORS[field](values[field] ?? '');
    if (message) errors[field] = message;
  }
  return errors;
}

export const DUPLICATE_MESSAGE = 'You already have a key with this name for this service. Choose another name.';
export const KEY_GONE_MESSAGE = 'This key no longer exists; it may have been deleted in another tab.';

/** Where a server error is shown: under one of `fields`, or above the form. */
export function placeApiKeyError(
  error: ReadError,
  fields: readonly ApiKeyField[],
  generic: (error: ReadError) => string,
): { field?: ApiKeyField; message: string } {
  const field = fields.find((name) => name === error.field);
  switch (error.code) {
    case 'BAD_USER_INPUT':
      return field ? { field, message: error.message } : { message: error.message };
    case 'CONFLICT':
      // The server names `name`; a form without a name field shows it above instead.
      return fields.includes('name') ? { field: 'name', message: DUPLICATE_MESSAGE } : { message: DUPLICATE_MESSAGE };
    case 'NOT_FOUND':
      return { message: KEY_GONE_MESSAGE };
    default:
      return { message: generic(error) };
  }
}
