import { useId } from 'react';
import { Alert, Badge, Button } from '../../components';
import { ConnectionItem } from './ConnectionItem';
import { ProviderIcon } from './ProviderIcon';
import { credentialVariables, integrationBadges } from './status';
import type { ConnectionView, IntegrationView } from './types';

export interface IntegrationCardProps {
  integration: IntegrationView;
  /** Connect a (new or the given) account. */
  onConnect(connection?: ConnectionView): void;
  /** Ask to disconnect one of its accounts. */
  onDisconnect(connection: ConnectionView): void;
  /** A connect for this provider is starting. */
  connecting: boolean;
  /** Why the last connect did not start. */
  error: string | null;
}

/** One provider: what it is, whether it can be connected, and the accounts connected to it. */
export function IntegrationCard({ integration, onConnect, onDisconnect, connecting, error }: IntegrationCardProps) {
  const headingId = useId();
  const { displayName, configured, connections } = integration;
  const attention = connections.some((c) => c.status === 'NEEDS_REAUTH');
  const classes = ['card', 'integration-card', attention ? 'integration-card-attention' : '', configured ? '' : 'integration-card-disabled'];
  return (
    <section className={classes.filter(Boolean).join(' ')} aria-labelledby={headingId} data-provider={integration.provider}>
      <header className="integration-header">
        <ProviderIcon provider={integration.provider} iconKey={integration.iconKey} name={displayName} />
        <div className="integration-title-block">
          <h2 className="integration-title" id={headingId}>
            {displayName}
          </h2>
          <div className="integration-badges">
            {integrationBadges(integration).map((badge) => (
              <Badge key={badge.label} tone={badge.tone}>
                {badge.label}
              </Badge>
            ))}
          </div>
        </div>
      </header>
      <p className="integration-description">{integration.description}</p>
      {!configured ? <NotConfigured integration={integration} /> : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      {connections.length > 0 ? (
        <ul className="connection-list" aria-label={`${displayName} accounts`}>
          {connections.map((connection) => (
            <ConnectionItem
              key={connection.id}
              integration={integration}
              connection={connection}
              busy={connecting}
              onReconnect={() => onConnect(connection)}
              onDisconnect={() => onDisconnect(connection)}
            />
          ))}
        </ul>
      ) : null}
      <footer className="integration-footer">
        <Button
          variant={connections.length > 0 ? 'secondary' : 'primary'}
          loading={connecting}
          disabled={!configured}
          onClick={() => onConnect()}
        >
          {connections.length > 0 ? 'Connect another account' : 'Connect'}{' '}
          <span className="visually-hidden">{displayName}</span>
        </Button>
      </footer>
    </section>
  );
}

function NotConfigured({ integration }: { integration: IntegrationView }) {
  const [id, secret] = credentialVariables(integration.provider);
  return (
    <div className="integration-note integration-note-setup">
      <p>
        <strong>Not configured.</strong> To connect {integration.displayName}, register an app with it, set{' '}
        <code>{id}</code> and <code>{secret}</code> in the hub’s environment (or the provider’s entry in{' '}
        <code>OAUTH_PROVIDERS_FILE</code>), and restart the hub.
      </p>
    </div>
  );
}
