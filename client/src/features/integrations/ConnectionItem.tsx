import { Badge, Button, formatAbsolute, formatRelative, Time } from '../../components';
import { lastErrorText } from './connection-messages';
import type { ConnectionView, IntegrationView } from './types';
import { useTestConnection, type TestState } from './useTestConnection';

export interface ConnectionItemProps {
  integration: IntegrationView;
  connection: ConnectionView;
  onReconnect(): void;
  /** Asks to disconnect (the page confirms first). */
  onDisconnect(): void;
  /** A connect for this provider is starting: the actions wait. */
  busy: boolean;
}

/** The name people recognise an account by: its email, else the provider's label for it. */
export const accountName = (connection: ConnectionView) => connection.accountEmail ?? connection.accountLabel;

/** One connected account: who, since when, token state, and its actions. */
export function ConnectionItem({ integration, connection, onReconnect, onDisconnect, busy }: ConnectionItemProps) {
  const needsReauth = connection.status === 'NEEDS_REAUTH';
  const name = accountName(connection);
  const [test, runTest] = useTestConnection(connection.id, integration.displayName);
  return (
    <li className={needsReauth ? 'connection connection-attention' : 'connection'} data-connection-id={connection.id}>
      <div className="connection-main">
        <div className="connection-heading">
          <span className="connection-account">{name}</span>
          {needsReauth ? <Badge tone="warning">Needs reconnect</Badge> : <Badge tone="success">Active</Badge>}
          <TestOutcome state={test} />
        </div>
        {connection.accountLabel !== name ? <p className="connection-label">{connection.accountLabel}</p> : null}
        {needsReauth ? (
          <p className="connection-problem">
            {connection.lastError ? (
              <span className="connection-problem-reason" title={`Error code: ${connection.lastError}`}>
                {lastErrorText(connection.lastError, integration.displayName)}{' '}
              </span>
            ) : (
              `${integration.displayName} no longer accepts this connection. `
            )}
            Your services cannot use this connection until you reconnect it.
          </p>
        ) : connection.lastError ? (
          <p className="connection-retry-note" title={`Error code: ${connection.lastError}`}>
            The last token renewal failed: {lastErrorText(connection.lastError, integration.displayName)} The hub retries
            automatically.
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
      <ConnectionActions
        integration={integration}
        connection={connection}
        onReconnect={onReconnect}
        onDisconnect={onDisconnect}
        onTest={runTest}
        testing={test.status === 'pending'}
        busy={busy}
      />
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
    <time dateTime={expiresAt} title={formatAbsolute(expiresAt)}>
      {expired ? `Expired ${formatRelative(expiresAt)} (renewed on next use)` : `Expires ${formatRelative(expiresAt)}`}
    </time>
  );
}

/**
 * The outcome of the last "Test", next to the account. The live region is always there (empty
 * when idle) so the outcome is read out when it arrives.
 */
function TestOutcome({ state }: { state: TestState }) {
  const className =
    state.status === 'done' ? `connection-test ${state.ok ? 'connection-test-ok' : 'connection-test-failed'}` : 'connection-test';
  return (
    <span className={className} aria-live="polite">
      {state.status === 'pending' ? (
        <span className="connection-test-pending">Testing…</span>
      ) : state.status === 'done' ? (
        <>
          <span className="connection-test-mark" aria-hidden="true">
            {state.ok ? '✓' : '✗'}
          </span>{' '}
          <span className="connection-test-text">{state.text}</span>
        </>
      ) : null}
    </span>
  );
}

interface ConnectionActionsProps extends ConnectionItemProps {
  onTest(): void;
  testing: boolean;
}

/**
 * Per-connection actions: Reconnect (= connect again; the provider returns the same account and
 * its connection is updated — the primary action when the connection needs it), Test (calls the
 * provider with the stored token) and Disconnect (confirmed first; revokes, then deletes).
 * Test and Disconnect stay available when the provider is no longer configured: the server
 * answers with what it could do, and a connection must always be removable.
 */
function ConnectionActions({ integration, connection, onReconnect, onDisconnect, onTest, testing, busy }: ConnectionActionsProps) {
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
      <Button variant="secondary" size="sm" loading={testing} disabled={busy} onClick={onTest}>
        Test
      </Button>
      <Button variant="ghost" size="sm" className="btn-ghost-danger" disabled={busy} onClick={onDisconnect}>
        Disconnect
      </Button>
    </div>
  );
}
