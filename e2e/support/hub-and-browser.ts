import { afterAll, beforeAll } from 'vitest';
import { startHubProcess, type HubProcess } from '../../server/src/test/hub-process.js';
import { launchBrowser, type BrowserSession } from './browser.js';

export interface HubAndBrowser {
  hub: HubProcess;
  browser: BrowserSession;
}

/**
 * For a browser test file: the built hub as a child process (fresh data dir) and one Chromium
 * session against it, started before the file's tests and stopped after them. The returned
 * object is filled in by `beforeAll`; read it inside tests.
 */
export function useHubAndBrowser(options: { env?: Record<string, string>; ready?: (hub: HubProcess) => Promise<void> } = {}): HubAndBrowser {
  const ctx = {} as HubAndBrowser;
  beforeAll(async () => {
    ctx.hub = await startHubProcess(options.env ? { env: options.env } : {});
    await options.ready?.(ctx.hub);
    ctx.browser = await launchBrowser({ baseURL: ctx.hub.url, timeoutMs: 20_000 });
  }, 60_000);
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.hub?.stop();
  });
  return ctx;
}
