import type { ApolloCache, Reference } from '@apollo/client';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { useRef, useState, type FormEvent } from 'react';
import { Alert, Button, ConfirmDialog, Dialog, DialogActions, TextField } from '../../components';
import type { ApiKeyFieldsFragment } from '../../gql/graphql';
import { genericErrorMessage, readError } from '../../lib/graphql-errors';
import { deleteApiKeyMutation, updateApiKeyMutation } from './api';
import { KeyHint } from './KeyHint';
import { placeApiKeyError, validateApiKeyInput } from './validation';

interface DialogProps {
  apiKey: ApiKeyFieldsFragment;
  onClose(): void;
  /** Called with the server's copy after a successful change. */
  onDone(key: ApiKeyFieldsFragment): void;
}

const keyLabel = (key: ApiKeyFieldsFragment) => `${key.service} · ${key.name}`;

export function RenameApiKeyDialog({ apiKey, onClose, onDone }: DialogProps) {
  const [name, setName] = useState(apiKey.name);
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [updateKey, { loading }] = useMutation(updateApiKeyMutation);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (loading) return;
    setFormError(null);
    const invalid = validateApiKeyInput({ name }).name;
    setError(invalid);
    if (invalid) return inputRef.current?.focus();
    if (name.trim() === apiKey.name) return onClose();
    try {
      const result = await updateKey({ variables: { id: apiKey.id, input: { name: name.trim() } } });
      if (result.data) onDone(result.data.updateApiKey);
    } catch (caught) {
      const placed = placeApiKeyError(readError(caught), ['name'], genericErrorMessage);
      if (placed.field) {
        setError(placed.message);
        inputRef.current?.focus();
      } else {
        setFormError(placed.message);
      }
    }
  }

  return (
    <Dialog title="Rename API key" description={`The ${apiKey.service} key “${apiKey.name}”.`} onClose={onClose} busy={loading}>
      <form className="form" noValidate onSubmit={submit}>
        {formError ? <Alert tone="error">{formError}</Alert> : null}
        <TextField
          ref={inputRef}
          label="Name"
          name="name"
          autoComplete="off"
          autoFocus
          required
          value={name}
          error={error}
          onChange={(event) => {
            setName(event.target.value);
            if (error) setError(validateApiKeyInput({ name: event.target.value }).name);
          }}
        />
        <DialogActions>
          <Button variant="secondary" onClick={onClose} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            Save name
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/**
 * A new value for an existing key (a rotation: the server audits it as `api_key.rotate`).
 * Uncontrolled password input, like the add form: the value is read once and dropped (S27).
 */
export function ReplaceApiKeyDialog({ apiKey, onClose, onDone }: DialogProps) {
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [updateKey, { loading }] = useMutation(updateApiKeyMutation);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = inputRef.current;
    if (loading || !input) return;
    setFormError(null);
    const invalid = validateApiKeyInput({ key: input.value }).key;
    setError(invalid);
    if (invalid) return input.focus();
    try {
      const result = await updateKey({ variables: { id: apiKey.id, input: { key: input.value.trim() } } });
      input.value = '';
      if (result.data) onDone(result.data.updateApiKey);
    } catch (caught) {
      const placed = placeApiKeyError(readError(caught), ['key'], genericErrorMessage);
      if (placed.field) {
        setError(placed.message);
        input.focus();
      } else {
        setFormError(placed.message);
      }
    }
  }

  return (
    <Dialog
      title="Replace API key"
      description={
        <>
          A new value for the {apiKey.service} key “{apiKey.name}” (now <KeyHint hint={apiKey.hint} />). Services
          that read it get the new value from now on.
        </>
      }
      onClose={onClose}
      busy={loading}
    >
      <form className="form" noValidate onSubmit={submit}>
        {formError ? <Alert tone="error">{formError}</Alert> : null}
        <TextField
          ref={inputRef}
          label="New API key"
          name="key"
          type="password"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          required
          error={error}
          onChange={(event) => {
            if (error) setError(validateApiKeyInput({ key: event.target.value }).key);
          }}
        />
        <DialogActions>
          <Button variant="secondary" onClick={onClose} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            Replace key
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/** Drops a deleted key from the cached list and the cache itself. */
function forgetApiKey(cache: ApolloCache, keyId: string) {
  const id = cache.identify({ __typename: 'ApiKey', id: keyId });
  cache.modify<{ apiKeys: Reference[] }>({
    id: 'ROOT_QUERY',
    fields: { apiKeys: (existing) => existing.filter((item) => item.__ref !== id) },
  });
  if (id) cache.evict({ id });
  cache.gc();
}

export function DeleteApiKeyDialog({ apiKey, onClose, onDone }: DialogProps) {
  const [error, setError] = useState<string | null>(null);
  const client = useApolloClient();
  const [deleteKey, { loading }] = useMutation(deleteApiKeyMutation, {
    update(cache, { data }) {
      if (data?.deleteApiKey) forgetApiKey(cache, apiKey.id);
    },
  });

  async function confirm() {
    setError(null);
    try {
      await deleteKey({ variables: { id: apiKey.id } });
    } catch (caught) {
      const read = readError(caught);
      // Already gone (deleted in another tab): what the person wanted; just stop listing it.
      if (read.code !== 'NOT_FOUND') return setError(placeApiKeyError(read, [], genericErrorMessage).message);
      forgetApiKey(client.cache, apiKey.id);
    }
    onDone(apiKey);
  }

  return (
    <ConfirmDialog
      title="Delete API key?"
      confirmLabel="Delete key"
      tone="danger"
      busy={loading}
      error={error}
      onConfirm={() => void confirm()}
      onCancel={onClose}
    >
      <p>
        <strong>{keyLabel(apiKey)}</strong> (<KeyHint hint={apiKey.hint} />) will be deleted. Services that read it
        will no longer get a key. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
