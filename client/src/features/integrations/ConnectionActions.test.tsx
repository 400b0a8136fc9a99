// @vitest-environment jsdom
import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { graphQLError } from '../../test/apollo-mocks';
import { disconnectMutation } from './api';
import { connection, connectMock, disconnectMock, integration, integrationsMock, testConnectionMock } from './integrations.mocks';
import { IntegrationsPage } from './IntegrationsPage';
import { leaveForProvider } from './redirect';

vi.mock('./redirect', () => ({ leaveForProvider: vi.fn(() => true) }));

/** Per-connection actions on the Integrations page: Disconnect (S21), Test, and Reconnect for NEEDS_REAUTH. */

function renderPage(mocks: MockLink.MockedResponse[], url = '/integrations') {
  window.history.replaceState(null, '', url);
  render(
    <MockedProvider mocks={mocks}>
      <IntegrationsPage />
    </MockedProvider>,
  );
}

/** The list is read again after an action; a slow answer shows what the cache update alone did. */
const slowly = (mock: MockLink.MockedResponse): MockLink.MockedResponse => ({ ...mock, delay: 10_000 });

const google = (connections = [connection()]) => integration({ connected: connections.length > 0, connections });
const region = () => screen.getByRole('region', { name: 'Google Drive' });
const badges = () => [...region().querySelectorAll('.integration-badges .badge')].map((b) => b.textContent);
const actions = async (account: string) => within(await screen.findByRole('group', { name: `Actions for ${account}` }));
const row = (account: string) => screen.getByRole('group', { name: `Actions for ${account}` }).closest<HTMLElement>('li.connection')!;

afterEach(cleanup);

describe('Disconnect', () => {
  async function confirmDisconnect(account = 'ada@example.com') {
    fireEvent.click((await actions(account)).getByRole('button', { name: 'Disconnect' }));
    const dialog = screen.getByRole('alertdialog', { name: `Disconnect ${account} from Google Drive?` });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Disconnect' }));
    return dialog;
  }

  it('S21 asks first, then says the provider confirmed the revocation and drops the account at once', async () => {
    renderPage([integrationsMock([google()]), disconnectMock('c_1', { revoked: true, revocationError: null }), slowly(integrationsMock([google([])]))]);
    fireEvent.click((await actions('ada@example.com')).getByRole('button', { name: 'Disconnect' }));

    const dialog = screen.getByRole('alertdialog', { name: 'Disconnect ada@example.com from Google Drive?' });
    expect(dialog.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(dialog.getAttribute('aria-describedby')!)?.textContent).toContain(
      'The hub will revoke its access at Google Drive and delete the stored tokens.',
    );
    // The safe choice has the focus.
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Disconnect' }));

    const notice = await screen.findByText('Disconnected ada@example.com. Google Drive confirmed the access was revoked.');
    expect(notice.closest('[role="status"]')?.className).toContain('alert-success');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    // Gone from the card before the list is read again (the refetch is still in flight).
    expect(screen.queryByText('ada@example.com', { selector: '.connection-account' })).toBeNull();
    expect(within(region()).queryByRole('list', { name: 'Google Drive accounts' })).toBeNull();
    expect(badges()).toEqual(['Not connected']);
    expect(within(region()).getByRole('button', { name: 'Connect Google Drive' })).toBeTruthy();
    // The row (and the button that opened the dialog) is gone: the outcome has the focus.
    expect(document.activeElement?.contains(notice)).toBe(true);

    fireEvent.click(within(notice.closest<HTMLElement>('.alert')!).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(/Disconnected ada@example.com/)).toBeNull();
  });

  it('S21 says so when the provider did not confirm, in plain words, and still drops the account', async () => {
    renderPage([
      integrationsMock([google([connection(), connection({ id: 'c_2', accountEmail: 'bob@example.com', accountId: '42' })])]),
      disconnectMock('c_1', { revoked: false, revocationError: 'provider_unavailable' }),
      integrationsMock([google([connection({ id: 'c_2', accountEmail: 'bob@example.com', accountId: '42' })])]),
    ]);
    await confirmDisconnect();
    const alert = await screen.findByRole('alert');
    expect(alert.className).toContain('alert-warning');
    expect(alert.textContent).toContain(
      'Disconnected ada@example.com here, but Google Drive did not confirm the revocation (it was unavailable). ' +
        'You can also remove the app’s access in your Google Drive account settings.',
    );
    expect(screen.queryByText('ada@example.com', { selector: '.connection-account' })).toBeNull();
    // The other account stays.
    expect(screen.getByText('bob@example.com', { selector: '.connection-account' })).toBeTruthy();
    expect(badges()).toEqual(['Connected']);
  });

  it('replaces the connect banner: "Connected" above "Disconnected" would be old news', async () => {
    renderPage(
      [integrationsMock([google()]), disconnectMock('c_1', { revoked: true, revocationError: null }), integrationsMock([google([])])],
      '/integrations?status=success&provider=google',
    );
    expect(await screen.findByText('Connected Google Drive')).toBeTruthy();
    await confirmDisconnect();
    await screen.findByText('Disconnected ada@example.com. Google Drive confirmed the access was revoked.');
    expect(screen.queryByText('Connected Google Drive')).toBeNull();
  });

  it('does nothing on Cancel or Escape', async () => {
    const result = vi.fn(() => ({ data: { disconnect: { __typename: 'DisconnectResult', revoked: true, revocationError: null } } }));
    renderPage([integrationsMock([google()]), { request: { query: disconnectMutation, variables: { connectionId: 'c_1' } }, result }]);
    const group = await actions('ada@example.com');

    // (jsdom does not focus on click as browsers do.)
    group.getByRole('button', { name: 'Disconnect' }).focus();
    fireEvent.click(group.getByRole('button', { name: 'Disconnect' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    // Focus is back on the button that opened the dialog.
    expect(document.activeElement).toBe(group.getByRole('button', { name: 'Disconnect' }));

    fireEvent.click(group.getByRole('button', { name: 'Disconnect' }));
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();

    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(result).not.toHaveBeenCalled();
    expect(screen.getByText('ada@example.com', { selector: '.connection-account' })).toBeTruthy();
    expect(screen.queryByText(/Disconnected/)).toBeNull();
    expect(badges()).toEqual(['Connected']);
  });

  it('treats NOT_FOUND as already disconnected: closes, drops the account, reads the list again', async () => {
    renderPage([
      integrationsMock([google()]),
      disconnectMock('c_1', { errors: [graphQLError('NOT_FOUND', 'Connection not found')] }),
      integrationsMock([google([])]),
    ]);
    await confirmDisconnect();
    const notice = await screen.findByText('ada@example.com was already disconnected from Google Drive (perhaps in another tab).');
    expect(notice.closest('[role="status"]')?.className).toContain('alert-info');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.queryByText('ada@example.com', { selector: '.connection-account' })).toBeNull();
    await waitFor(() => expect(badges()).toEqual(['Not connected']));
  });

  it('keeps the dialog open with the error when the server could not be reached, and keeps the account', async () => {
    renderPage([integrationsMock([google()]), disconnectMock('c_1', { networkError: new Error('Failed to fetch') })]);
    const dialog = await confirmDisconnect();
    expect((await within(dialog).findByRole('alert')).textContent).toContain(
      'Could not reach the server. Check your connection and try again.',
    );
    expect(screen.getByRole('alertdialog')).toBe(dialog);
    expect((within(dialog).getByRole('button', { name: 'Disconnect' }) as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByText('ada@example.com', { selector: '.connection-account' })).toBeTruthy();
  });
});

describe('Test connection', () => {
  it('shows a pending state, then "Working" with the account the provider answered for, and reads the list again', async () => {
    renderPage([
      integrationsMock([google()]),
      testConnectionMock('c_1', { ok: true, accountId: '1234567890', message: 'Google Drive answered for Ada Lovelace.' }, 50),
      integrationsMock([google([connection({ lastRefreshedAt: '2026-11-24T10:00:00.000Z' })])]),
    ]);
    const group = await actions('ada@example.com');
    expect(within(row('ada@example.com')).getByText('Not yet')).toBeTruthy();
    fireEvent.click(group.getByRole('button', { name: 'Test' }));

    const button = group.getByRole('button', { name: 'Test' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.getAttribute('aria-busy')).toBe('true');
    const outcome = row('ada@example.com').querySelector<HTMLElement>('.connection-test')!;
    expect(outcome.getAttribute('aria-live')).toBe('polite');
    expect(outcome.textContent).toBe('Testing…');

    await waitFor(() => expect(outcome.textContent).toBe('✓ Working — Google Drive answered for 1234567890'));
    expect(outcome.className).toContain('connection-test-ok');
    expect(button.disabled).toBe(false);
    // The test refreshed the token: the list read afterwards says so.
    await waitFor(() => expect(within(row('ada@example.com')).queryByText('Not yet')).toBeNull());
    // Still shown after the refetch re-rendered the row.
    expect(row('ada@example.com').querySelector('.connection-test')?.textContent).toBe('✓ Working — Google Drive answered for 1234567890');
  });

  it('shows the server’s message when the test fails, and the reconnect state the list then reports', async () => {
    const message = 'Google Drive no longer accepts this connection’s tokens: connect the account again.';
    renderPage([
      integrationsMock([google()]),
      testConnectionMock('c_1', { ok: false, accountId: null, message }),
      integrationsMock([google([connection({ status: 'NEEDS_REAUTH', lastError: 'invalid_grant' })])]),
    ]);
    fireEvent.click((await actions('ada@example.com')).getByRole('button', { name: 'Test' }));
    await waitFor(() => expect(row('ada@example.com').querySelector('.connection-test')?.textContent).toBe(`✗ ${message}`));
    expect(row('ada@example.com').querySelector('.connection-test')?.className).toContain('connection-test-failed');

    await waitFor(() => expect(row('ada@example.com').className).toContain('connection-attention'));
    expect(badges()).toEqual(['Needs reconnect']);
    expect((await actions('ada@example.com')).getByRole('button', { name: 'Reconnect' }).className).toContain('btn-primary');
  });

  it('explains a connection that no longer exists', async () => {
    renderPage([
      integrationsMock([google()]),
      testConnectionMock('c_1', { errors: [graphQLError('NOT_FOUND', 'Connection not found')] }),
      slowly(integrationsMock([google([])])),
    ]);
    fireEvent.click((await actions('ada@example.com')).getByRole('button', { name: 'Test' }));
    await waitFor(() =>
      expect(row('ada@example.com').querySelector('.connection-test')?.textContent).toBe(
        '✗ This connection no longer exists; it may have been disconnected in another tab.',
      ),
    );
  });
});

describe('Needs reconnect', () => {
  it('highlights the account with the last error in plain words, badges the card, and reconnects', async () => {
    vi.mocked(leaveForProvider).mockClear();
    renderPage([
      integrationsMock([
        google([
          connection(),
          connection({ id: 'c_2', accountEmail: 'bob@example.com', status: 'NEEDS_REAUTH', lastError: 'unreadable' }),
        ]),
        integration({
          provider: 'box',
          displayName: 'Box',
          connected: true,
          connections: [connection({ id: 'c_3', provider: 'box', accountEmail: 'eve@example.com', lastError: 'timeout' })],
        }),
      ]),
      connectMock('google', undefined, { authorizationUrl: 'https://accounts.example/auth' }),
    ]);
    const broken = await actions('bob@example.com');
    const item = row('bob@example.com');
    expect(item.className).toContain('connection-attention');
    expect(within(item).getByText('Needs reconnect').className).toContain('badge-warning');
    expect(item.querySelector('.connection-problem')?.textContent).toBe(
      'The stored tokens can no longer be decrypted. Your services cannot use this connection until you reconnect it.',
    );
    expect(badges()).toEqual(['Needs reconnect']);
    expect(region().className).toContain('integration-card-attention');
    // The healthy account next to it is not highlighted, and its Reconnect is not the primary action.
    expect(row('ada@example.com').className).not.toContain('connection-attention');
    expect(within(row('ada@example.com')).getByRole('button', { name: 'Reconnect' }).className).toContain('btn-secondary');

    // A transient renewal failure on an active account is mentioned, without the alarm.
    const box = row('eve@example.com');
    expect(box.className).not.toContain('connection-attention');
    expect(box.querySelector('.connection-retry-note')?.textContent).toBe(
      'The last token renewal failed: Box did not answer in time. The hub retries automatically.',
    );
    expect([...screen.getByRole('region', { name: 'Box' }).querySelectorAll('.integration-badges .badge')].map((b) => b.textContent)).toEqual([
      'Connected',
    ]);

    const reconnect = broken.getByRole('button', { name: 'Reconnect' });
    expect(reconnect.className).toContain('btn-primary');
    fireEvent.click(reconnect);
    await waitFor(() => expect(leaveForProvider).toHaveBeenCalledWith('https://accounts.example/auth'));
  });

  it('still offers Test and Disconnect when the provider is no longer configured, but not Reconnect', async () => {
    renderPage([integrationsMock([integration({ configured: false, connected: true, connections: [connection({ status: 'NEEDS_REAUTH' })] })])]);
    const group = await actions('ada@example.com');
    expect((group.getByRole('button', { name: 'Reconnect' }) as HTMLButtonElement).disabled).toBe(true);
    expect((group.getByRole('button', { name: 'Test' }) as HTMLButtonElement).disabled).toBe(false);
    expect((group.getByRole('button', { name: 'Disconnect' }) as HTMLButtonElement).disabled).toBe(false);
    expect(row('ada@example.com').querySelector('.connection-problem')?.textContent).toBe(
      'Google Drive no longer accepts this connection. Your services cannot use this connection until you reconnect it.',
    );
  });
});
