import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { BrowserSession } from './support/browser.js';
import { useHubAndBrowser } from './support/hub-and-browser.js';
import { addApiKey, apiKeyRow, openPage, signUp } from './support/dashboard.js';

/**
 * The API keys page in a real browser against the built hub (`npm run build` first): add a key,
 * see only its hint, replace it, delete it — and the plaintext never comes back to the browser
 * (S27): not in any response body, not in the page's HTML or inputs after saving.
 */

const ctx = useHubAndBrowser();

const secret = (prefix: string) => `${prefix}-${randomBytes(18).toString('base64url')}`;

describe('API keys page', () => {
  it('S27 adds, replaces and deletes a key; the plaintext never returns to the browser', async () => {
    const { page } = ctx.browser;
    const url = (path: string) => `${ctx.hub.url}${path}`;
    const first = secret('sk-e2e-first');
    const second = secret('sk-e2e-second');

    // Every response body (read as it arrives) and every request body the page sends.
    const responseBodies: Array<Promise<{ url: string; body: string }>> = [];
    const requestBodies: string[] = [];
    const onResponse = (response: Response) =>
      responseBodies.push(response.body().then((b) => ({ url: response.url(), body: b.toString('utf8') }), () => ({ url: response.url(), body: '' })));
    const onRequest = (request: Request) => requestBodies.push(request.postData() ?? '');
    page.on('response', onResponse);
    page.on('request', onRequest);

    /** The page as a script could read it: serialized HTML plus every input's live value. */
    const pageText = async () =>
      (await page.content()) +
      (await page.evaluate(() => [...document.querySelectorAll('input, textarea')].map((el) => (el as HTMLInputElement).value).join('\n')));

    try {
      await signUp(page, ctx.hub.url);
      await openPage(page, ctx.hub.url, 'API keys', '/api-keys');
      await page.getByRole('heading', { level: 2, name: 'No API keys yet' }).waitFor();
      const keyInput = page.getByRole('form', { name: 'Add an API key' }).getByLabel('API key', { exact: true });
      expect(await keyInput.getAttribute('type')).toBe('password');

      // Add: listed by its hint (•••• + last 4), the input emptied, the plaintext gone.
      await addApiKey(page, { service: 'openai', name: 'Production', key: first });
      const row = apiKeyRow(page, 'Production');
      await row.getByText(`••••${first.slice(-4)}`, { exact: true }).waitFor();
      expect(await row.getByRole('cell').first().innerText()).toBe('openai');
      expect(await keyInput.inputValue()).toBe('');
      expect(await pageText()).not.toContain(first);

      // A full reload reads the list from the server: still only the hint.
      await page.reload();
      await row.getByText(`••••${first.slice(-4)}`, { exact: true }).waitFor();
      expect(await pageText()).not.toContain(first);

      // Replace the value: its own password input in a dialog; the new hint replaces the old.
      await row.getByRole('button', { name: 'Replace key' }).click();
      const replace = page.getByRole('dialog', { name: 'Replace API key' });
      const newKey = replace.getByLabel('New API key', { exact: true });
      expect(await newKey.getAttribute('type')).toBe('password');
      await newKey.fill(second);
      await replace.getByRole('button', { name: 'Replace key' }).click();
      await replace.waitFor({ state: 'detached' });
      await row.getByText(`••••${second.slice(-4)}`, { exact: true }).waitFor();
      await page.getByRole('status').filter({ hasText: `It now ends in ••••${second.slice(-4)}.` }).waitFor();
      const afterReplace = await pageText();
      expect(afterReplace).not.toContain(first);
      expect(afterReplace).not.toContain(second);

      // Delete, after a confirmation.
      await row.getByRole('button', { name: 'Delete' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Delete API key?' });
      await confirm.getByRole('button', { name: 'Delete key' }).click();
      await page.getByRole('heading', { level: 2, name: 'No API keys yet' }).waitFor();
      expect(await apiKeyRow(page, 'Production').count()).toBe(0);
      await page.reload();
      await page.getByRole('heading', { level: 2, name: 'No API keys yet' }).waitFor();

      page.off('response', onResponse);
      page.off('request', onRequest);
      const responses = await Promise.all(responseBodies);
      // The recording works: both keys went out in a request, and GraphQL answers were read.
      expect(requestBodies.some((body) => body.includes(first))).toBe(true);
      expect(requestBodies.some((body) => body.includes(second))).toBe(true);
      expect(responses.filter((r) => r.url.endsWith('/graphql') && r.body.includes('"hint"')).length).toBeGreaterThan(0);
      for (const { url: from, body } of responses) {
        expect(body, `response of ${from}`).not.toContain(first);
        expect(body, `response of ${from}`).not.toContain(second);
      }
      expect(page.url()).toBe(url('/api-keys'));
      expect(ctx.browser.pageErrors()).toEqual([]);
      expect(ctx.browser.externalRequests()).toEqual([]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- hub logs ---\n${ctx.hub.logs().slice(-4000)}`, { cause: error });
    }
  }, 90_000);

  it('shows validation errors inline, from the browser and from the server', async () => {
    const { page } = ctx.browser;
    try {
      await page.goto('/api-keys');
      await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
      const form = page.getByRole('form', { name: 'Add an API key' });
      // Client-side: an upper-case service never reaches the server.
      await form.getByLabel('Service', { exact: true }).fill('OpenAI');
      await form.getByLabel('Name', { exact: true }).fill('Dup');
      await form.getByLabel('API key', { exact: true }).fill(secret('sk-e2e-dup'));
      await form.getByRole('button', { name: 'Save key' }).click();
      await form.getByText('Use lower-case letters: “openai”.').waitFor();

      // Server-side: a duplicate service + name is a CONFLICT shown under Name.
      await form.getByLabel('Service', { exact: true }).fill('openai');
      await form.getByRole('button', { name: 'Save key' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved the openai key “Dup”' }).waitFor();
      await addApiKeyExpectingError(page, { service: 'openai', name: 'Dup', key: secret('sk-e2e-dup2') });
      await form.getByText('You already have a key with this name for this service. Choose another name.').waitFor();
      expect(await form.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- hub logs ---\n${ctx.hub.logs().slice(-4000)}`, { cause: error });
    }
  }, 60_000);
});

async function addApiKeyExpectingError(page: BrowserSession['page'], values: { service: string; name: string; key: string }) {
  const form = page.getByRole('form', { name: 'Add an API key' });
  await form.getByLabel('Service', { exact: true }).fill(values.service);
  await form.getByLabel('Name', { exact: true }).fill(values.name);
  await form.getByLabel('API key', { exact: true }).fill(values.key);
  await form.getByRole('button', { name: 'Save key' }).click();
}
