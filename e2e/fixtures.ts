import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { assertOurServer, RUN_TOKEN_ENV } from '../cli/run-token';

export interface Guards {
  consoleErrors: string[];
  foreignRequests: string[];
}

function isLocal(url: string, baseURL: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:')) return true;
  return new URL(url).origin === new URL(baseURL).origin;
}

/**
 * Every spec runs against this run's own server (checked before the test starts: it must send
 * playwright.config.ts's token) and with two guards: no console error and no request to any host
 * but the local server, for the whole test (page, workers, fetches). Specs that expect an error
 * can clear or inspect `guards.consoleErrors` themselves.
 */
export const test = base.extend<{ guards: Guards }>({
  guards: [
    async ({ context, baseURL }, use) => {
      await assertRunServer(baseURL);
      const guards = guardContext(context, baseURL);
      await use(guards);
      assertGuards(guards);
    },
    { auto: true },
  ],
});

/** Fails fast when `baseURL` is served by anything but the server this run started. */
export async function assertRunServer(baseURL: string | undefined): Promise<void> {
  const token = process.env[RUN_TOKEN_ENV];
  if (!baseURL) throw new Error('e2e: no baseURL; run the specs through playwright.config.ts');
  if (!token) {
    throw new Error(`e2e: ${RUN_TOKEN_ENV} is not set; run the specs through playwright.config.ts`);
  }
  await assertOurServer(baseURL, token);
}

/** Starts recording console errors and foreign requests of a browser context. */
export function guardContext(context: BrowserContext, baseURL: string | undefined): Guards {
  const guards: Guards = { consoleErrors: [], foreignRequests: [] };
  const origin = baseURL ?? 'http://127.0.0.1:4173/';
  context.on('request', (req) => {
    if (!isLocal(req.url(), origin)) guards.foreignRequests.push(req.url());
  });
  context.on('page', (page) => watchConsole(page, guards));
  for (const page of context.pages()) watchConsole(page, guards);
  return guards;
}

export function assertGuards(guards: Guards): void {
  expect(guards.foreignRequests, 'requests to hosts other than the local server').toEqual([]);
  expect(guards.consoleErrors, 'console errors').toEqual([]);
}

function watchConsole(page: Page, guards: Guards): void {
  page.on('console', (msg) => {
    if (msg.type() === 'error') guards.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => guards.consoleErrors.push(`pageerror: ${err.message}`));
  page.on('worker', (worker) => {
    worker.on('console', (msg) => {
      if (msg.type() === 'error') guards.consoleErrors.push(`worker: ${msg.text()}`);
    });
  });
}

export { expect };

/** Opens the app on a fresh origin state and waits for the backend to be ready. */
export async function openApp(page: Page, path = './'): Promise<void> {
  await page.goto(path);
  await expect(page.getByTestId('backend-badge')).toContainText(
    /Compute: (webgpu|webgl|wasm|cpu)/,
    {
      timeout: 60_000,
    },
  );
}
