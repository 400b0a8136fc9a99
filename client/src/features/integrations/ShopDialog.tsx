import { useRef, useState, type FormEvent } from 'react';
import { Alert, Button, Dialog, DialogActions, TextField } from '../../components';
import type { ConnectFailure } from './connect';
import { normalizeShopDomain } from './shop';

export interface ShopDialogProps {
  displayName: string;
  /** Starts the connect; resolves with a failure to show, or null when the browser is leaving. */
  onSubmit(shop: string): Promise<ConnectFailure | null>;
  onClose(): void;
}

/** Shopify has one authorization server per shop: ask which, check it, then connect. */
export function ShopDialog({ displayName, onSubmit, onClose }: ShopDialogProps) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setFormError(null);
    const check = normalizeShopDomain(value);
    if (!check.ok) {
      setError(check.message);
      inputRef.current?.focus();
      return;
    }
    setError(undefined);
    setValue(check.shop);
    setBusy(true);
    const failure = await onSubmit(check.shop);
    if (!failure) return; // leaving for the provider: stay busy until the page unloads
    setBusy(false);
    if (failure.field === 'shop') {
      setError(failure.message);
      inputRef.current?.focus();
    } else {
      setFormError(failure.message);
    }
  }

  return (
    <Dialog
      title={`Connect ${displayName}`}
      description={`Which store? You will be sent to ${displayName} to approve access, then brought back here.`}
      onClose={onClose}
      busy={busy}
    >
      <form className="form" noValidate onSubmit={submit}>
        {formError ? <Alert tone="error">{formError}</Alert> : null}
        <TextField
          ref={inputRef}
          label="Shop domain"
          name="shop"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          required
          placeholder="my-store.myshopify.com"
          hint="Your store’s name (my-store) or its myshopify.com domain."
          value={value}
          error={error}
          onChange={(event) => {
            setValue(event.target.value);
            if (error) {
              const check = normalizeShopDomain(event.target.value);
              setError(check.ok ? undefined : check.message);
            }
          }}
        />
        <DialogActions>
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Continue to {displayName}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
