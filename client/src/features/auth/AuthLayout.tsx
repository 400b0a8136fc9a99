import type { ReactNode } from 'react';
import { APP_NAME, Icon, useDocumentTitle } from '../../components';

export interface AuthLayoutProps {
  title: string;
  subtitle: string;
  footer: ReactNode;
  children: ReactNode;
}

export function AuthLayout({ title, subtitle, footer, children }: AuthLayoutProps) {
  useDocumentTitle(title);
  return (
    <main className="auth-page">
      <div className="auth-panel">
        <div className="auth-brand">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="hub" size={22} />
          </span>
          <span className="brand-name">{APP_NAME}</span>
        </div>
        <div className="card auth-card">
          <h1 className="auth-title">{title}</h1>
          <p className="auth-subtitle">{subtitle}</p>
          {children}
        </div>
        <p className="auth-footer">{footer}</p>
      </div>
    </main>
  );
}
