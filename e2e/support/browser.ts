import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Launches Debian's Chromium through playwright-core (which never downloads a browser) with
 * a throw-away profile. Flags that work on these machines: see docs/stack.md.
 */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions thrown in any page of the session. */
  pageErrors(): string[];
  /** Requests that tried to leave `allowedOrigin` (blocked): the hub must work offline. */
  externalRequests(): string[];
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** The hub's origin: relative page.goto() paths resolve against it, and any request to
   *  another origin is blocked and recorded. */
  baseURL: string;
  /** Default timeout of every action and wait, in ms. */
  timeoutMs?: number;
}

export async function launchBrowser({ baseURL, timeoutMs = 15_000 }: LaunchOptions): Promise<BrowserSession> {
  const profileDir = await mkdtemp(path.join(tmpdir(), 'hub-e2e-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      baseURL,
      viewport: { width: 1280, height: 800 },
    });
  } catch (error) {
    await rm(profileDir, { recursive: true, force: true });
    throw error;
  }
  context.setDefaultTimeout(timeoutMs);
  context.setDefaultNavigationTimeout(timeoutMs);

  const allowedOrigin = new URL(baseURL).origin;
  const external: string[] = [];
  await context.route(
    (url) => !['data:', 'blob:'].includes(url.protocol) && url.origin !== allowedOrigin,
    async (route) => {
      external.push(route.request().url());
      await route.abort('blockedbyclient');
    },
  );

  const errors: string[] = [];
  const watch = (page: Page) => page.on('pageerror', (error) => errors.push(error.message));
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());

  return {
    context,
    page,
    pageErrors: () => [...errors],
    externalRequests: () => [...external],
    async close() {
      await context.close().catch(() => undefined);
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}
