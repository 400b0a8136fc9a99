import { Badge, Button, formatRelative, Time } from '../../components';
import type { ConnectionView, IntegrationView } from './types';

export interface ConnectionItemProps {
  integration: IntegrationView;
  connection: ConnectionView;
  onReconnect(): void;
  /** A connect for this provider is starting: the actions wait. */
  busy: boolean;
}

/** The name people recognise an account by: its email, else the provider's label for it. */
export const accountName = (connection: ConnectionView) => connection.accountEmail ?? connection.accountLabel;

/** One connected account: who, since when, token state, and its actions. */
export function ConnectionItem({ integration, connection, onReconnect, busy }: ConnectionItemProps) {
  const needsReauth = connection.status === 'NEEDS_REAUTH';
  const name = accountName(connection);
  return (
    <li className={needsReauth ? 'connection connection-attention' : 'connection'} data-connection-id={connection.id}>
      <div className="connection-main">
        <div className="connection-heading">
          <span className="connection-account">{name}</span>
          {needsReauth ? <Badge tone="warning">Needs reconnect</Badge> : <Badge tone="success">Active</Badge>}
        </div>
        {connection.accountLabel !== name ? <p className="connection-label">{connection.accountLabel}</p> : null}
        {needsReauth ? (
          <p className="connection-problem">
            {integration.displayName} no longer accepts this connection, so your services cannot use it. Reconnect to
            restore it.
            {connection.lastError ? <span className="connection-error"> Last error: {connection.lastError}</span> : null}
          </p>
        ) : null}
        <dl className="connection-meta">
          <div>
            <dt>Connected</dt>
            <dd>
              <Time value={connection.connectedAt} />
            </dd>
          </div>
          <div>
            <dt>Last refreshed</dt>
            <dd>{connection.lastRefreshedAt ? <Time value={connection.lastRefreshedAt} /> : 'Not yet'}</dd>
          </div>
          <div>
            <dt>Access token</dt>
            <dd>
              <TokenExpiry expiresAt={connection.expiresAt} />
            </dd>
          </div>
          {connection.scopes.length > 0 ? (
            <div className="connection-scopes">
              <dt>Scopes</dt>
              <dd>
                <ul className="scope-list">
                  {connection.scopes.map((scope) => (
                    <li key={scope} className="scope" title={scope}>
                      {shortScope(scope)}
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          ) : null}
        </dl>
      </div>
      <ConnectionActions integration={integration} connection={connection} onReconnect={onReconnect} busy={busy} />
    </li>
  );
}

/** URL-shaped scopes (Google's) by their last segment; the full scope is the tooltip. */
export function shortScope(scope: string): string {
  if (!/^https?:\/\//.test(scope)) return scope;
  const last = scope.replace(/\/+$/, '').split('/').pop();
  return last || scope;
}

function TokenExpiry({ expiresAt }: { expiresAt: string | null }) {
  if (!expiresAt) return <>Does not expire</>;
  const expired = Date.parse(expiresAt) <= Date.now();
  return (
    <time dateTime={expiresAt} title={new Date(expiresAt).toLocaleString()}>
      {expired ? `Expired ${formatRelative(expiresAt)} (renewed on next use)` : `Expires ${formatRelative(expiresAt)}`}
    </time>
  );
}

/**
 * Per-connection actions. Today: Reconnect (= connect again; the provider returns the same
 * account and its connection is updated). This group is where the connection-level actions of
 * the next server iteration belong — Disconnect (ConfirmDialog, then "revoked at provider:
 * yes/no" as a page notice) and Test connection — each a button here with its mutation in api.ts.
 */
function ConnectionActions({ integration, connection, onReconnect, busy }: ConnectionItemProps) {
  const needsReauth = connection.status === 'NEEDS_REAUTH';
  return (
    <div className="connection-actions" role="group" aria-label={`Actions for ${accountName(connection)}`}>
      <Button
        variant={needsReauth ? 'primary' : 'secondary'}
        size="sm"
        loading={busy}
        disabled={!integration.configured}
        onClick={onReconnect}
      >
        Reconnect
      </Button>
    </div>
  );
}
