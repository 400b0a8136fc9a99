// @vitest-environment jsdom
import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphQLError, signUpMock, user } from '../../test/apollo-mocks';
import { EMAIL_TAKEN_MESSAGE, SignUpPage } from './SignUpPage';

const GOOD_PASSWORD = 'correct horse battery';

function renderSignUp(mocks: MockLink.MockedResponse[] = []) {
  render(
    <MockedProvider mocks={mocks}>
      <SignUpPage />
    </MockedProvider>,
  );
  return {
    email: screen.getByLabelText('Email') as HTMLInputElement,
    password: screen.getByLabelText('Password') as HTMLInputElement,
    submit: screen.getByRole('button', { name: 'Create account' }),
  };
}

/** The inline error read out with a field (aria-describedby), or null. */
function fieldError(input: HTMLInputElement): string | null {
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
  const error = ids.map((id) => document.getElementById(id)).find((el) => el?.classList.contains('field-error'));
  return error?.textContent ?? null;
}

beforeEach(() => window.history.replaceState(null, '', '/signup'));
afterEach(cleanup);

describe('SignUpPage validation', () => {
  it('has a heading, labelled inputs and the password rule as a hint', () => {
    const { password } = renderSignUp();
    expect(screen.getByRole('heading', { level: 1, name: 'Create your account' })).toBeTruthy();
    expect(password.getAttribute('autocomplete')).toBe('new-password');
    expect(password.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(password.getAttribute('aria-describedby')!)?.textContent).toBe(
      'At least 10 characters.',
    );
  });

  it('blocks an empty submit, marks both fields and focuses the first', () => {
    // No mocks: a request reaching the link would surface as a form error alert.
    const { email, password, submit } = renderSignUp();
    fireEvent.click(submit);
    expect(fieldError(email)).toBe('Enter your email address.');
    expect(fieldError(password)).toBe('Enter your password.');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(email);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('enforces the password length and email shape, then clears errors as they are fixed', () => {
    const { email, password, submit } = renderSignUp();
    fireEvent.change(email, { target: { value: 'ada@example' } });
    fireEvent.change(password, { target: { value: 'too short' } });
    fireEvent.click(submit);
    expect(fieldError(email)).toBe('Enter a valid email address, like name@example.com.');
    expect(fieldError(password)).toBe('Password must be at least 10 characters.');

    fireEvent.change(email, { target: { value: 'ada@example.com' } });
    expect(fieldError(email)).toBeNull();
    expect(email.getAttribute('aria-invalid')).toBeNull();
    fireEvent.change(password, { target: { value: GOOD_PASSWORD } });
    expect(fieldError(password)).toBeNull();
  });

  it('validates a filled field on blur, not while it is still empty', () => {
    const { email } = renderSignUp();
    fireEvent.blur(email);
    expect(fieldError(email)).toBeNull();
    fireEvent.change(email, { target: { value: 'nope' } });
    fireEvent.blur(email);
    expect(fieldError(email)).toBe('Enter a valid email address, like name@example.com.');
  });

  it('rejects an email over 254 characters', () => {
    const { email, password, submit } = renderSignUp();
    fireEvent.change(email, { target: { value: `${'a'.repeat(243)}@example.com` } });
    fireEvent.change(password, { target: { value: GOOD_PASSWORD } });
    fireEvent.click(submit);
    expect(fieldError(email)).toBe('Email must be at most 254 characters.');
  });
});

describe('SignUpPage server errors', () => {
  const input = { email: 'ada@example.com', password: GOOD_PASSWORD };

  function fillAndSubmit(fields: ReturnType<typeof renderSignUp>) {
    fireEvent.change(fields.email, { target: { value: '  ada@example.com ' } });
    fireEvent.change(fields.password, { target: { value: GOOD_PASSWORD } });
    fireEvent.click(fields.submit);
  }

  it('shows CONFLICT on the email field and focuses it', async () => {
    const fields = renderSignUp([signUpMock(input, { errors: [graphQLError('CONFLICT', 'Email already registered')] })]);
    fillAndSubmit(fields);
    await waitFor(() => expect(fieldError(fields.email)).toBe(EMAIL_TAKEN_MESSAGE));
    expect(document.activeElement).toBe(fields.email);
    expect(screen.queryByRole('alert')).toBeNull();
    // Moving on keeps the server's verdict; editing the address clears it.
    fireEvent.blur(fields.email);
    expect(fieldError(fields.email)).toBe(EMAIL_TAKEN_MESSAGE);
    fireEvent.change(fields.email, { target: { value: 'ada2@example.com' } });
    expect(fieldError(fields.email)).toBeNull();
  });

  it('puts BAD_USER_INPUT on the field the server names, with its message', async () => {
    const fields = renderSignUp([
      signUpMock(input, { errors: [graphQLError('BAD_USER_INPUT', 'Password is too common.', 'password')] }),
    ]);
    fillAndSubmit(fields);
    await waitFor(() => expect(fieldError(fields.password)).toBe('Password is too common.'));
  });

  it('shows BAD_USER_INPUT without a field above the form', async () => {
    const fields = renderSignUp([signUpMock(input, { errors: [graphQLError('BAD_USER_INPUT', 'Sign-ups are closed.')] })]);
    fillAndSubmit(fields);
    expect((await screen.findByRole('alert')).textContent).toContain('Sign-ups are closed.');
  });

  it('shows RATE_LIMITED as a form alert with its own copy', async () => {
    const fields = renderSignUp([signUpMock(input, { errors: [graphQLError('RATE_LIMITED', 'Slow down')] })]);
    fillAndSubmit(fields);
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Too many attempts. Please wait a minute and try again.',
    );
    expect(fields.submit.hasAttribute('disabled')).toBe(false);
  });

  it('on success sends the trimmed email and goes to /integrations', async () => {
    const fields = renderSignUp([signUpMock(input, { user })]);
    fillAndSubmit(fields);
    await waitFor(() => expect(window.location.pathname).toBe('/integrations'));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
