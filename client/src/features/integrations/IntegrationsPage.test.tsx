// @vitest-environment jsdom
import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { graphQLError } from '../../test/apollo-mocks';
import { connection, connectMock, integration, integrationsMock, shopify } from './integrations.mocks';
import { IntegrationsPage } from './IntegrationsPage';
import { leaveForProvider } from './redirect';
import { SHOP_INVALID_MESSAGE } from './shop';

vi.mock('./redirect', () => ({ leaveForProvider: vi.fn(() => true) }));

function renderPage(mocks: MockLink.MockedResponse[], url = '/integrations') {
  window.history.replaceState(null, '', url);
  render(
    <MockedProvider mocks={mocks}>
      <IntegrationsPage />
    </MockedProvider>,
  );
}

const card = (name: string) => within(screen.getByRole('region', { name }));
const badges = (name: string) =>
  [...screen.getByRole('region', { name }).querySelectorAll('.integration-badges .badge')].map((b) => b.textContent);

/** The inline error read out with a field (aria-describedby), or null. */
function fieldError(input: HTMLElement): string | null {
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
  const error = ids.map((id) => document.getElementById(id)).find((el) => el?.classList.contains('field-error'));
  return error?.textContent ?? null;
}

beforeEach(() => vi.mocked(leaveForProvider).mockClear());
afterEach(cleanup);

describe('IntegrationsPage cards', () => {
  it('shows one card per provider with its icon and status badges', async () => {
    renderPage([
      integrationsMock([
        integration({ connected: true, connections: [connection()] }),
        integration({ provider: 'asana', displayName: 'Asana', iconKey: 'asana', connected: true, connections: [connection({ id: 'c_2', provider: 'asana', status: 'NEEDS_REAUTH' })] }),
        integration({ provider: 'dropbox', displayName: 'Dropbox', iconKey: 'dropbox', configured: false }),
        integration({ provider: 'box', displayName: 'Box', iconKey: 'box', sandbox: true }),
        integration({ provider: 'acme-crm', displayName: 'acme CRM', iconKey: 'generic' }),
      ]),
    ]);
    await screen.findByRole('region', { name: 'Google Drive' });
    expect(badges('Google Drive')).toEqual(['Connected']);
    expect(badges('Asana')).toEqual(['Needs reconnect']);
    expect(badges('Dropbox')).toEqual(['Not configured']);
    expect(badges('Box')).toEqual(['Not connected', 'Sandbox']);
    expect(badges('acme CRM')).toEqual(['Not connected']);

    const region = (name: string) => screen.getByRole('region', { name });
    expect(region('Google Drive').querySelector('.provider-icon svg path')?.getAttribute('d')).toMatch(/^M/);
    expect(region('Google Drive').querySelector('.provider-icon svg')?.getAttribute('fill')).toBe('#4285F4');
    expect(region('acme CRM').querySelector('.provider-icon-letter')?.textContent).toBe('A');
    expect(region('acme CRM').querySelector('svg')).toBeNull();
    // Sandbox mode is explained once, for the providers it applies to.
    expect(screen.getByRole('status').textContent).toContain('Sandbox mode');
    expect(screen.getByRole('status').textContent).toContain('Box connects to the hub’s built-in simulator');
    // Something is connected: no onboarding hint (and never the old "No integrations yet" card).
    expect(document.querySelector('.page-hint')).toBeNull();
    expect(screen.queryByText(/No integrations yet/)).toBeNull();
  });

  it('while nothing is connected, says so in one line above the grid, not in a card of its own', async () => {
    renderPage([integrationsMock([integration()])]);
    const hint = await screen.findByText('Nothing connected yet: connect an account below, and your services get its tokens from the hub.');
    expect(hint.tagName).toBe('P');
    expect(hint.closest('.card')).toBeNull();
    expect(hint.nextElementSibling?.className).toBe('integration-grid');
    expect(screen.queryByRole('heading', { name: 'No integrations yet' })).toBeNull();
    // The page's only cards are the providers'.
    expect(document.querySelectorAll('.card:not(.integration-card)')).toHaveLength(0);
    expect(card('Google Drive').getByRole('button', { name: 'Connect Google Drive' })).toBeTruthy();
  });

  it('explains a provider that is not configured and disables Connect', async () => {
    renderPage([integrationsMock([integration({ provider: 'dropbox', displayName: 'Dropbox', configured: false })])]);
    await screen.findByRole('region', { name: 'Dropbox' });
    const dropbox = card('Dropbox');
    expect((dropbox.getByRole('button', { name: 'Connect Dropbox' }) as HTMLButtonElement).disabled).toBe(true);
    expect(dropbox.getByText('DROPBOX_CLIENT_ID')).toBeTruthy();
    expect(dropbox.getByText('DROPBOX_CLIENT_SECRET')).toBeTruthy();
    expect(screen.getByText('No provider is configured on this hub yet: each card below says which settings it needs.')).toBeTruthy();
  });

  it('lists connected accounts with their times, and highlights one that needs reconnecting', async () => {
    const future = new Date(Date.now() + 2 * 3600_000).toISOString();
    renderPage([
      integrationsMock([
        integration({
          connected: true,
          connections: [
            connection({ lastRefreshedAt: '2026-11-23T10:00:00.000Z', expiresAt: future, scopes: ['openid', 'https://www.googleapis.com/auth/drive.file'] }),
            connection({ id: 'c_2', accountEmail: null, accountLabel: 'Team drive', status: 'NEEDS_REAUTH', lastError: 'invalid_grant' }),
          ],
        }),
      ]),
    ]);
    const list = within(await screen.findByRole('list', { name: 'Google Drive accounts' }));
    const [ok, broken] = list.getAllByRole('listitem').filter((li) => li.classList.contains('connection')) as [HTMLElement, HTMLElement];

    expect(within(ok).getByText('ada@example.com')).toBeTruthy();
    expect(within(ok).getByText('Ada Lovelace')).toBeTruthy();
    expect(within(ok).getByText('Active')).toBeTruthy();
    expect(ok.querySelector('time[datetime="2026-11-20T10:00:00.000Z"]')).toBeTruthy();
    expect(ok.querySelector('time[datetime="2026-11-23T10:00:00.000Z"]')).toBeTruthy();
    expect(within(ok).getByText('Expires in 2 hours')).toBeTruthy();
    expect(within(ok).getByText('openid')).toBeTruthy();
    expect(within(ok).getByText('drive.file').getAttribute('title')).toBe('https://www.googleapis.com/auth/drive.file');
    expect(within(ok).getByRole('button', { name: 'Reconnect' }).className).toContain('btn-secondary');

    expect(broken.className).toContain('connection-attention');
    expect(within(broken).getByText('Team drive')).toBeTruthy();
    expect(within(broken).getByText('Needs reconnect')).toBeTruthy();
    const problem = broken.querySelector('.connection-problem')!;
    expect(problem.textContent).toBe(
      'Google Drive says the access was revoked or has expired. Your services cannot use this connection until you reconnect it.',
    );
    expect(problem.querySelector('[title]')?.getAttribute('title')).toBe('Error code: invalid_grant');
    expect(within(broken).getByText('Not yet')).toBeTruthy();
    expect(within(broken).getByText('Does not expire')).toBeTruthy();
    expect(within(broken).getByRole('group', { name: 'Actions for Team drive' })).toBeTruthy();
    expect(within(broken).getByRole('button', { name: 'Reconnect' }).className).toContain('btn-primary');
    expect(screen.getByRole('region', { name: 'Google Drive' }).className).toContain('integration-card-attention');
    expect(card('Google Drive').getByRole('button', { name: 'Connect another account Google Drive' })).toBeTruthy();
  });
});

describe('IntegrationsPage connect', () => {
  it('starts the connect and sends the browser to the authorization URL', async () => {
    renderPage([
      integrationsMock([integration()]),
      connectMock('google', undefined, { authorizationUrl: 'http://127.0.0.1:9/sandbox/google/o/oauth2/v2/auth?state=abc' }),
    ]);
    fireEvent.click(await screen.findByRole('button', { name: 'Connect Google Drive' }));
    await waitFor(() => expect(leaveForProvider).toHaveBeenCalledWith('http://127.0.0.1:9/sandbox/google/o/oauth2/v2/auth?state=abc'));
    // Still busy: the page is about to unload.
    expect((screen.getByRole('button', { name: 'Connect Google Drive' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('reconnects an account (connect again)', async () => {
    renderPage([
      integrationsMock([integration({ connected: true, connections: [connection({ status: 'NEEDS_REAUTH' })] })]),
      connectMock('google', undefined, { authorizationUrl: 'https://accounts.example/auth' }),
    ]);
    fireEvent.click(await screen.findByRole('button', { name: 'Reconnect' }));
    await waitFor(() => expect(leaveForProvider).toHaveBeenCalledWith('https://accounts.example/auth'));
  });

  it('shows the server’s PROVIDER_NOT_CONFIGURED message on the card', async () => {
    renderPage([
      integrationsMock([integration()]),
      connectMock('google', undefined, {
        errors: [graphQLError('PROVIDER_NOT_CONFIGURED', 'Set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET to connect Google Drive')],
      }),
      integrationsMock([integration({ configured: false })]),
    ]);
    fireEvent.click(await screen.findByRole('button', { name: 'Connect Google Drive' }));
    expect((await card('Google Drive').findByRole('alert')).textContent).toContain(
      'Set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET to connect Google Drive',
    );
    // The list is read again: the card now says it is not configured.
    await waitFor(() => expect(badges('Google Drive')).toEqual(['Not configured']));
    expect(leaveForProvider).not.toHaveBeenCalled();
  });

  it('asks Shopify for the shop, checks it, appends .myshopify.com and connects', async () => {
    renderPage([
      integrationsMock([shopify()]),
      connectMock('shopify', 'my-store.myshopify.com', { authorizationUrl: 'https://my-store.myshopify.com/admin/oauth/authorize?x=1' }),
    ]);
    fireEvent.click(await screen.findByRole('button', { name: 'Connect Shopify' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Connect Shopify' }));
    const input = dialog.getByLabelText('Shop domain');
    expect(document.activeElement).toBe(input);

    fireEvent.change(input, { target: { value: 'evil.example/x.myshopify.com' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Continue to Shopify' }));
    expect(fieldError(input)).toBe(SHOP_INVALID_MESSAGE);
    expect(leaveForProvider).not.toHaveBeenCalled();

    fireEvent.change(input, { target: { value: ' My-Store ' } });
    expect(fieldError(input)).toBeNull();
    fireEvent.click(dialog.getByRole('button', { name: 'Continue to Shopify' }));
    await waitFor(() => expect(leaveForProvider).toHaveBeenCalledWith('https://my-store.myshopify.com/admin/oauth/authorize?x=1'));
    expect((input as HTMLInputElement).value).toBe('my-store.myshopify.com');
  });

  it('shows the server’s shop error under the field', async () => {
    renderPage([
      integrationsMock([shopify()]),
      connectMock('shopify', 'my-store.myshopify.com', {
        errors: [graphQLError('BAD_USER_INPUT', 'The shop domain must look like my-store.myshopify.com', 'shop')],
      }),
    ]);
    fireEvent.click(await screen.findByRole('button', { name: 'Connect Shopify' }));
    const dialog = within(screen.getByRole('dialog'));
    fireEvent.change(dialog.getByLabelText('Shop domain'), { target: { value: 'my-store.myshopify.com' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Continue to Shopify' }));
    await waitFor(() => expect(fieldError(dialog.getByLabelText('Shop domain'))).toBe('The shop domain must look like my-store.myshopify.com'));
    expect((dialog.getByRole('button', { name: 'Continue to Shopify' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('reconnects a Shopify account with its known shop, without asking', async () => {
    renderPage([
      integrationsMock([
        shopify({ connected: true, connections: [connection({ provider: 'shopify', accountEmail: 'owner@example.com', accountLabel: 'acme.myshopify.com' })] }),
      ]),
      connectMock('shopify', 'acme.myshopify.com', { authorizationUrl: 'https://acme.myshopify.com/admin/oauth/authorize' }),
    ]);
    fireEvent.click(await screen.findByRole('button', { name: 'Reconnect' }));
    await waitFor(() => expect(leaveForProvider).toHaveBeenCalledWith('https://acme.myshopify.com/admin/oauth/authorize'));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('IntegrationsPage callback banner', () => {
  it('announces a successful connect by provider name and cleans the URL', async () => {
    renderPage([integrationsMock([integration({ connected: true, connections: [connection()] })])], '/integrations?status=success&provider=google');
    const banner = (await screen.findByText('Connected Google Drive')).closest<HTMLElement>('[role="status"]')!;
    expect(banner.textContent).toContain('Your Google Drive account is connected and ready to use.');
    expect(window.location.search).toBe('');
    fireEvent.click(within(banner).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText('Connected Google Drive')).toBeNull();
  });

  it('explains a failure in plain words', async () => {
    renderPage(
      [integrationsMock([integration({ provider: 'asana', displayName: 'Asana' })])],
      '/integrations?status=failure&provider=asana&reason=access_denied',
    );
    const banner = await screen.findByRole('alert');
    expect(banner.textContent).toContain('Could not connect Asana');
    expect(banner.textContent).toContain('You declined access at Asana.');
    expect(window.location.search).toBe('');
  });
});
