// @vitest-environment jsdom
import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphQLError, signInMock, user } from '../../test/apollo-mocks';
import { INVALID_CREDENTIALS_MESSAGE, SignInPage } from './SignInPage';

function renderSignIn(mocks: MockLink.MockedResponse[] = []) {
  render(
    <MockedProvider mocks={mocks}>
      <SignInPage />
    </MockedProvider>,
  );
  const email = screen.getByLabelText('Email') as HTMLInputElement;
  const password = screen.getByLabelText('Password') as HTMLInputElement;
  const submit = screen.getByRole('button', { name: 'Sign in' });
  return {
    email,
    password,
    submit,
    fill(emailValue: string, passwordValue: string) {
      fireEvent.change(email, { target: { value: emailValue } });
      fireEvent.change(password, { target: { value: passwordValue } });
    },
  };
}

beforeEach(() => window.history.replaceState(null, '', '/signin'));
afterEach(cleanup);

describe('SignInPage', () => {
  it('has a heading, a link to sign-up, and current-password autofill', () => {
    const { password } = renderSignIn();
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Create an account' }).getAttribute('href')).toBe('/signup');
    expect(password.getAttribute('autocomplete')).toBe('current-password');
    expect(password.getAttribute('type')).toBe('password');
  });

  it('requires both fields but applies no length rule to an existing password', async () => {
    const form = renderSignIn([
      signInMock({ email: 'ada@example.com', password: 'short' }, { errors: [graphQLError('INVALID_CREDENTIALS', 'x')] }),
    ]);
    fireEvent.click(form.submit);
    expect(screen.getByText('Enter your email address.')).toBeTruthy();
    expect(screen.getByText('Enter your password.')).toBeTruthy();

    form.fill('ada@example.com', 'short');
    fireEvent.click(form.submit);
    // The request was sent (the mock answered), so "short" passed client-side validation.
    expect((await screen.findByRole('alert')).textContent).toContain(INVALID_CREDENTIALS_MESSAGE);
  });

  it('shows the generic message for INVALID_CREDENTIALS, never the server text', async () => {
    const form = renderSignIn([
      signInMock(
        { email: 'ada@example.com', password: 'wrong password' },
        { errors: [graphQLError('INVALID_CREDENTIALS', 'no such user ada@example.com')] },
      ),
    ]);
    form.fill('ada@example.com', 'wrong password');
    fireEvent.click(form.submit);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Incorrect email or password.');
    expect(alert.textContent).not.toContain('no such user');
    expect(window.location.pathname).toBe('/signin');
  });

  it('explains a network failure', async () => {
    const form = renderSignIn([
      signInMock({ email: 'ada@example.com', password: 'whatever it is' }, { networkError: new TypeError('Failed to fetch') }),
    ]);
    form.fill('ada@example.com', 'whatever it is');
    fireEvent.click(form.submit);
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Could not reach the server. Check your connection and try again.',
    );
  });

  it('toggles password visibility', () => {
    const { password } = renderSignIn();
    fireEvent.click(screen.getByLabelText('Show password'));
    expect(password.getAttribute('type')).toBe('text');
  });

  it('clears the previous server error on a new attempt and then signs in', async () => {
    const form = renderSignIn([
      signInMock({ email: 'ada@example.com', password: 'first try!!' }, { errors: [graphQLError('INVALID_CREDENTIALS', 'x')] }),
      signInMock({ email: 'ada@example.com', password: 'second try!' }, { user }),
    ]);
    form.fill('ada@example.com', 'first try!!');
    fireEvent.click(form.submit);
    await screen.findByRole('alert');
    form.fill('ada@example.com', 'second try!');
    fireEvent.click(form.submit);
    await waitFor(() => expect(window.location.pathname).toBe('/integrations'));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
