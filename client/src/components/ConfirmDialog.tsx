import type { ReactNode } from 'react';
import { Alert } from './Alert';
import { Button } from './Button';
import { Dialog, DialogActions } from './Dialog';

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** 'danger' for destructive actions (delete, disconnect). */
  tone?: 'primary' | 'danger';
  busy?: boolean;
  /** Why the last attempt failed; the dialog stays open so it can be retried. */
  error?: string | null;
  onConfirm(): void;
  onCancel(): void;
}

/** "Are you sure?" with the consequence spelled out. Cancel has the initial focus. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  tone = 'primary',
  busy = false,
  error,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  return (
    <Dialog title={title} description={children} onClose={onCancel} busy={busy} role="alertdialog">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <DialogActions>
        <Button variant="secondary" onClick={onCancel} disabled={busy} data-autofocus>
          Cancel
        </Button>
        <Button variant={tone} loading={busy} onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
