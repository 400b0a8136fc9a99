import { Card, EmptyState, Icon, PageHeader } from '../../components';

/** Stored API keys. Placeholder until the schema exposes them. */
export function ApiKeysPage() {
  return (
    <>
      <PageHeader title="API keys" description="Keys for services that use API keys instead of OAuth, stored encrypted." />
      <Card>
        <EmptyState icon={<Icon name="key" size={28} />} title="No API keys yet">
          <p>API keys you store in the hub will be listed here.</p>
        </EmptyState>
      </Card>
    </>
  );
}
