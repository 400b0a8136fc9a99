// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Link, matchPath, navigate, normalizePathname, Redirect, resolveRoute, usePathname } from './router';

function ShowPath() {
  return <p data-testid="path">{usePathname()}</p>;
}

beforeEach(() => {
  window.history.replaceState(null, '', '/');
  // jsdom implements neither scrolling nor cross-document navigation; stub the first and
  // stop the second (after recording whether the router let the click through).
  vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** Whether a click on `link` was left to the browser (i.e. not intercepted by the router). */
function clickReachesBrowser(link: HTMLElement, init: MouseEventInit = {}): boolean {
  let reached = false;
  const observe = (event: Event) => {
    reached = !event.defaultPrevented;
    event.preventDefault();
  };
  document.addEventListener('click', observe);
  fireEvent.click(link, init);
  document.removeEventListener('click', observe);
  return reached;
}

describe('normalizePathname', () => {
  it.each([
    ['/', '/'],
    ['', '/'],
    ['/integrations/', '/integrations'],
    ['//api-keys//x/', '/api-keys/x'],
  ])('%j → %j', (input, expected) => {
    expect(normalizePathname(input)).toBe(expected);
  });
});

describe('matchPath', () => {
  it('matches static paths exactly, ignoring a trailing slash', () => {
    expect(matchPath('/integrations', '/integrations')).toEqual({});
    expect(matchPath('/integrations', '/integrations/')).toEqual({});
    expect(matchPath('/integrations', '/integrations/x')).toBeNull();
    expect(matchPath('/api', '/api-keys')).toBeNull();
    expect(matchPath('/signin', '/SignIn')).toBeNull();
  });

  it('extracts and decodes params', () => {
    expect(matchPath('/integrations/:id', '/integrations/a%20b')).toEqual({ id: 'a b' });
    expect(matchPath('/a/:x/b/:y', '/a/1/b/2')).toEqual({ x: '1', y: '2' });
  });

  it('rejects empty or malformed params instead of throwing', () => {
    expect(matchPath('/integrations/:id', '/integrations/')).toBeNull();
    expect(matchPath('/integrations/:id', '/integrations/%E0%A4%A')).toBeNull();
  });
});

describe('resolveRoute', () => {
  const routes = [
    { path: '/integrations/new', value: 'new' },
    { path: '/integrations/:id', value: 'detail' },
  ];

  it('returns the first matching route (order is priority) with its params', () => {
    expect(resolveRoute(routes, '/integrations/new')).toEqual({ route: routes[0], params: {} });
    expect(resolveRoute(routes, '/integrations/42')).toEqual({ route: routes[1], params: { id: '42' } });
    expect(resolveRoute(routes, '/elsewhere')).toBeNull();
  });
});

describe('navigate and usePathname', () => {
  it('pushes history entries and re-renders subscribers; back restores the previous path', async () => {
    render(<ShowPath />);
    expect(screen.getByTestId('path').textContent).toBe('/');

    act(() => navigate('/api-keys'));
    expect(screen.getByTestId('path').textContent).toBe('/api-keys');
    expect(window.location.pathname).toBe('/api-keys');
    const lengthAfterPush = window.history.length;

    act(() => navigate('/activity', { replace: true }));
    expect(screen.getByTestId('path').textContent).toBe('/activity');
    expect(window.history.length).toBe(lengthAfterPush);

    await act(async () => {
      const popped = new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
      window.history.back();
      await popped;
    });
    expect(screen.getByTestId('path').textContent).toBe('/');
  });

  it('keeps the query string and hash', () => {
    act(() => navigate('/activity?page=2#top'));
    expect(window.location.pathname + window.location.search + window.location.hash).toBe('/activity?page=2#top');
  });

  it('does not push a duplicate entry for the current URL', () => {
    act(() => navigate('/activity'));
    const length = window.history.length;
    act(() => navigate('/activity'));
    expect(window.history.length).toBe(length);
  });
});

describe('Link', () => {
  it('navigates client-side on a plain click and marks the active link', () => {
    render(
      <>
        <Link to="/api-keys" activeMatch="prefix">
          API keys
        </Link>
        <ShowPath />
      </>,
    );
    const link = screen.getByRole('link', { name: 'API keys' });
    expect(link.getAttribute('href')).toBe('/api-keys');
    expect(link.getAttribute('aria-current')).toBeNull();

    expect(clickReachesBrowser(link)).toBe(false); // intercepted: no full page load
    expect(screen.getByTestId('path').textContent).toBe('/api-keys');
    expect(link.getAttribute('aria-current')).toBe('page');
  });

  it('prefix matching covers sub-pages; exact matching does not', () => {
    window.history.replaceState(null, '', '/integrations/42');
    render(
      <>
        <Link to="/integrations" activeMatch="prefix">
          Prefix
        </Link>
        <Link to="/integrations" activeMatch="exact">
          Exact
        </Link>
      </>,
    );
    expect(screen.getByRole('link', { name: 'Prefix' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: 'Exact' }).getAttribute('aria-current')).toBeNull();
  });

  it('leaves modified clicks (new tab) to the browser', () => {
    render(<Link to="/activity">Activity</Link>);
    expect(clickReachesBrowser(screen.getByRole('link', { name: 'Activity' }), { ctrlKey: true })).toBe(true);
    expect(window.location.pathname).toBe('/');
  });
});

describe('Redirect', () => {
  it('replaces the current entry', () => {
    window.history.replaceState(null, '', '/somewhere');
    const length = window.history.length;
    render(
      <>
        <Redirect to="/signin" />
        <ShowPath />
      </>,
    );
    expect(window.location.pathname).toBe('/signin');
    expect(window.history.length).toBe(length);
    expect(screen.getByTestId('path').textContent).toBe('/signin');
  });
});
