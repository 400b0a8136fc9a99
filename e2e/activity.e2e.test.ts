import { describe, expect, it } from 'vitest';
import { useHubAndBrowser } from './support/hub-and-browser.js';
import { addApiKey, apiKeyRow, openPage, signUp } from './support/dashboard.js';

/**
 * The Activity page in a real browser against the built hub (`npm run build` first): what the
 * person just did (sign-up, adding and deleting an API key) is listed, newest first.
 */

const ctx = useHubAndBrowser();

describe('Activity page', () => {
  it('S32 lists the sign-up and the API key added and deleted, newest first', async () => {
    const { page } = ctx.browser;
    try {
      await signUp(page, ctx.hub.url);
      // Visit Activity once first: coming back later must show the new events, not a stale cache.
      await openPage(page, ctx.hub.url, 'Activity', '/activity');
      await page.locator('tr[data-action="auth.sign_up"]').waitFor();

      await openPage(page, ctx.hub.url, 'API keys', '/api-keys');
      await addApiKey(page, { service: 'openai', name: 'Production', key: `sk-e2e-activity-${Date.now()}-abcdefgh` });
      await apiKeyRow(page, 'Production').getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('alertdialog', { name: 'Delete API key?' }).getByRole('button', { name: 'Delete key' }).click();
      await page.getByRole('heading', { level: 2, name: 'No API keys yet' }).waitFor();

      await openPage(page, ctx.hub.url, 'Activity', '/activity');
      const rows = page.locator('table tbody tr');
      await page.locator('tr[data-action="api_key.delete"]').waitFor();
      const actions = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action')));
      expect(actions.slice(0, 3)).toEqual(['api_key.delete', 'api_key.create', 'auth.sign_up']);

      const labels = await rows.locator('th .event-label').evaluateAll((els) => els.map((el) => el.firstChild?.textContent?.trim()));
      expect(labels.slice(0, 3)).toEqual(['API key deleted', 'API key added', 'Account created']);
      const created = page.locator('tr[data-action="api_key.create"]');
      expect(await created.getByText('Succeeded').isVisible()).toBe(true);
      expect(await created.getByRole('cell').first().innerText()).toBe('openai');
      expect(await created.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(await created.locator('.time-relative').innerText()).toBe('just now');

      expect(ctx.browser.pageErrors()).toEqual([]);
      expect(ctx.browser.externalRequests()).toEqual([]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- hub logs ---\n${ctx.hub.logs().slice(-4000)}`, { cause: error });
    }
  }, 90_000);
});
