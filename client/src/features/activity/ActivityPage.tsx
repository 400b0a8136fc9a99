import { Card, EmptyState, Icon, PageHeader } from '../../components';

/** The audit trail. Placeholder until the schema exposes events. */
export function ActivityPage() {
  return (
    <>
      <PageHeader title="Activity" description="Connections, token refreshes, revocations and key changes, newest first." />
      <Card>
        <EmptyState icon={<Icon name="activity" size={28} />} title="No activity yet">
          <p>Events appear here as integrations are connected, refreshed and revoked.</p>
        </EmptyState>
      </Card>
    </>
  );
}
