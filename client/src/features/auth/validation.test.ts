// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { validateCredentials, validateEmail, validatePassword } from './validation';

describe('validateEmail', () => {
  it.each([
    ['', 'Enter your email address.'],
    ['   ', 'Enter your email address.'],
    ['ada', 'Enter a valid email address, like name@example.com.'],
    ['ada@example', 'Enter a valid email address, like name@example.com.'],
    ['ada @example.com', 'Enter a valid email address, like name@example.com.'],
    [`${'a'.repeat(243)}@example.com`, 'Email must be at most 254 characters.'],
  ])('%j → %j', (email, message) => {
    expect(validateEmail(email)).toBe(message);
  });

  it('accepts ordinary addresses, including at exactly 254 characters and with outer spaces', () => {
    expect(validateEmail('ada@example.com')).toBeUndefined();
    expect(validateEmail('  ada+hub@mail.example.co.uk ')).toBeUndefined();
    expect(validateEmail(`${'a'.repeat(242)}@example.com`)).toBeUndefined();
  });
});

describe('validatePassword', () => {
  it('applies the length rules to new passwords (10–256)', () => {
    expect(validatePassword('', 'new')).toBe('Enter your password.');
    expect(validatePassword('x'.repeat(9), 'new')).toBe('Password must be at least 10 characters.');
    expect(validatePassword('x'.repeat(10), 'new')).toBeUndefined();
    expect(validatePassword('x'.repeat(256), 'new')).toBeUndefined();
    expect(validatePassword('x'.repeat(257), 'new')).toBe('Password must be at most 256 characters.');
  });

  it('only requires a value (and the upper bound) for existing passwords', () => {
    expect(validatePassword('', 'existing')).toBe('Enter your password.');
    expect(validatePassword('short', 'existing')).toBeUndefined();
    expect(validatePassword('x'.repeat(257), 'existing')).toBe('Password must be at most 256 characters.');
  });
});

describe('validateCredentials', () => {
  it('reports every invalid field at once', () => {
    expect(validateCredentials({ email: '', password: 'short' }, 'new')).toEqual({
      email: 'Enter your email address.',
      password: 'Password must be at least 10 characters.',
    });
    expect(validateCredentials({ email: 'ada@example.com', password: 'long enough!' }, 'new')).toEqual({});
  });
});
