/**
 * Every route's URL in one place, so features can link to each other without importing the
 * app layer (imports flow app → features → components/lib/config, never back up).
 */
export const paths = {
  signIn: '/signin',
  signUp: '/signup',
  integrations: '/integrations',
  apiKeys: '/api-keys',
  activity: '/activity',
  /** Where a signed-in user lands (after sign-in, sign-up, or visiting a public page). */
  home: '/integrations',
  /** The self-hosted GraphiQL page: a separate HTML entry, reached by a full page load. */
  graphiql: '/graphiql',
} as const;
