import { useQuery } from '@apollo/client/react';
import { Button, Card, EmptyState, PageHeader, Spinner } from '../components';
import { paths } from '../config/paths';
import { meQuery } from '../features/auth';
import { genericErrorMessage, readError } from '../lib/graphql-errors';
import { Link, Redirect, resolveRoute, usePathname } from '../lib/router';
import { AppShell } from './AppShell';
import { accessRedirect, privateRoutes, publicRoutes } from './routes';

/**
 * The root: `me` decides which side of the gate the person is on, the pathname decides the
 * page. Auth mutations reset the Apollo store, which re-reads `me` and re-renders this.
 */
export function App() {
  const pathname = usePathname();
  const { data, error, loading, refetch } = useQuery(meQuery);

  if (loading && !data) {
    return (
      <div className="splash">
        <Spinner label="Loading your session…" />
      </div>
    );
  }

  let me = data?.me ?? null;
  if (error && !data) {
    const read = readError(error);
    // A server that answers `me` with UNAUTHENTICATED instead of null means "signed out".
    if (read.code !== 'UNAUTHENTICATED') {
      return (
        <main className="splash">
          <Card className="splash-card">
            <EmptyState
              title="Can’t load the dashboard"
              action={
                <Button variant="secondary" onClick={() => void refetch().catch(() => undefined)}>
                  Try again
                </Button>
              }
            >
              <p role="alert">{genericErrorMessage(read)}</p>
            </EmptyState>
          </Card>
        </main>
      );
    }
    me = null;
  }

  const redirect = accessRedirect(pathname, me !== null);
  if (redirect) return <Redirect to={redirect} />;

  if (!me) {
    const Page = resolveRoute(publicRoutes, pathname)?.route.value;
    // accessRedirect guarantees a public route matched; the fallback keeps types honest.
    return Page ? <Page /> : <Redirect to={paths.signIn} />;
  }

  const Page = resolveRoute(privateRoutes, pathname)?.route.value ?? NotFoundPage;
  return (
    <AppShell email={me.email}>
      <Page />
    </AppShell>
  );
}

function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <Card>
        <EmptyState title="There is nothing at this address">
          <p>
            Check the URL, or go to <Link to={paths.home}>Integrations</Link>.
          </p>
        </EmptyState>
      </Card>
    </>
  );
}
