import { useRef, useState, type FormEvent } from 'react';
import { Alert, Button, TextField } from '../../components';
import { genericErrorMessage, readError, type ReadError } from '../../lib/graphql-errors';
import {
  PASSWORD_MIN_LENGTH,
  validateCredentials,
  type CredentialErrors,
  type Credentials,
} from './validation';

/** Where a server error is shown: next to one field, or above the form. */
export interface ErrorPlacement {
  field?: keyof Credentials;
  message: string;
}

export interface CredentialsFormProps {
  /** 'new' = sign-up rules (password length, new-password autofill); 'existing' = sign-in. */
  mode: 'new' | 'existing';
  submitLabel: string;
  /** Sends the credentials; rejects with whatever Apollo rejected with. */
  onSubmit(values: Credentials): Promise<void>;
  /** Maps a server error to the copy and place the person should see. */
  placeError(error: ReadError): ErrorPlacement;
}

const FIELDS = ['email', 'password'] as const;

export function CredentialsForm({ mode, submitLabel, onSubmit, placeError }: CredentialsFormProps) {
  const [values, setValues] = useState<Credentials>({ email: '', password: '' });
  const [errors, setErrors] = useState<CredentialErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [attempted, setAttempted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [showPassword, setShowPassword] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const refs = { email: emailRef, password: passwordRef };

  function validateField(name: keyof Credentials, next: Credentials) {
    const message = validateCredentials(next, mode)[name];
    setErrors((current) => {
      const { [name]: _dropped, ...rest } = current;
      return message ? { ...rest, [name]: message } : rest;
    });
  }

  function change(name: keyof Credentials, value: string) {
    const next = { ...values, [name]: value };
    setValues(next);
    // Before the first submit, only clear errors as they get fixed; after it, re-check live.
    if (attempted || errors[name]) validateField(name, next);
  }

  // Leaving a filled field flags it if invalid, but never clears an error: a server error
  // (say, "email taken") stays until the value is edited.
  function blur(name: keyof Credentials) {
    if (values[name] === '') return;
    const message = validateCredentials(values, mode)[name];
    if (message) setErrors((current) => ({ ...current, [name]: message }));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    setAttempted(true);
    setFormError(null);
    const credentials = { email: values.email.trim(), password: values.password };
    const found = validateCredentials(credentials, mode);
    setErrors(found);
    const firstInvalid = FIELDS.find((name) => found[name]);
    if (firstInvalid) {
      refs[firstInvalid].current?.focus();
      return;
    }
    setSubmitting(true);
    try {
      await onSubmit(credentials);
    } catch (error) {
      const placed = placeError(readError(error));
      if (placed.field) {
        setErrors({ [placed.field]: placed.message });
        refs[placed.field].current?.focus();
      } else {
        setFormError(placed.message);
      }
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <form className="form" noValidate onSubmit={submit} aria-busy={submitting || undefined}>
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      <TextField
        ref={emailRef}
        label="Email"
        name="email"
        type="email"
        inputMode="email"
        autoComplete={mode === 'new' ? 'email' : 'username'}
        autoCapitalize="none"
        spellCheck={false}
        autoFocus
        required
        value={values.email}
        error={errors.email}
        onChange={(event) => change('email', event.target.value)}
        onBlur={() => blur('email')}
      />
      <TextField
        ref={passwordRef}
        label="Password"
        name="password"
        type={showPassword ? 'text' : 'password'}
        autoComplete={mode === 'new' ? 'new-password' : 'current-password'}
        required
        hint={mode === 'new' ? `At least ${PASSWORD_MIN_LENGTH} characters.` : undefined}
        value={values.password}
        error={errors.password}
        onChange={(event) => change('password', event.target.value)}
        onBlur={() => blur('password')}
      />
      <label className="checkbox">
        <input type="checkbox" checked={showPassword} onChange={(event) => setShowPassword(event.target.checked)} />
        <span>Show password</span>
      </label>
      <Button type="submit" block loading={submitting}>
        {submitLabel}
      </Button>
    </form>
  );
}

/** Placement shared by both forms: field errors under their field, anything else above the form. */
export function placeCommonError(error: ReadError): ErrorPlacement {
  if (error.code === 'BAD_USER_INPUT') {
    return error.field === 'email' || error.field === 'password' ? { field: error.field, message: error.message } : { message: error.message };
  }
  return { message: genericErrorMessage(error) };
}
