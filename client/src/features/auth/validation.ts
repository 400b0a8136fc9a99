/**
 * Client-side checks mirror the server's rules so people learn about mistakes before a round
 * trip; the server stays the authority (it re-validates and answers BAD_USER_INPUT).
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
export const EMAIL_MAX_LENGTH = 254;

export interface Credentials {
  email: string;
  password: string;
}

export type CredentialErrors = Partial<Record<keyof Credentials, string>>;

// Deliberately loose (something@something.tld, no spaces): the server decides what is valid.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateEmail(email: string): string | undefined {
  const value = email.trim();
  if (value === '') return 'Enter your email address.';
  if (value.length > EMAIL_MAX_LENGTH) return `Email must be at most ${EMAIL_MAX_LENGTH} characters.`;
  if (!EMAIL_SHAPE.test(value)) return 'Enter a valid email address, like name@example.com.';
  return undefined;
}

/**
 * `mode: 'new'` applies the creation rules (sign-up). Sign-in only requires a value: a
 * length rule there would just leak the policy and block accounts made under an older one.
 */
export function validatePassword(password: string, mode: 'new' | 'existing'): string | undefined {
  if (password === '') return 'Enter your password.';
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (mode === 'new' && password.length < PASSWORD_MIN_LENGTH) {
    return `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`;
  }
  return undefined;
}

export function validateCredentials(values: Credentials, mode: 'new' | 'existing'): CredentialErrors {
  const errors: CredentialErrors = {};
  const email = validateEmail(values.email);
  const password = validatePassword(values.password, mode);
  if (email) errors.email = email;
  if (password) errors.password = password;
  return errors;
}
