import { Card, EmptyState, Icon, PageHeader } from '../../components';

/**
 * Connected accounts. Placeholder until the schema exposes connections: it says so plainly
 * rather than showing controls that do nothing.
 */
export function IntegrationsPage() {
  return (
    <>
      <PageHeader
        title="Integrations"
        description="Accounts your app has connected through the hub, with their status and scopes."
      />
      <Card>
        <EmptyState icon={<Icon name="plug" size={28} />} title="No integrations yet">
          <p>
            Connected Google Drive, Asana, Dropbox, Box, Trello, Shopify and Zoho accounts will be listed here, with
            their token status.
          </p>
        </EmptyState>
      </Card>
    </>
  );
}
