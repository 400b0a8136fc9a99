// @vitest-environment jsdom
import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEventsQuery } from './api';
import { auditEvent, auditPageMock } from './activity.mocks';
import { ActivityPage, appendPage, PAGE_SIZE } from './ActivityPage';

function renderPage(mocks: MockLink.MockedResponse[]) {
  render(
    <MockedProvider mocks={mocks}>
      <ActivityPage />
    </MockedProvider>,
  );
}

const bodyRows = () => within(screen.getByRole('table')).getAllByRole('row').slice(1);
const rowOf = (action: string) => document.querySelector<HTMLElement>(`tr[data-action="${action}"]`)!;

afterEach(cleanup);

describe('ActivityPage', () => {
  it('lists events newest first with labels, outcome badges, reasons, providers and both times', async () => {
    renderPage([
      auditPageMock(
        null,
        [
          auditEvent({ id: 'e_5', action: 'oauth.callback', outcome: 'FAILURE', reason: 'access_denied', provider: 'google', providerName: 'Google Drive', createdAt: '2026-11-24T10:05:00.000Z' }),
          auditEvent({ id: 'e_4', action: 'api_key.rotate', provider: 'openai', providerName: 'openai', targetType: 'api_key', createdAt: '2026-11-24T10:04:00.000Z' }),
          auditEvent({ id: 'e_3', action: 'api_key.read', actorType: 'SERVICE', provider: 'openai', providerName: 'openai', ip: null, createdAt: '2026-11-24T10:03:00.000Z' }),
          auditEvent({ id: 'e_2', action: 'auth.sign_in_failed', outcome: 'FAILURE', reason: 'invalid_credentials', createdAt: '2026-11-24T10:02:00.000Z' }),
          auditEvent({ id: 'e_1', action: 'custom.thing', reason: 'mystery_code', createdAt: '2026-11-24T10:01:00.000Z' }),
        ],
        null,
      ),
    ]);
    await screen.findByRole('table');
    expect(bodyRows().map((row) => within(row).getByRole('rowheader').querySelector('.event-label')?.firstChild?.textContent)).toEqual([
      'Connect failed',
      'API key replaced',
      'API key read by a service',
      'Sign-in failed',
      'custom.thing',
    ]);

    const callback = rowOf('oauth.callback');
    expect(callback.className).toContain('row-attention');
    expect(within(callback).getByText('Failed')).toBeTruthy();
    expect(within(callback).getByText('Access was declined at the provider')).toBeTruthy();
    expect(within(callback).getByText('Google Drive')).toBeTruthy();
    const time = callback.querySelector('time')!;
    expect(time.getAttribute('datetime')).toBe('2026-11-24T10:05:00.000Z');
    expect(time.querySelector('.time-relative')?.textContent).toBeTruthy();
    expect(time.querySelector('.time-absolute')?.textContent).toBe(time.getAttribute('title'));

    const rotate = rowOf('api_key.rotate');
    expect(rotate.className).not.toContain('row-attention');
    expect(within(rotate).getByText('Succeeded')).toBeTruthy();
    expect(within(rotate).getByText('openai')).toBeTruthy();
    expect(within(rotate).getByText('127.0.0.1')).toBeTruthy();

    expect(within(rowOf('api_key.read')).getByText('Service')).toBeTruthy();
    expect(within(rowOf('auth.sign_in_failed')).getByText('Wrong email or password')).toBeTruthy();
    expect(within(rowOf('custom.thing')).getByText('mystery_code')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('loads the next page with the end cursor and appends it', async () => {
    const first = Array.from({ length: 3 }, (_, i) => auditEvent({ id: `p1_${i}`, action: 'auth.sign_in' }));
    const second = [auditEvent({ id: 'p2_0', action: 'auth.sign_up' })];
    renderPage([auditPageMock(null, first, 'cursor-1'), auditPageMock('cursor-1', second, null)]);
    fireEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(bodyRows()).toHaveLength(4));
    expect(within(bodyRows()[3]!).getByText('Account created')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('keeps the list and offers Load more again when the next page fails', async () => {
    renderPage([
      auditPageMock(null, [auditEvent()], 'cursor-1'),
      { request: { query: auditEventsQuery, variables: { first: PAGE_SIZE, after: 'cursor-1' } }, error: new TypeError('Failed to fetch') },
    ]);
    fireEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Could not load more events: Could not reach the server.');
    expect(bodyRows()).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Load more' })).toBeTruthy();
  });

  it('shows the empty state', async () => {
    renderPage([auditPageMock(null, [], null)]);
    expect(await screen.findByRole('heading', { name: 'No activity yet' })).toBeTruthy();
  });

  it('explains a load failure and retries', async () => {
    renderPage([
      { request: { query: auditEventsQuery, variables: { first: PAGE_SIZE } }, error: new TypeError('Failed to fetch') },
      auditPageMock(null, [auditEvent()], null),
    ]);
    expect((await screen.findByRole('alert')).textContent).toBe('Could not reach the server. Check your connection and try again.');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Signed in')).toBeTruthy();
  });
});

describe('appendPage', () => {
  it('appends new edges, drops duplicates, and takes the new pageInfo', () => {
    const page = (ids: string[], endCursor: string | null) => ({
      auditEvents: {
        __typename: 'AuditEventConnection' as const,
        edges: ids.map((id) => ({ __typename: 'AuditEventEdge' as const, cursor: id, node: auditEvent({ id }) })),
        pageInfo: { __typename: 'PageInfo' as const, hasNextPage: endCursor !== null, endCursor },
      },
    });
    const merged = appendPage(page(['a', 'b'], 'b'), page(['b', 'c'], null));
    expect(merged.auditEvents.edges.map((e) => e.node.id)).toEqual(['a', 'b', 'c']);
    expect(merged.auditEvents.pageInfo).toEqual({ __typename: 'PageInfo', hasNextPage: false, endCursor: null });
  });
});
