import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess } from '../server/src/test/hub-process.js';
import { launchBrowser, type BrowserSession } from './support/browser.js';
import { signUp } from './support/dashboard.js';

/**
 * Connecting providers from the Integrations page in a real browser, against the built hub in
 * sandbox mode (`npm run build` first; SANDBOX=1 mounts the provider simulator at /sandbox and
 * points every built-in provider without credentials at it, so no request leaves 127.0.0.1).
 * Google (OAuth 2 + PKCE), Trello (OAuth 1.0a) and Shopify (per-shop, asks for the shop first)
 * go through the simulator's consent pages and come back connected.
 */

type Hub = Awaited<ReturnType<typeof startHubProcess>>;

let hub: Hub | undefined;
let browser: BrowserSession | undefined;

beforeAll(async () => {
  hub = await startHubProcess({ env: { SANDBOX: '1' } });
  const counters = await fetch(`${hub.url}/sandbox/_sim/counters`);
  if (counters.status !== 200) throw new Error(`sandbox mode is not available: /sandbox/_sim/counters answered ${counters.status}`);
  browser = await launchBrowser({ baseURL: hub.url, timeoutMs: 20_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

const card = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

/** On the simulator's consent page: who is signing in, then Allow. Ends back on /integrations. */
async function consent(page: Page, hubUrl: string, provider: string, login: string) {
  await page.waitForURL((url) => url.pathname.startsWith(`/sandbox/${provider}/`));
  await page.locator('#login').fill(login);
  await page.locator('#allow').click();
  // The callback redirects to /integrations?status=…; the dashboard then removes the parameters.
  await page.waitForURL(`${hubUrl}/integrations`);
}

async function expectConnected(page: Page, name: string, account: string) {
  const region = card(page, name);
  await region.locator('.connection-account', { hasText: account }).waitFor();
  expect(await region.locator('.integration-badges .badge').allInnerTexts()).toEqual(['Connected', 'Sandbox']);
  expect(await region.getByRole('button', { name: 'Reconnect' }).isEnabled()).toBe(true);
}

describe('Integrations page (sandbox)', () => {
  it('connects Google, Trello and Shopify through the simulator and lists each account', async () => {
    const { page } = browser!;
    const hubUrl = hub!.url;
    try {
      await signUp(page, hubUrl);
      await page.getByRole('heading', { level: 2, name: 'No integrations yet' }).waitFor();
      const names = ['Google Drive', 'Asana', 'Dropbox', 'Box', 'Trello', 'Shopify', 'Zoho CRM'];
      expect(await page.locator('.integration-card h2').allInnerTexts()).toEqual(names);
      for (const name of names) {
        expect(await card(page, name).locator('.integration-badges .badge').allInnerTexts(), name).toEqual(['Not connected', 'Sandbox']);
      }

      // Google: OAuth 2 with PKCE.
      await card(page, 'Google Drive').getByRole('button', { name: 'Connect Google Drive' }).click();
      await consent(page, hubUrl, 'google', 'jane.doe@example.com');
      const banner = page.getByRole('status').filter({ hasText: 'Connected Google Drive' });
      await banner.waitFor();
      expect(new URL(page.url()).search).toBe('');
      await expectConnected(page, 'Google Drive', 'jane.doe@example.com');
      expect(await page.getByRole('heading', { level: 2, name: 'No integrations yet' }).count()).toBe(0);

      // Trello: OAuth 1.0a; without the `account` scope there is no e-mail, so the full name shows.
      await card(page, 'Trello').getByRole('button', { name: 'Connect Trello' }).click();
      await consent(page, hubUrl, 'trello', 'jane.doe@example.com');
      await page.getByRole('status').filter({ hasText: 'Connected Trello' }).waitFor();
      await expectConnected(page, 'Trello', 'Jane Doe');

      // Shopify: the dashboard asks for the shop first and checks it before anything is sent.
      await card(page, 'Shopify').getByRole('button', { name: 'Connect Shopify' }).click();
      const dialog = page.getByRole('dialog', { name: 'Connect Shopify' });
      await dialog.getByLabel('Shop domain').fill('not a shop!');
      await dialog.getByRole('button', { name: 'Continue to Shopify' }).click();
      await dialog.getByText('Enter a shop like my-store or my-store.myshopify.com.').waitFor();
      await dialog.getByLabel('Shop domain').fill('e2e-store');
      await dialog.getByRole('button', { name: 'Continue to Shopify' }).click();
      await consent(page, hubUrl, 'shopify', 'owner@example.com');
      await page.getByRole('status').filter({ hasText: 'Connected Shopify' }).waitFor();
      await expectConnected(page, 'Shopify', 'owner@example.com');
      expect(await card(page, 'Shopify').locator('.connection-label').innerText()).toBe('e2e-store.myshopify.com');

      // All three survive a reload (read from the server), the others are still not connected.
      await page.reload();
      await expectConnected(page, 'Google Drive', 'jane.doe@example.com');
      await expectConnected(page, 'Trello', 'Jane Doe');
      await expectConnected(page, 'Shopify', 'owner@example.com');
      expect(await card(page, 'Asana').locator('.integration-badges .badge').allInnerTexts()).toEqual(['Not connected', 'Sandbox']);
      expect(await page.getByRole('status').filter({ hasText: 'Connected' }).count()).toBe(0);

      expect(browser!.pageErrors()).toEqual([]);
      expect(browser!.externalRequests()).toEqual([]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- hub logs ---\n${hub!.logs().slice(-4000)}`, { cause: error });
    }
  }, 120_000);

  it('explains a declined consent and leaves the provider unconnected', async () => {
    const { page } = browser!;
    const hubUrl = hub!.url;
    try {
      await page.goto('/integrations');
      await card(page, 'Box').getByRole('button', { name: 'Connect Box' }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/sandbox/box/'));
      await page.locator('#login').fill('jane.doe@example.com');
      await page.locator('#deny').click();
      await page.waitForURL(`${hubUrl}/integrations`);
      const alert = page.getByRole('alert').filter({ hasText: 'Could not connect Box' });
      await alert.waitFor();
      expect(await alert.innerText()).toContain('You declined access at Box.');
      expect(await card(page, 'Box').locator('.integration-badges .badge').allInnerTexts()).toEqual(['Not connected', 'Sandbox']);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- hub logs ---\n${hub!.logs().slice(-4000)}`, { cause: error });
    }
  }, 60_000);
});
