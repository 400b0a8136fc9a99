import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Alert, Badge, Button, Card, EmptyState, Icon, PageHeader, Spinner, Time } from '../../components';
import type { ApiKeyFieldsFragment } from '../../gql/graphql';
import { genericErrorMessage, readError } from '../../lib/graphql-errors';
import { AddApiKeyForm } from './AddApiKeyForm';
import { apiKeysQuery } from './api';
import { DeleteApiKeyDialog, RenameApiKeyDialog, ReplaceApiKeyDialog } from './ApiKeyDialogs';
import { KeyHint } from './KeyHint';

type OpenDialog = { kind: 'rename' | 'replace' | 'delete'; key: ApiKeyFieldsFragment } | null;

export const UNREADABLE_LABEL = 'Unreadable — save it again';

/** Same order as the server (service, then name), kept when a new key is appended to the cache. */
export function sortApiKeys(keys: readonly ApiKeyFieldsFragment[]): ApiKeyFieldsFragment[] {
  return [...keys].sort(
    (a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name) || a.createdAt.localeCompare(b.createdAt),
  );
}

/** Stored API keys: add, rename, replace (rotate) and delete. Only hints are ever shown (S27). */
export function ApiKeysPage() {
  const { data, error, loading, refetch } = useQuery(apiKeysQuery);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const keys = data ? sortApiKeys(data.apiKeys) : [];
  const close = () => setDialog(null);
  const open = (next: NonNullable<OpenDialog>) => {
    setNotice(null);
    setDialog(next);
  };

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys for services that use API keys instead of OAuth. Stored encrypted; your services read them through the hub."
      />
      {notice ? (
        <Alert tone="success">
          <span className="alert-with-action">
            {notice}
            <Button variant="ghost" size="sm" onClick={() => setNotice(null)}>
              Dismiss
            </Button>
          </span>
        </Alert>
      ) : null}
      <Card title="Add an API key">
        <AddApiKeyForm
          onSubmitting={() => setNotice(null)}
          onSaved={(key) =>
            setNotice(`Saved the ${key.service} key “${key.name}”. Only its last characters (••••${key.hint}) are shown from now on.`)
          }
        />
      </Card>
      <Card title="Stored keys" aria-busy={loading || undefined}>
        {loading && !data ? (
          <div className="card-loading">
            <Spinner label="Loading API keys…" />
          </div>
        ) : error && !data ? (
          <EmptyState
            title="Can’t load your API keys"
            action={
              <Button variant="secondary" onClick={() => void refetch().catch(() => undefined)}>
                Try again
              </Button>
            }
          >
            <p role="alert">{genericErrorMessage(readError(error))}</p>
          </EmptyState>
        ) : keys.length === 0 ? (
          <EmptyState icon={<Icon name="key" size={28} />} title="No API keys yet">
            <p>Add one above. The hub stores it encrypted and shows only its last characters.</p>
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Created</th>
                  <th scope="col">Updated</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.map((key) => (
                  <tr key={key.id} className={key.status === 'UNREADABLE' ? 'row-attention' : undefined}>
                    <td className="mono">{key.service}</td>
                    <th scope="row" className="cell-name">
                      {key.name}
                    </th>
                    <td>
                      <div className="cell-stack">
                        <KeyHint hint={key.hint} />
                        {key.status === 'UNREADABLE' ? <Badge tone="danger">{UNREADABLE_LABEL}</Badge> : null}
                      </div>
                    </td>
                    <td>
                      <Time value={key.createdAt} />
                    </td>
                    <td>
                      <Time value={key.updatedAt} />
                    </td>
                    <td>{key.lastUsedAt ? <Time value={key.lastUsedAt} /> : <span className="muted">Never</span>}</td>
                    <td>
                      <div className="row-actions" role="group" aria-label={`Actions for ${key.service} · ${key.name}`}>
                        <Button variant="ghost" size="sm" onClick={() => open({ kind: 'rename', key })}>
                          Rename
                        </Button>
                        <Button
                          variant={key.status === 'UNREADABLE' ? 'primary' : 'ghost'}
                          size="sm"
                          onClick={() => open({ kind: 'replace', key })}
                        >
                          Replace key
                        </Button>
                        <Button variant="ghost" size="sm" className="btn-ghost-danger" onClick={() => open({ kind: 'delete', key })}>
                          Delete
                        </Button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {dialog?.kind === 'rename' ? (
        <RenameApiKeyDialog
          apiKey={dialog.key}
          onClose={close}
          onDone={(key) => {
            close();
            setNotice(`Renamed the ${key.service} key to “${key.name}”.`);
          }}
        />
      ) : null}
      {dialog?.kind === 'replace' ? (
        <ReplaceApiKeyDialog
          apiKey={dialog.key}
          onClose={close}
          onDone={(key) => {
            close();
            setNotice(`Replaced the ${key.service} key “${key.name}”. It now ends in ••••${key.hint}.`);
          }}
        />
      ) : null}
      {dialog?.kind === 'delete' ? (
        <DeleteApiKeyDialog
          apiKey={dialog.key}
          onClose={close}
          onDone={(key) => {
            close();
            setNotice(`Deleted the ${key.service} key “${key.name}”.`);
          }}
        />
      ) : null}
    </>
  );
}
