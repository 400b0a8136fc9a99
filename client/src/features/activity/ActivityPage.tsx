import { NetworkStatus } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Alert, Badge, Button, Card, EmptyState, Icon, PageHeader, Spinner, Time } from '../../components';
import type { AuditEventFieldsFragment, AuditEventsQuery } from '../../gql/graphql';
import { genericErrorMessage, readError } from '../../lib/graphql-errors';
import { auditEventsQuery } from './api';
import { actionLabel, actorLabel, reasonText } from './labels';

export const PAGE_SIZE = 20;

/** Appends a fetched page to the pages already shown, skipping any event seen twice. */
export function appendPage(previous: AuditEventsQuery, next: AuditEventsQuery): AuditEventsQuery {
  const seen = new Set(previous.auditEvents.edges.map((edge) => edge.node.id));
  return {
    auditEvents: {
      ...next.auditEvents,
      edges: [...previous.auditEvents.edges, ...next.auditEvents.edges.filter((edge) => !seen.has(edge.node.id))],
    },
  };
}

/** The audit log: who did what, when, and whether it worked, newest first. */
export function ActivityPage() {
  const { data, error, loading, networkStatus, refetch, fetchMore } = useQuery(auditEventsQuery, {
    variables: { first: PAGE_SIZE },
    // Events are written by every other page and by services: show the cached list at once
    // on a re-visit, and bring it up to date.
    fetchPolicy: 'cache-and-network',
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const connection = data?.auditEvents;

  async function loadMore() {
    const after = connection?.pageInfo.endCursor;
    if (!after || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      await fetchMore({
        variables: { first: PAGE_SIZE, after },
        updateQuery: (previous, { fetchMoreResult }) => appendPage(previous, fetchMoreResult),
      });
    } catch (caught) {
      setMoreError(genericErrorMessage(readError(caught)));
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <>
      <PageHeader
        title="Activity"
        description="Sign-ins, connections, token refreshes, revocations and key changes, newest first."
        actions={
          connection ? (
            <Button
              variant="secondary"
              size="sm"
              loading={networkStatus === NetworkStatus.refetch}
              onClick={() => void refetch().catch(() => undefined)}>
              Refresh
            </Button>
          ) : null
        }
      />
      <Card>
        {!connection && loading ? (
          <div className="card-loading">
            <Spinner label="Loading activity…" />
          </div>
        ) : !connection ? (
          <EmptyState
            title="Can’t load the activity"
            action={
              <Button variant="secondary" onClick={() => void refetch().catch(() => undefined)}>
                Try again
              </Button>
            }
          >
            <p role="alert">{genericErrorMessage(readError(error))}</p>
          </EmptyState>
        ) : connection.edges.length === 0 ? (
          <EmptyState icon={<Icon name="activity" size={28} />} title="No activity yet">
            <p>Events appear here as you sign in, store API keys and connect, refresh or disconnect integrations.</p>
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table activity-table">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Provider or service</th>
                  <th scope="col">By</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {connection.edges.map(({ node }) => (
                  <EventRow key={node.id} event={node} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {moreError ? <Alert tone="error">Could not load more events: {moreError}</Alert> : null}
      {connection?.pageInfo.hasNextPage ? (
        <div className="load-more">
          <Button variant="secondary" loading={loadingMore} onClick={() => void loadMore()}>
            Load more
          </Button>
        </div>
      ) : null}
    </>
  );
}

function EventRow({ event }: { event: AuditEventFieldsFragment }) {
  const failed = event.outcome === 'FAILURE';
  return (
    <tr className={failed ? 'row-attention' : undefined} data-action={event.action}>
      <th scope="row">
        <div className="cell-stack">
          <span className="event-label">
            {actionLabel(event.action, event.outcome)}{' '}
            {/* Successes stay quiet so failures stand out. */}
            {failed ? <Badge tone="danger">Failed</Badge> : <Badge tone="neutral">Succeeded</Badge>}
          </span>
          {event.reason ? (
            <span className={failed ? 'event-reason event-reason-failure' : 'event-reason'} title={event.reason}>
              {reasonText(event.reason, event.action)}
            </span>
          ) : null}
        </div>
      </th>
      <td>{event.provider ? (event.providerName ?? event.provider) : <span className="muted">—</span>}</td>
      <td>
        <div className="cell-stack">
          <span>{actorLabel(event.actorType)}</span>
          {event.ip ? <span className="muted mono">{event.ip}</span> : null}
        </div>
      </td>
      <td>
        <Time value={event.createdAt} display="both" />
      </td>
    </tr>
  );
}
