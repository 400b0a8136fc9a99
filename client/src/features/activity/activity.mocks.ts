import type { MockLink } from '@apollo/client/testing';
import type { AuditEventFieldsFragment } from '../../gql/graphql';
import { auditEventsQuery } from './api';
import { PAGE_SIZE } from './ActivityPage';

/** Canned audit pages for the Activity page's tests (never imported by app code). */

export const auditEvent = (overrides: Partial<AuditEventFieldsFragment> = {}): AuditEventFieldsFragment => ({
  __typename: 'AuditEvent',
  id: 'e_1',
  action: 'auth.sign_in',
  actorType: 'USER',
  outcome: 'SUCCESS',
  reason: null,
  provider: null,
  providerName: null,
  targetType: 'user',
  targetId: 'u_1',
  ip: '127.0.0.1',
  createdAt: '2026-11-24T10:00:00.000Z',
  ...overrides,
});

export const auditPageMock = (
  after: string | null,
  events: AuditEventFieldsFragment[],
  next: string | null,
): MockLink.MockedResponse => ({
  request: { query: auditEventsQuery, variables: after ? { first: PAGE_SIZE, after } : { first: PAGE_SIZE } },
  result: {
    data: {
      auditEvents: {
        __typename: 'AuditEventConnection',
        edges: events.map((node) => ({ __typename: 'AuditEventEdge', cursor: `c_${node.id}`, node })),
        pageInfo: { __typename: 'PageInfo', hasNextPage: next !== null, endCursor: next ?? (events.length ? `c_${events.at(-1)!.id}` : null) },
      },
    },
  },
});
