import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';

/** Dashboard steps shared by the browser tests (the auth journey itself is auth.e2e.test.ts). */

export const E2E_PASSWORD = 'correct horse battery staple';

/** Signs up a fresh account through the UI and waits for the Integrations page. */
export async function signUp(page: Page, hubUrl: string): Promise<string> {
  const email = `e2e-${randomUUID()}@example.com`;
  await page.goto('/signup');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  // The first write to a fresh PGlite store can take a few seconds.
  await page.waitForURL(`${hubUrl}/integrations`, { timeout: 30_000 });
  return email;
}

/** Client-side navigation through the main menu. */
export async function openPage(page: Page, hubUrl: string, label: 'Integrations' | 'API keys' | 'Activity', path: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
  await page.waitForURL(`${hubUrl}${path}`);
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
}

/** Adds an API key through the page's form and waits for the confirmation. */
export async function addApiKey(page: Page, values: { service: string; name: string; key: string }) {
  const form = page.getByRole('form', { name: 'Add an API key' });
  await form.getByLabel('Service', { exact: true }).fill(values.service);
  await form.getByLabel('Name', { exact: true }).fill(values.name);
  await form.getByLabel('API key', { exact: true }).fill(values.key);
  await form.getByRole('button', { name: 'Save key' }).click();
  await page.getByRole('status').filter({ hasText: `Saved the ${values.service} key “${values.name}”` }).waitFor();
}

/** The table row of a stored key, found by its name (the row header). */
export function apiKeyRow(page: Page, name: string) {
  return page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
}
