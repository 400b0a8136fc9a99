import { describe, expect, it } from 'vitest';
import { useHubAndBrowser } from './support/hub-and-browser.js';
import { openPage, signUp } from './support/dashboard.js';

/**
 * The sidebar on a page longer than the window (30 API keys at 1280×800): its column (background
 * and border) runs to the bottom of the document, and its links stay in view while scrolling.
 */

const ctx = useHubAndBrowser();

const CREATE = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { id } }';

describe('App shell on a long page', () => {
  it('the sidebar runs the full height of the document, and its links stay in view', async () => {
    const { page } = ctx.browser;
    await page.setViewportSize({ width: 1280, height: 800 });
    await signUp(page, ctx.hub.url);

    // Thirty keys through the API with the page's own session (one mutation per request).
    const failures = await page.evaluate(async (query) => {
      const errors: string[] = [];
      for (let i = 0; i < 30; i++) {
        const input = { service: 'openai', name: `Key ${String(i + 1).padStart(2, '0')}`, key: `sk-sidebar-${i}-${'x'.repeat(24)}` };
        const res = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
          body: JSON.stringify({ query, variables: { input } }),
        });
        const body = (await res.json()) as { data?: { createApiKey?: { id: string } }; errors?: unknown };
        if (!body.data?.createApiKey) errors.push(JSON.stringify(body.errors ?? res.status));
      }
      return errors;
    }, CREATE);
    expect(failures).toEqual([]);

    await openPage(page, ctx.hub.url, 'API keys', '/api-keys');
    await page.getByText('Key 30', { exact: true }).waitFor();

    const measure = () =>
      page.evaluate(() => {
        const sidebar = document.querySelector('nav.sidebar')!.getBoundingClientRect();
        const links = document.querySelector('nav.sidebar .nav-list')!.getBoundingClientRect();
        return {
          documentHeight: document.documentElement.scrollHeight,
          viewportHeight: window.innerHeight,
          sidebarTop: sidebar.top + window.scrollY,
          sidebarBottom: sidebar.bottom + window.scrollY,
          linksTop: links.top,
          linksBottom: links.bottom,
        };
      });

    const top = await measure();
    // The page really is long: otherwise this proves nothing.
    expect(top.documentHeight).toBeGreaterThan(top.viewportHeight * 1.5);
    expect(top.sidebarBottom).toBeGreaterThanOrEqual(top.documentHeight - 1);

    // Scrolled to the very bottom: the column still reaches the end, and the links are on screen.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const bottom = await measure();
    expect(bottom.sidebarBottom).toBeGreaterThanOrEqual(bottom.documentHeight - 1);
    expect(bottom.linksTop).toBeGreaterThanOrEqual(0);
    expect(bottom.linksBottom).toBeLessThanOrEqual(bottom.viewportHeight);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).isVisible()).toBe(true);
    expect(ctx.browser.pageErrors()).toEqual([]);
  });
});
