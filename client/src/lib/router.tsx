import {
  useEffect,
  useSyncExternalStore,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
} from 'react';

/**
 * A deliberately tiny History-API router (react-router would cost ~20 KB gzip of the
 * dashboard's first-load budget). It offers exactly what the dashboard needs: the current
 * pathname as React state, `navigate()`, `<Link>`, `<Redirect>`, and pattern matching with
 * `:params`. Known limits: no nested routes, no loaders, no scroll restoration beyond
 * "scroll to top on push", no basename (the SPA is always served at the origin's root).
 *
 * It lives in lib/ rather than app/ so that features can render links without importing
 * from the app layer above them; the route table itself is in app/routes.tsx.
 */

/** Fired on `window` after every navigate(): pushState/replaceState emit no event. */
const NAVIGATE_EVENT = 'hub:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

const getPathname = () => normalizePathname(window.location.pathname);

/** The current pathname, normalised (no trailing slash except for "/"), as React state. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, getPathname, getPathname);
}

export interface NavigateOptions {
  /** Replace the current history entry instead of pushing a new one (redirects). */
  replace?: boolean;
}

export function navigate(to: string, options: NavigateOptions = {}): void {
  const url = new URL(to, window.location.href);
  if (url.origin !== window.location.origin) {
    // Not ours to route: let the browser do a full navigation.
    window.location.assign(url.href);
    return;
  }
  const target = url.pathname + url.search + url.hash;
  const current = window.location.pathname + window.location.search + window.location.hash;
  if (target === current) return;
  if (options.replace) {
    window.history.replaceState(null, '', target);
  } else {
    window.history.pushState(null, '', target);
    window.scrollTo?.(0, 0);
  }
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export function normalizePathname(pathname: string): string {
  const collapsed = pathname.replace(/\/{2,}/g, '/');
  if (collapsed.length > 1 && collapsed.endsWith('/')) return collapsed.slice(0, -1);
  return collapsed === '' ? '/' : collapsed;
}

export type RouteParams = Record<string, string>;

/**
 * Matches `pathname` against `pattern` ("/integrations/:id"). Returns the decoded params,
 * or null when it does not match. Segments are compared case-sensitively, as URLs are.
 */
export function matchPath(pattern: string, pathname: string): RouteParams | null {
  const patternParts = normalizePathname(pattern).split('/');
  const pathParts = normalizePathname(pathname).split('/');
  if (patternParts.length !== pathParts.length) return null;
  const params: RouteParams = {};
  for (let i = 0; i < patternParts.length; i++) {
    const expected = patternParts[i] ?? '';
    const actual = pathParts[i] ?? '';
    if (expected.startsWith(':')) {
      if (actual === '') return null;
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null; // malformed %-escape: treat as "no such page", never crash
      }
    } else if (expected !== actual) {
      return null;
    }
  }
  return params;
}

export interface Route<T> {
  path: string;
  value: T;
}

/** The first route whose pattern matches, with its params (route order is priority). */
export function resolveRoute<T>(
  routes: readonly Route<T>[],
  pathname: string,
): { route: Route<T>; params: RouteParams } | null {
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params) return { route, params };
  }
  return null;
}

/** True for clicks the browser should handle itself (new tab, download, other button…). */
function isModifiedClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  return event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey;
}

export interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string;
  replace?: boolean;
  /** Sets aria-current="page" when the current path is `to` or below it. */
  activeMatch?: 'exact' | 'prefix';
  children: ReactNode;
}

export function Link({ to, replace, activeMatch, onClick, target, children, ...rest }: LinkProps) {
  const pathname = usePathname();
  const toPath = normalizePathname(to.split(/[?#]/)[0] ?? to);
  const active =
    activeMatch === 'exact'
      ? pathname === toPath
      : activeMatch === 'prefix'
        ? pathname === toPath || pathname.startsWith(`${toPath}/`)
        : false;
  return (
    <a
      {...rest}
      href={to}
      target={target}
      aria-current={active ? 'page' : undefined}
      onClick={(event) => {
        onClick?.(event);
        if (event.defaultPrevented || isModifiedClick(event) || (target && target !== '_self')) return;
        event.preventDefault();
        navigate(to, replace ? { replace } : {});
      }}
    >
      {children}
    </a>
  );
}

/** Replaces the current history entry with `to` once rendered (guards, defaults). */
export function Redirect({ to }: { to: string }) {
  useEffect(() => {
    navigate(to, { replace: true });
  }, [to]);
  return null;
}
