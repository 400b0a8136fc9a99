import type { ReactNode } from 'react';

export type AlertTone = 'error' | 'warning' | 'info' | 'success';

export interface AlertProps {
  tone?: AlertTone;
  title?: string;
  children: ReactNode;
}

/** Errors and warnings interrupt assistive technology (role="alert"); the rest are polite. */
export function Alert({ tone = 'info', title, children }: AlertProps) {
  const urgent = tone === 'error' || tone === 'warning';
  return (
    <div className={`alert alert-${tone}`} role={urgent ? 'alert' : 'status'}>
      <span className="alert-icon" aria-hidden="true">
        {tone === 'success' ? '✓' : tone === 'info' ? 'i' : '!'}
      </span>
      <div className="alert-body">
        {title ? <p className="alert-title">{title}</p> : null}
        <div>{children}</div>
      </div>
    </div>
  );
}
