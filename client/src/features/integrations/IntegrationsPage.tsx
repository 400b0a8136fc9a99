import { useQuery } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, EmptyState, PageHeader, Spinner, useDocumentTitle } from '../../components';
import { genericErrorMessage, readError } from '../../lib/graphql-errors';
import { integrationsQuery } from './api';
import { callbackMessage, useCallbackResult } from './callback-result';
import type { ConnectFailure } from './connect';
import type { Notice } from './connection-messages';
import { DisconnectDialog } from './DisconnectDialog';
import { IntegrationCard } from './IntegrationCard';
import { normalizeShopDomain } from './shop';
import { ShopDialog } from './ShopDialog';
import type { ConnectionView, IntegrationView } from './types';
import { useConnect } from './useConnect';

/** Every provider the hub can connect, with the accounts connected to each. */
export function IntegrationsPage() {
  const { data, error, loading, refetch } = useQuery(integrationsQuery, { fetchPolicy: 'cache-and-network' });
  const [callbackResult, dismissCallback] = useCallbackResult();
  const { connect, pending } = useConnect();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [shopPrompt, setShopPrompt] = useState<IntegrationView | null>(null);
  const [disconnecting, setDisconnecting] = useState<{ integration: IntegrationView; connection: ConnectionView } | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const integrations: readonly IntegrationView[] | undefined = data?.integrations;
  useDocumentTitle('Integrations');

  // The server names every provider it runs; an id it no longer knows is shown as is.
  const nameOf = (provider: string) => integrations?.find((i) => i.provider === provider)?.displayName ?? provider;

  async function start(integration: IntegrationView, shop?: string): Promise<ConnectFailure | null> {
    setErrors(({ [integration.provider]: _dropped, ...rest }) => rest);
    const failure = await connect(integration, shop);
    if (failure?.refetch) void refetch().catch(() => undefined);
    return failure;
  }

  function onConnect(integration: IntegrationView, connection?: ConnectionView) {
    if (integration.requiresShop) {
      // A reconnect already knows the shop (Shopify labels the account with its domain).
      const known = connection ? normalizeShopDomain(connection.accountLabel) : null;
      if (known?.ok) {
        void start(integration, known.shop).then((failure) => failure && showError(integration, failure));
      } else {
        setShopPrompt(integration);
      }
      return;
    }
    void start(integration).then((failure) => failure && showError(integration, failure));
  }

  function showError(integration: IntegrationView, failure: ConnectFailure) {
    setErrors((current) => ({ ...current, [integration.provider]: failure.message }));
  }

  // The disconnected account's row (and the button that opened the dialog) is gone: the outcome
  // takes the focus, so keyboard users are not dropped at the top of the document.
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const banner = callbackResult ? callbackMessage(callbackResult, nameOf(callbackResult.provider)) : null;
  const nothingConnected = integrations !== undefined && integrations.every((i) => i.connections.length === 0);
  const sandboxed = integrations?.filter((i) => i.sandbox).map((i) => i.displayName) ?? [];

  // The page appears whole, header and cards together, once the list has loaded: no layout jump
  // on arrival (this is the landing page), and nothing on it can be acted on before then anyway.
  if (!integrations && loading) {
    return (
      <div className="page-loading">
        <Spinner label="Loading integrations…" />
      </div>
    );
  }

  return (
    <>
      <PageHeader
        title="Integrations"
        description="Connect accounts once; the hub keeps their tokens encrypted and fresh, and hands them to your services."
      />
      {banner ? (
        <Alert tone={banner.tone} title={banner.title}>
          <span className="alert-with-action">
            {banner.text}
            <Button variant="ghost" size="sm" onClick={dismissCallback}>
              Dismiss
            </Button>
          </span>
        </Alert>
      ) : null}
      {notice ? (
        <div ref={noticeRef} tabIndex={-1} className="page-notice">
          <Alert tone={notice.tone}>
            <span className="alert-with-action">
              {notice.text}
              <Button variant="ghost" size="sm" onClick={() => setNotice(null)}>
                Dismiss
              </Button>
            </span>
          </Alert>
        </div>
      ) : null}
      {!integrations ? (
        <Card>
          <EmptyState
            title="Can’t load your integrations"
            action={
              <Button variant="secondary" onClick={() => void refetch().catch(() => undefined)}>
                Try again
              </Button>
            }
          >
            <p role="alert">{genericErrorMessage(readError(error))}</p>
          </EmptyState>
        </Card>
      ) : (
        <>
          {sandboxed.length > 0 ? (
            <Alert tone="info" title="Sandbox mode">
              {sandboxed.length === integrations.length ? 'Every provider' : sandboxed.join(', ')} connects to the hub’s
              built-in simulator, not the real service: no real account is needed, and nothing leaves this hub. Set a
              provider’s client credentials to use the real one.
            </Alert>
          ) : null}
          {/* One line, not a card: the grid right below already lists every provider. */}
          {nothingConnected ? (
            <p className="page-hint">
              {integrations.some((i) => i.configured)
                ? 'Nothing connected yet: connect an account below, and your services get its tokens from the hub.'
                : 'No provider is configured on this hub yet: each card below says which settings it needs.'}
            </p>
          ) : null}
          <div className="integration-grid">
            {integrations.map((integration) => (
              <IntegrationCard
                key={integration.provider}
                integration={integration}
                connecting={pending === integration.provider}
                error={errors[integration.provider] ?? null}
                onConnect={(connection) => onConnect(integration, connection)}
                onDisconnect={(connection) => {
                  setNotice(null);
                  setDisconnecting({ integration, connection });
                }}
              />
            ))}
          </div>
        </>
      )}
      {shopPrompt ? (
        <ShopDialog
          displayName={shopPrompt.displayName}
          onClose={() => setShopPrompt(null)}
          onSubmit={(shop) => start(shopPrompt, shop)}
        />
      ) : null}
      {disconnecting ? (
        <DisconnectDialog
          integration={disconnecting.integration}
          connection={disconnecting.connection}
          onClose={() => setDisconnecting(null)}
          onDone={(result) => {
            setDisconnecting(null);
            // A connect's outcome above it would be old news now (and contradict it for this provider).
            dismissCallback();
            setNotice(result);
          }}
        />
      ) : null}
    </>
  );
}
