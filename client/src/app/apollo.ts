import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { ErrorLink } from '@apollo/client/link/error';
import { meQuery } from '../features/auth';

/**
 * The dashboard's Apollo Client. Same-origin `/graphql` with the session cookie.
 *
 * CSRF: the server runs Apollo's CSRF prevention, which rejects "simple" requests. HttpLink
 * POSTs with `content-type: application/json`, which already passes; the explicit
 * `apollo-require-preflight` header keeps that true if someone later switches queries to GET.
 */
export function createApolloClient(): ApolloClient {
  const http = new HttpLink({
    uri: '/graphql',
    credentials: 'same-origin',
    headers: { 'apollo-require-preflight': 'true' },
  });

  // A session that ends mid-use (expired, signed out in another tab) surfaces as
  // UNAUTHENTICATED on whatever query ran next: re-read `me`, and the gate sends the
  // person to /signin instead of leaving a page stuck on an error.
  const sessionExpiry = new ErrorLink(({ error, operation }) => {
    if (operation.operationName === 'Me' || !CombinedGraphQLErrors.is(error)) return;
    if (error.errors.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED')) {
      void operation.client.refetchQueries({ include: [meQuery] }).catch(() => undefined);
    }
  });

  return new ApolloClient({
    link: ApolloLink.from([sessionExpiry, http]),
    cache: new InMemoryCache(),
    // Devtools keep every operation's variables in memory — an API key among them. Off everywhere.
    devtools: { enabled: false },
  });
}
