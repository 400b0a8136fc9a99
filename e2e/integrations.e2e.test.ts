import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useHubAndBrowser } from './support/hub-and-browser.js';
import { openPage, signUp } from './support/dashboard.js';

/**
 * Connecting providers from the Integrations page in a real browser, against the built hub in
 * sandbox mode (`npm run build` first; SANDBOX=1 mounts the provider simulator at /sandbox and
 * points every built-in provider without credentials at it, so no request leaves 127.0.0.1).
 * Google (OAuth 2 + PKCE), Trello (OAuth 1.0a) and Shopify (per-shop, asks for the shop first)
 * go through the simulator's consent pages and come back connected. A Box account is then
 * tested and disconnected (revoked at the simulator first, S21), and the Activity page lists it.
 * The tests share one signed-in browser and run in order.
 */

const ctx = useHubAndBrowser({
  env: { SANDBOX: '1' },
  ready: async (hub) => {
    const counters = await fetch(`${hub.url}/sandbox/_sim/counters`);
    if (counters.status !== 200) throw new Error(`sandbox mode is not available: /sandbox/_sim/counters answered ${counters.status}`);
  },
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

/** The simulator's request counters for one provider, by endpoint (revoke, userinfo, token…). */
async function simCounters(hubUrl: string, provider: string): Promise<Record<string, number>> {
  const res = await fetch(`${hubUrl}/sandbox/_sim/counters`);
  const all = (await res.json()) as Record<string, Record<string, number>>;
  return all[provider] ?? {};
}

/** Makes the simulator fail the next calls to one endpoint of a provider (cleared with clearSimFaults). */
async function simFault(hubUrl: string, fault: { provider: string; endpoint: string; kind: 'http500' | 'invalid_grant'; times?: number }) {
  const res = await fetch(`${hubUrl}/sandbox/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (res.status !== 204) throw new Error(`setting a simulator fault answered ${res.status}`);
}

async function clearSimFaults(hubUrl: string) {
  await fetch(`${hubUrl}/sandbox/_sim/faults`, { method: 'DELETE' });
}

async function expectConnected(page: Page, name: string, account: string) {
  const region = card(page, name);
  await region.locator('.connection-account', { hasText: account }).waitFor();
  expect(await region.locator('.integration-badges .badge').allInnerTexts()).toEqual(['Connected', 'Sandbox']);
  expect(await region.getByRole('button', { name: 'Reconnect' }).isEnabled()).toBe(true);
}

describe('Integrations page (sandbox)', () => {
  it('connects Google, Trello and Shopify through the simulator and lists each account', async () => {
    const { page } = ctx.browser;
    const hubUrl = ctx.hub.url;
    try {
      await signUp(page, hubUrl);
      await page.locator('.page-hint').filter({ hasText: /^Nothing connected yet/ }).waitFor();
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
      expect(await page.locator('.page-hint').count()).toBe(0);

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

      expect(ctx.browser.pageErrors()).toEqual([]);
      expect(ctx.browser.externalRequests()).toEqual([]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- hub logs ---\n${ctx.hub.logs().slice(-4000)}`, { cause: error });
    }
  }, 120_000);

  it('explains a declined consent and leaves the provider unconnected', async () => {
    const { page } = ctx.browser;
    const hubUrl = ctx.hub.url;
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
      throw new Error(`${(error as Error).message}\n--- hub logs ---\n${ctx.hub.logs().slice(-4000)}`, { cause: error });
    }
  }, 60_000);

  it('S21 tests a Box account, disconnects it (revoked at the provider first) and lists the disconnect under Activity', async () => {
    const { page } = ctx.browser;
    const hubUrl = ctx.hub.url;
    const account = 'box.user@example.com';
    try {
      await page.goto('/integrations');
      await card(page, 'Box').getByRole('button', { name: 'Connect Box' }).click();
      await consent(page, hubUrl, 'box', account);
      await page.getByRole('status').filter({ hasText: 'Connected Box' }).waitFor();
      await expectConnected(page, 'Box', account);
      const before = await simCounters(hubUrl, 'box');

      // Test: the hub calls Box's identity endpoint with the stored token.
      const actions = card(page, 'Box').getByRole('group', { name: `Actions for ${account}` });
      await actions.getByRole('button', { name: 'Test' }).click();
      const outcome = card(page, 'Box').locator('.connection-test');
      await outcome.filter({ hasText: 'Working — Box answered for' }).waitFor();
      expect(await outcome.innerText()).toMatch(/^✓ Working — Box answered for \d+$/);
      expect((await simCounters(hubUrl, 'box')).userinfo ?? 0).toBeGreaterThan(before.userinfo ?? 0);

      // Disconnect: confirm, then the outcome; the account leaves the card.
      await actions.getByRole('button', { name: 'Disconnect' }).click();
      const dialog = page.getByRole('alertdialog', { name: `Disconnect ${account} from Box?` });
      expect(await dialog.innerText()).toContain('The hub will revoke its access at Box and delete the stored tokens.');
      await dialog.getByRole('button', { name: 'Disconnect' }).click();
      await page.getByRole('status').filter({ hasText: `Disconnected ${account}. Box confirmed the access was revoked.` }).waitFor();
      await dialog.waitFor({ state: 'detached' });
      expect(await card(page, 'Box').locator('.connection-account').count()).toBe(0);
      expect(await card(page, 'Box').locator('.integration-badges .badge').allInnerTexts()).toEqual(['Not connected', 'Sandbox']);
      expect((await simCounters(hubUrl, 'box')).revoke ?? 0).toBe((before.revoke ?? 0) + 1);
      // The other providers' accounts are untouched.
      await expectConnected(page, 'Google Drive', 'jane.doe@example.com');

      // Still gone after a reload (deleted on the server, not just from the page).
      await page.reload();
      await card(page, 'Google Drive').locator('.connection-account').first().waitFor();
      expect(await card(page, 'Box').locator('.connection-account').count()).toBe(0);

      await openPage(page, hubUrl, 'Activity', '/activity');
      const disconnect = page.locator('tr[data-action="oauth.disconnect"]').first();
      await disconnect.waitFor();
      expect(await disconnect.locator('th .event-label').evaluate((el) => el.firstChild?.textContent?.trim())).toBe('Disconnected');
      expect(await disconnect.getByText('Succeeded').isVisible()).toBe(true);
      expect(await disconnect.getByRole('cell').first().innerText()).toBe('Box');
      const tested = page.locator('tr[data-action="oauth.test"]').first();
      expect(await tested.locator('th .event-label').evaluate((el) => el.firstChild?.textContent?.trim())).toBe('Connection tested');

      expect(ctx.browser.pageErrors()).toEqual([]);
      expect(ctx.browser.externalRequests()).toEqual([]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- hub logs ---\n${ctx.hub.logs().slice(-4000)}`, { cause: error });
    }
  }, 90_000);

  it('S18 S21 a test that finds the grant revoked shows Needs reconnect; a revocation the provider fails still disconnects', async () => {
    const { page } = ctx.browser;
    const hubUrl = ctx.hub.url;
    const account = 'asana.user@example.com';
    try {
      await page.goto('/integrations');
      await card(page, 'Asana').getByRole('button', { name: 'Connect Asana' }).click();
      await consent(page, hubUrl, 'asana', account);
      await page.getByRole('status').filter({ hasText: 'Connected Asana' }).waitFor();
      const asana = card(page, 'Asana');
      const row = asana.locator('li.connection');
      await row.first().waitFor();
      const name = await asana.locator('.connection-account').innerText();

      // Asana is tested with a refresh; the simulator now says the grant is dead (S18).
      await simFault(hubUrl, { provider: 'asana', endpoint: 'token_refresh', kind: 'invalid_grant', times: 1 });
      await asana.getByRole('button', { name: 'Test' }).click();
      await asana.locator('.connection-test-failed').waitFor();
      // The list read after the test shows the new state: the row and the card stand out.
      await asana.locator('li.connection-attention').waitFor();
      expect(await asana.locator('.integration-badges .badge').allInnerTexts()).toEqual(['Needs reconnect', 'Sandbox']);
      expect(await row.locator('.connection-problem').innerText()).toBe(
        'Asana says the access was revoked or has expired. Your services cannot use this connection until you reconnect it.',
      );
      const reconnect = asana.getByRole('button', { name: 'Reconnect' });
      expect(await reconnect.getAttribute('class')).toContain('btn-primary');

      // Disconnect while Asana's revocation endpoint fails: deleted here all the same (S21).
      await simFault(hubUrl, { provider: 'asana', endpoint: 'revoke', kind: 'http500' });
      await asana.getByRole('button', { name: 'Disconnect' }).click();
      await page.getByRole('alertdialog', { name: `Disconnect ${name} from Asana?` }).getByRole('button', { name: 'Disconnect' }).click();
      const warning = page.getByRole('alert').filter({ hasText: `Disconnected ${name} here, but Asana did not confirm the revocation` });
      await warning.waitFor();
      expect(await warning.innerText()).toContain('(it was unavailable). You can also remove the app’s access in your Asana account settings.');
      expect(await asana.locator('.connection-account').count()).toBe(0);
      expect(await asana.locator('.integration-badges .badge').allInnerTexts()).toEqual(['Not connected', 'Sandbox']);

      expect(ctx.browser.pageErrors()).toEqual([]);
      expect(ctx.browser.externalRequests()).toEqual([]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- hub logs ---\n${ctx.hub.logs().slice(-4000)}`, { cause: error });
    } finally {
      await clearSimFaults(hubUrl);
    }
  }, 60_000);
});
