// @vitest-environment jsdom
import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { auditPageMock } from '../features/activity/activity.mocks';
import { apiKeysMock } from '../features/api-keys/api-keys.mocks';
import { meQuery } from '../features/auth/api';
import { integration, integrationsMock } from '../features/integrations/integrations.mocks';
import { graphQLError, meMock, signInMock, signOutMock, user } from '../test/apollo-mocks';
import { App } from './App';
import { accessRedirect } from './routes';

function renderApp(path: string, mocks: MockLink.MockedResponse[]) {
  window.history.replaceState(null, '', path);
  return render(
    <MockedProvider mocks={mocks}>
      <App />
    </MockedProvider>,
  );
}

beforeEach(() => {
  vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('accessRedirect (the auth gate)', () => {
  it.each([
    ['/integrations', false, '/signin'],
    ['/api-keys', false, '/signin'],
    ['/', false, '/signin'],
    ['/no-such-page', false, '/signin'],
    ['/signin', false, null],
    ['/signup', false, null],
    ['/signin', true, '/integrations'],
    ['/signup', true, '/integrations'],
    ['/', true, '/integrations'],
    ['/integrations', true, null],
    ['/api-keys', true, null],
    ['/activity', true, null],
    ['/no-such-page', true, null],
  ] as const)('%s, signed in: %s → %s', (path, signedIn, expected) => {
    expect(accessRedirect(path, signedIn)).toBe(expected);
  });
});

describe('App routing', () => {
  it('sends a signed-out visitor of a private page to /signin', async () => {
    renderApp('/api-keys', [meMock(null)]);
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
    expect(window.location.pathname).toBe('/signin');
  });

  it('lets a signed-out visitor open /signup', async () => {
    renderApp('/signup', [meMock(null)]);
    expect(await screen.findByRole('heading', { level: 1, name: 'Create your account' })).toBeTruthy();
    expect(window.location.pathname).toBe('/signup');
  });

  it('sends a signed-in visitor of /signin to /integrations inside the shell', async () => {
    renderApp('/signin', [meMock(user), integrationsMock([integration()])]);
    expect(await screen.findByRole('heading', { level: 1, name: 'Integrations' })).toBeTruthy();
    expect(window.location.pathname).toBe('/integrations');
    expect(screen.getByText(/^Nothing connected yet/)).toBeTruthy();
    expect(screen.getByText(user.email)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeTruthy();
    expect(document.title).toBe('Integrations · Integration Hub');
  });

  it('navigates between pages with the main navigation and marks the current one', async () => {
    renderApp('/', [meMock(user), integrationsMock([integration()]), apiKeysMock({ data: [] }), auditPageMock(null, [], null)]);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(window.location.pathname).toBe('/integrations');
    expect(within(nav).getByRole('link', { name: 'Integrations' }).getAttribute('aria-current')).toBe('page');

    fireEvent.click(within(nav).getByRole('link', { name: 'API keys' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'API keys' })).toBeTruthy();
    expect(await screen.findByText('No API keys yet')).toBeTruthy();
    expect(window.location.pathname).toBe('/api-keys');
    expect(within(nav).getByRole('link', { name: 'API keys' }).getAttribute('aria-current')).toBe('page');
    expect(within(nav).getByRole('link', { name: 'Integrations' }).getAttribute('aria-current')).toBeNull();

    fireEvent.click(within(nav).getByRole('link', { name: 'Activity' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Activity' })).toBeTruthy();
    expect(await screen.findByText('No activity yet')).toBeTruthy();
  });

  it('shows "Page not found" for an unknown path of a signed-in user', async () => {
    renderApp('/nowhere', [meMock(user)]);
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
    expect(window.location.pathname).toBe('/nowhere');
  });

  it('treats `me` failing with UNAUTHENTICATED as signed out', async () => {
    renderApp('/activity', [
      { request: { query: meQuery }, result: { errors: [graphQLError('UNAUTHENTICATED', 'Sign in first')] } },
    ]);
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
  });

  it('offers a retry when the session cannot be loaded', async () => {
    renderApp('/integrations', [{ request: { query: meQuery }, error: new TypeError('Failed to fetch') }, meMock(user)]);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not reach the server. Check your connection and try again.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Integrations' })).toBeTruthy();
  });
});

describe('App session flow', () => {
  it('signs in, lands on Integrations, signs out and is back at sign-in', async () => {
    const credentials = { email: user.email, password: 'correct horse battery' };
    renderApp('/integrations', [
      meMock(null), // first load: signed out
      signInMock(credentials, { user }),
      meMock(user), // store reset after sign-in
      integrationsMock([integration()]),
      signOutMock(),
      meMock(null), // store reset after sign-out
    ]);

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: credentials.email } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: credentials.password } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Integrations' })).toBeTruthy();
    expect(window.location.pathname).toBe('/integrations');
    expect(screen.getByText(user.email)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
    await waitFor(() => expect(window.location.pathname).toBe('/signin'));
    expect(screen.queryByText(user.email)).toBeNull();
  });
});
