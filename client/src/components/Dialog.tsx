import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export interface DialogProps {
  title: string;
  /** One line under the title, read out with it (aria-describedby). */
  description?: ReactNode;
  /** Escape, the backdrop and the close button call this; ignored while `busy`. */
  onClose(): void;
  /** A request is in flight: the dialog cannot be dismissed until it settles. */
  busy?: boolean;
  /** 'alertdialog' for confirmations of destructive actions. */
  role?: 'dialog' | 'alertdialog';
  children: ReactNode;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog: rendered while mounted (the caller decides when), in a portal over the page.
 * Focus moves in on open (to an `autoFocus` element, else the first control), Tab cycles
 * inside, Escape closes, and focus returns to whatever opened it. Not the native <dialog>:
 * jsdom does not implement showModal(), and the unit tests run there.
 */
export function Dialog({ title, description, onClose, busy = false, role = 'dialog', children }: DialogProps) {
  const id = useId();
  const panelRef = useRef<HTMLDivElement>(null);
  // Captured during the first render: by the time effects run, an autoFocus input has the focus.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  // Latest values for the listeners registered once below.
  const latest = useRef({ onClose, busy });
  latest.current = { onClose, busy };

  useEffect(() => {
    const panel = panelRef.current;
    if (panel && !panel.contains(document.activeElement)) {
      const first = panel.querySelector<HTMLElement>('[autofocus], [data-autofocus]') ?? panel.querySelector<HTMLElement>(FOCUSABLE);
      (first ?? panel).focus();
    }
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        if (!latest.current.busy) latest.current.onClose();
        return;
      }
      if (event.key !== 'Tab' || !panelRef.current) return;
      const focusable = [...panelRef.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (!first || !last) return;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      if (opener?.isConnected) opener.focus();
    };
  }, [opener]);

  return createPortal(
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget && !busy) onClose();
      }}
    >
      <div
        ref={panelRef}
        className="dialog"
        role={role}
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={description ? `${id}-description` : undefined}
        aria-busy={busy || undefined}
        tabIndex={-1}
      >
        <header className="dialog-header">
          <h2 className="dialog-title" id={`${id}-title`}>
            {title}
          </h2>
          <button type="button" className="dialog-close" aria-label="Close" disabled={busy} onClick={onClose}>
            ×
          </button>
        </header>
        {description ? (
          <div className="dialog-description" id={`${id}-description`}>
            {description}
          </div>
        ) : null}
        <div className="dialog-body">{children}</div>
      </div>
    </div>,
    document.body,
  );
}

/** The row of buttons at the bottom of a dialog (cancel first, the action last). */
export function DialogActions({ children }: { children: ReactNode }) {
  return <div className="dialog-actions">{children}</div>;
}
