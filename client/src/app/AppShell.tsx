import type { ReactNode } from 'react';
import { Alert, APP_NAME, Button, Icon } from '../components';
import { paths } from '../config/paths';
import { useSignOut } from '../features/auth';
import { Link } from '../lib/router';
import { navigation } from './routes';

export interface AppShellProps {
  email: string;
  children: ReactNode;
}

/** The signed-in frame: brand, primary navigation, the account, and the page. */
export function AppShell({ email, children }: AppShellProps) {
  const { signOut, signingOut, error } = useSignOut();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to={paths.home} className="brand">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="hub" size={20} />
          </span>
          <span className="brand-name">{APP_NAME}</span>
        </Link>
        <div className="account">
          <span className="account-email" title={email}>
            {email}
          </span>
          <Button variant="secondary" size="sm" loading={signingOut} onClick={() => void signOut()}>
            Sign out
          </Button>
        </div>
      </header>
      {/* The nav runs the page's full height (its background and border); its links stay in view in the sticky inner block. */}
      <nav className="sidebar" aria-label="Main">
        <div className="sidebar-inner">
          <ul className="nav-list">
            {navigation.map((item) => (
              <li key={item.to}>
                <Link to={item.to} activeMatch="prefix" className="nav-link">
                  <Icon name={item.icon} />
                  <span>{item.label}</span>
                </Link>
              </li>
            ))}
          </ul>
          <a className="nav-link nav-link-secondary" href={paths.graphiql}>
            <Icon name="code" />
            <span>GraphQL playground</span>
          </a>
        </div>
      </nav>
      <main className="content" id="main" tabIndex={-1}>
        {error ? <Alert tone="error">Could not sign out: {error}</Alert> : null}
        {children}
      </main>
    </div>
  );
}
