import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useHubAndBrowser } from './support/hub-and-browser.js';

/**
 * The self-hosted GraphiQL page at /graphiql: it loads with every request blocked except
 * the hub's own origin (so Monaco's workers are local, not from a CDN), and its fetcher
 * passes Apollo's CSRF prevention with the dashboard's session cookie.
 */

const ctx = useHubAndBrowser();

describe('GraphiQL playground', () => {
  it('runs a query as the signed-in user, offline', async () => {
    const { context, page } = ctx.browser;
    const email = `graphiql-${randomUUID()}@example.com`;
    // Sign up through the API; the browser context shares the resulting session cookie.
    const signUp = await context.request.post('/graphql', {
      headers: { 'content-type': 'application/json' },
      data: {
        query: 'mutation ($input: SignUpInput!) { signUp(input: $input) { email } }',
        variables: { input: { email, password: 'correct horse battery staple' } },
      },
    });
    expect(await signUp.json()).toEqual({ data: { signUp: { email } } });

    await page.goto('/graphiql');
    expect(page.url()).toBe(`${ctx.hub.url}/graphiql`);
    expect(await page.title()).toBe('GraphQL playground · Integration Hub');
    // Monaco renders the default query once its editor worker is up.
    await page.locator('.graphiql-query-editor').getByText('query Me').waitFor();
    await page.locator('.graphiql-execute-button').click();
    // Monaco renders tokens as spans with non-breaking spaces and soft-wraps long lines:
    // compare the text with all whitespace removed.
    const resultText = async () => (await page.locator('.result-window').innerText()).replace(/[\s\u00a0]+/g, '');
    await expect.poll(resultText, { timeout: 20_000 }).toContain(`"me":{"id":`);
    expect(await resultText()).toContain(`"email":"${email}"`);
    expect(ctx.browser.pageErrors()).toEqual([]);
    expect(ctx.browser.externalRequests()).toEqual([]);
  }, 60_000);
});
