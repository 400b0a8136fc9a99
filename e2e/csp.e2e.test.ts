import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useHubAndBrowser } from './support/hub-and-browser.js';
import { signUp } from './support/dashboard.js';

/**
 * S40: the dashboard and GraphiQL pages are served with a strict Content-Security-Policy and
 * work under it — the sign-in page, the Integrations page with a sandbox connect through the
 * simulator's consent page (its own policy), and GraphiQL with Monaco's workers — while the
 * browser reports no violation: neither a `securitypolicyviolation` event nor a console message.
 * An inline script injected on purpose is refused and reported, which shows both that the policy
 * is enforced and that the watch sees violations.
 */

const ctx = useHubAndBrowser({ env: { SANDBOX: '1' } });

interface Violation {
  page: string;
  directive: string;
  blocked: string;
}

const violations: Violation[] = [];
const consoleProblems: string[] = [];
/** GraphiQL's worker setup logs each worker it starts (`setup-workers/vite {label: json}`). */
const workersStarted: string[] = [];

beforeAll(async () => {
  const { context } = ctx.browser;
  await context.exposeBinding('__reportCspViolation', ({ page }, v: { directive: string; blocked: string }) => {
    violations.push({ page: page.url(), ...v });
  });
  // Init scripts run through the DevTools protocol, outside the page's policy.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCspViolation(v: unknown): void }).__reportCspViolation({
        directive: e.effectiveDirective,
        blocked: e.blockedURI,
      });
    });
  });
  const watch = (page: Page) =>
    page.on('console', (message) => {
      const text = message.text();
      const worker = /^setup-workers\/vite \{label: (\w+)\}$/.exec(text);
      if (worker) workersStarted.push(worker[1]!);
      // Errors and warnings (Monaco warns when it cannot start a worker and falls back to the main thread).
      else if (/Content Security Policy|Refused to/i.test(text) || ['error', 'warning'].includes(message.type())) {
        consoleProblems.push(`${message.type()}: ${text}`);
      }
    });
  context.pages().forEach(watch);
  context.on('page', watch);
});

const policyOf = (headers: Record<string, string>) => headers['content-security-policy'] ?? '';

function expectStrictPolicy(policy: string) {
  const directives = Object.fromEntries(
    policy.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name, sources.join(' ')];
    }),
  );
  expect(directives).toMatchObject({
    'default-src': "'self'",
    'script-src': "'self'",
    'frame-ancestors': "'none'",
    'base-uri': "'self'",
    'form-action': "'self'",
    'object-src': "'none'",
  });
  expect(policy).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
}

describe('S40 headers: the pages work under a strict Content-Security-Policy', () => {
  it('S40 headers: sign-in page, Integrations with a sandbox connect, and GraphiQL show no CSP violation', async () => {
    const { page } = ctx.browser;
    const hubUrl = ctx.hub.url;

    // Sign-in page (the history fallback serves index.html with the policy).
    const signIn = await page.goto('/signin');
    expectStrictPolicy(policyOf(signIn!.headers()));
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

    // An inline script is refused and reported: the policy is enforced and the watch works.
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => violations.map((v) => v.directive)).toEqual(['script-src-elem']);
    violations.length = 0;
    consoleProblems.length = 0;

    // Integrations: sign up, then connect Google through the simulator's consent page.
    await signUp(page, hubUrl);
    const card = page.getByRole('region', { name: 'Google Drive', exact: true });
    await card.getByRole('button', { name: 'Connect Google Drive' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/sandbox/google/'));
    await page.locator('#login').fill('csp.check@example.com');
    await page.locator('#allow').click();
    await page.waitForURL(`${hubUrl}/integrations`);
    await page.getByRole('status').filter({ hasText: 'Connected Google Drive' }).waitFor();
    await card.locator('.connection-account', { hasText: 'csp.check@example.com' }).waitFor();
    const integrations = await page.goto('/integrations');
    expectStrictPolicy(policyOf(integrations!.headers()));
    await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();

    // GraphiQL: the editor renders (its workers run) and a query answers.
    const graphiql = await page.goto('/graphiql');
    expectStrictPolicy(policyOf(graphiql!.headers()));
    await page.locator('.graphiql-query-editor').getByText('query Me').waitFor();
    await page.locator('.graphiql-execute-button').click();
    const resultText = async () => (await page.locator('.result-window').innerText()).replace(/[\s\u00a0]+/g, '');
    await expect.poll(resultText, { timeout: 20_000 }).toContain('"me":{"id":');
    // Monaco starts its workers lazily (the graphql one may come after the first answer): wait for all three.
    await expect.poll(() => [...new Set(workersStarted)].sort(), { timeout: 20_000 }).toEqual(['editorWorkerService', 'graphql', 'json']);

    // The pages by file name carry the same policies.
    for (const file of ['/index.html', '/graphiql.html']) {
      const res = await fetch(`${hubUrl}${file}`);
      expect(res.status, file).toBe(200);
      expectStrictPolicy(policyOf(Object.fromEntries(res.headers)));
    }

    expect(violations).toEqual([]);
    expect(consoleProblems).toEqual([]);
    expect(ctx.browser.pageErrors()).toEqual([]);
    expect(ctx.browser.externalRequests()).toEqual([]);
  }, 90_000);
});
