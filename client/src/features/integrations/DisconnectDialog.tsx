import { useApolloClient, useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { ConfirmDialog } from '../../components';
import { genericErrorMessage, readError } from '../../lib/graphql-errors';
import { disconnectMutation } from './api';
import { forgetConnection, refetchIntegrations } from './connection-cache';
import { alreadyDisconnectedNotice, disconnectNotice, type Notice } from './connection-messages';
import { accountName } from './ConnectionItem';
import type { ConnectionView, IntegrationView } from './types';

export interface DisconnectDialogProps {
  integration: IntegrationView;
  connection: ConnectionView;
  onClose(): void;
  /** The connection is gone: what to tell the person. */
  onDone(notice: Notice): void;
}

/**
 * "Disconnect <account> from <Provider>?" → revoke at the provider, delete here (S21). The
 * connection leaves the cache at once and the list is read again. A connection that is already
 * gone (NOT_FOUND: disconnected in another tab) is what was asked for: it is dropped the same way.
 */
export function DisconnectDialog({ integration, connection, onClose, onDone }: DisconnectDialogProps) {
  const client = useApolloClient();
  const [error, setError] = useState<string | null>(null);
  const [disconnect, { loading }] = useMutation(disconnectMutation, {
    update(cache, { data }) {
      if (data) forgetConnection(cache, connection.id);
    },
  });
  const account = accountName(connection);
  const provider = integration.displayName;

  async function confirm() {
    if (loading) return;
    setError(null);
    try {
      const { data } = await disconnect({ variables: { connectionId: connection.id } });
      refetchIntegrations(client);
      if (data) onDone(disconnectNotice(data.disconnect, account, provider));
    } catch (caught) {
      const read = readError(caught);
      if (read.code !== 'NOT_FOUND') return setError(genericErrorMessage(read));
      forgetConnection(client.cache, connection.id);
      refetchIntegrations(client);
      onDone(alreadyDisconnectedNotice(account, provider));
    }
  }

  return (
    <ConfirmDialog
      title={`Disconnect ${account} from ${provider}?`}
      confirmLabel="Disconnect"
      tone="danger"
      busy={loading}
      error={error}
      onConfirm={() => void confirm()}
      onCancel={onClose}
    >
      <p>
        The hub will revoke its access at {provider} and delete the stored tokens. Services that use this connection
        will no longer get tokens for it.
      </p>
    </ConfirmDialog>
  );
}
