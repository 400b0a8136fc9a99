import type { ComponentType } from 'react';
import { paths } from '../config/paths';
import { ActivityPage } from '../features/activity';
import { ApiKeysPage } from '../features/api-keys';
import { SignInPage, SignUpPage } from '../features/auth';
import { IntegrationsPage } from '../features/integrations';
import { matchPath, type Route } from '../lib/router';

/** The route table. Public routes are for signed-out people only; the rest need a session. */
export const publicRoutes: readonly Route<ComponentType>[] = [
  { path: paths.signIn, value: SignInPage },
  { path: paths.signUp, value: SignUpPage },
];

export const privateRoutes: readonly Route<ComponentType>[] = [
  { path: paths.integrations, value: IntegrationsPage },
  { path: paths.apiKeys, value: ApiKeysPage },
  { path: paths.activity, value: ActivityPage },
];

export const navigation = [
  { to: paths.integrations, label: 'Integrations', icon: 'plug' },
  { to: paths.apiKeys, label: 'API keys', icon: 'key' },
  { to: paths.activity, label: 'Activity', icon: 'activity' },
] as const;

/**
 * The auth gate as a pure function: where `pathname` must redirect to, or null to render it.
 * Signed out: only public pages (anything else → sign-in). Signed in: never the public pages
 * or the bare root (→ home). Unknown paths of a signed-in person render "not found".
 */
export function accessRedirect(pathname: string, signedIn: boolean): string | null {
  const isPublic = publicRoutes.some((route) => matchPath(route.path, pathname));
  if (!signedIn) return isPublic ? null : paths.signIn;
  if (isPublic || pathname === '/') return paths.home;
  return null;
}
