import type { Reference } from '@apollo/client';
import { useMutation } from '@apollo/client/react';
import { useRef, useState, type FormEvent } from 'react';
import { Alert, Button, TextField } from '../../components';
import { genericErrorMessage, readError } from '../../lib/graphql-errors';
import { createApiKeyMutation } from './api';
import type { ApiKeyFieldsFragment } from '../../gql/graphql';
import { placeApiKeyError, SERVICE_HINT, validateApiKeyInput, type ApiKeyErrors, type ApiKeyField } from './validation';

const FIELDS = ['service', 'name', 'key'] as const satisfies readonly ApiKeyField[];

export interface AddApiKeyFormProps {
  /** A submit started: the page drops its previous notice. */
  onSubmitting?(): void;
  onSaved(key: ApiKeyFieldsFragment): void;
}

/**
 * Service, name and the key. The key input is uncontrolled on purpose: its value never
 * enters React state (nor, through React's attribute syncing, the `value` attribute in the
 * DOM), it is read once at submit, sent, and the input is emptied as soon as the server has
 * it (S27).
 */
export function AddApiKeyForm({ onSubmitting, onSaved }: AddApiKeyFormProps) {
  const [service, setService] = useState('');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<ApiKeyErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [attempted, setAttempted] = useState(false);
  const serviceRef = useRef<HTMLInputElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const keyRef = useRef<HTMLInputElement>(null);
  const refs = { service: serviceRef, name: nameRef, key: keyRef };

  const [createKey, { loading }] = useMutation(createApiKeyMutation, {
    update(cache, { data }) {
      const created = data?.createApiKey;
      if (!created) return;
      cache.modify<{ apiKeys: Reference[] }>({
        id: 'ROOT_QUERY',
        fields: {
          // The mutation result is already normalised as ApiKey:<id>; add it to the list.
          apiKeys(existing, { toReference }) {
            const ref = toReference(created);
            if (!ref || existing.some((item) => item.__ref === ref.__ref)) return existing;
            return [...existing, ref];
          },
        },
      });
    },
  });

  /** Re-checks one field as it is edited (after the first submit, or while it shows an error). */
  function recheck(field: ApiKeyField, value: string) {
    if (!attempted && !errors[field]) return;
    const message = validateApiKeyInput({ [field]: value })[field];
    setErrors(({ [field]: _dropped, ...rest }) => (message ? { ...rest, [field]: message } : rest));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (loading) return;
    setAttempted(true);
    setFormError(null);
    onSubmitting?.();
    const keyInput = keyRef.current;
    const found = validateApiKeyInput({ service, name, key: keyInput?.value ?? '' });
    setErrors(found);
    const firstInvalid = FIELDS.find((field) => found[field]);
    if (firstInvalid || !keyInput) {
      if (firstInvalid) refs[firstInvalid].current?.focus();
      return;
    }
    try {
      const result = await createKey({
        variables: { input: { service: service.trim(), name: name.trim(), key: keyInput.value.trim() } },
      });
      const saved = result.data?.createApiKey;
      if (!saved) throw new Error('createApiKey returned no data');
      keyInput.value = '';
      setService('');
      setName('');
      setErrors({});
      setAttempted(false);
      onSaved(saved);
    } catch (caught) {
      const placed = placeApiKeyError(readError(caught), FIELDS, genericErrorMessage);
      if (placed.field) {
        setErrors({ [placed.field]: placed.message });
        refs[placed.field].current?.focus();
      } else {
        setFormError(placed.message);
      }
    }
  }

  return (
    <form className="form api-key-form" noValidate onSubmit={submit} aria-busy={loading || undefined} aria-label="Add an API key">
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      <div className="form-row">
        <TextField
          ref={serviceRef}
          label="Service"
          name="service"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          placeholder="openai"
          required
          hint={SERVICE_HINT}
          value={service}
          error={errors.service}
          onChange={(event) => {
            setService(event.target.value);
            recheck('service', event.target.value);
          }}
        />
        <TextField
          ref={nameRef}
          label="Name"
          name="name"
          autoComplete="off"
          placeholder="Production"
          required
          hint="Tells keys of one service apart."
          value={name}
          error={errors.name}
          onChange={(event) => {
            setName(event.target.value);
            recheck('name', event.target.value);
          }}
        />
      </div>
      <TextField
        ref={keyRef}
        label="API key"
        name="key"
        type="password"
        // Not a login password: keep browsers from offering to save or fill it.
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        required
        hint="Stored encrypted. After saving, only its last characters are shown."
        error={errors.key}
        onChange={(event) => recheck('key', event.target.value)}
      />
      <div className="form-actions">
        <Button type="submit" loading={loading}>
          Save key
        </Button>
      </div>
    </form>
  );
}
