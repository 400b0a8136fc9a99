import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useHubAndBrowser } from './support/hub-and-browser.js';

/**
 * The dashboard's auth journey in a real browser against the real, built hub
 * (`npm run build` first): sign up, sign out, a wrong password, sign back in.
 */

const ctx = useHubAndBrowser();

async function h1(page: Page): Promise<string> {
  return (await page.getByRole('heading', { level: 1 }).innerText()).trim();
}

async function fillCredentials(page: Page, email: string, password: string) {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
}

describe('dashboard authentication', () => {
  it('signs up, signs out, rejects a wrong password and signs back in', async () => {
    const { page } = ctx.browser;
    const url = (path: string) => `${ctx.hub.url}${path}`;
    const email = `e2e-${randomUUID()}@example.com`;
    const password = 'correct horse battery staple';
    try {
      // A signed-out visitor of the root is sent to the sign-in page.
      await page.goto('/');
      await page.waitForURL(url('/signin'));
      expect(await h1(page)).toBe('Sign in');
      expect(await page.title()).toBe('Sign in · Integration Hub');

      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.waitForURL(url('/signup'));
      expect(await h1(page)).toBe('Create your account');

      // Sign up. The first write to a fresh PGlite store can take a few seconds.
      await fillCredentials(page, email, password);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL(url('/integrations'), { timeout: 30_000 });
      expect(await h1(page)).toBe('Integrations');
      // No provider is configured on this hub: the one-line hint says what to set.
      expect(await page.locator('.page-hint').filter({ hasText: /^No provider is configured/ }).waitFor().then(() => true)).toBe(true);
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('listitem').allInnerTexts()).toEqual(['Integrations', 'API keys', 'Activity']);
      expect(await nav.getByRole('link', { name: 'GraphQL playground' }).getAttribute('href')).toBe('/graphiql');
      expect(await nav.getByRole('link', { name: 'Integrations' }).getAttribute('aria-current')).toBe('page');
      expect(await page.getByText(email, { exact: true }).waitFor().then(() => true)).toBe(true);

      // The session survives a full reload (cookie, not in-memory state).
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
      expect(page.url()).toBe(url('/integrations'));

      // Client-side navigation inside the shell.
      await nav.getByRole('link', { name: 'API keys' }).click();
      await page.waitForURL(url('/api-keys'));
      expect(await h1(page)).toBe('API keys');

      // Sign out: back at the sign-in page, and private pages are closed again.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(url('/signin'));
      expect(await h1(page)).toBe('Sign in');
      expect(await page.getByText(email, { exact: true }).count()).toBe(0);
      await page.goto('/activity');
      await page.waitForURL(url('/signin'));

      // A wrong password gets the generic message and stays on the page.
      await fillCredentials(page, email, 'not the right password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect((await alert.innerText()).trim()).toMatch(/^!\s*Incorrect email or password\.$/);
      expect(page.url()).toBe(url('/signin'));

      // The right password signs back in.
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(url('/integrations'));
      expect(await h1(page)).toBe('Integrations');
      expect(await page.getByText(email, { exact: true }).waitFor().then(() => true)).toBe(true);

      expect(ctx.browser.pageErrors()).toEqual([]);
      expect(ctx.browser.externalRequests()).toEqual([]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- hub logs ---\n${ctx.hub.logs().slice(-4000)}`, { cause: error });
    }
  }, 60_000);
});
