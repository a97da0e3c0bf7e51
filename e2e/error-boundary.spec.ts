import type { Page } from '@playwright/test';
import { expect, openApp, test, type Guards } from './fixtures';

/** Plants data the way the app stores it: an IndexedDB database and a localStorage key. */
async function plantLocalData(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        localStorage.setItem('kinlens.marker', 'planted');
        const open = indexedDB.open('kinlens-marker', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('s');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          open.result.close();
          resolve();
        };
      }),
  );
}

async function localData(page: Page): Promise<{ databases: string[]; marker: string | null }> {
  return page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name ?? '').sort(),
    marker: localStorage.getItem('kinlens.marker'),
  }));
}

/** The crash is logged twice, by React and by us, and nothing else went wrong. */
async function expectOnlyTheSimulatedCrashLogged(guards: Guards): Promise<void> {
  await expect.poll(() => guards.consoleErrors.length).toBeGreaterThanOrEqual(2);
  expect(guards.consoleErrors.some((e) => e.startsWith('KinLens crashed:'))).toBe(true);
  expect(guards.consoleErrors.every((e) => e.includes('Simulated crash'))).toBe(true);
  guards.consoleErrors.length = 0;
}

test.describe('recovery screen', () => {
  test('a crash shows the recovery screen: copy diagnostics, clear all local data, reload', async ({
    page,
    context,
    baseURL,
    guards,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(baseURL ?? 'http://127.0.0.1:4173/').origin,
    });
    await openApp(page);
    await plantLocalData(page);
    expect((await localData(page)).databases).toContain('kinlens-marker');

    await page.goto('./?simulate-crash');
    const screen = page.getByRole('alert');
    await expect(screen.getByRole('heading', { name: 'Something went wrong' })).toBeVisible();
    await expect(screen).toContainText(
      'KinLens hit an unexpected error: Simulated crash (?simulate-crash in the address)',
    );
    await expect(screen).toContainText('are still there after a reload');
    await expectOnlyTheSimulatedCrashLogged(guards);

    // Keyboard: the primary action has focus; Tab reaches the others.
    await expect(page.getByRole('button', { name: 'Reload', exact: true })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Copy diagnostics' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^KinLens diagnostics \d{4}-\d\d-\d\dT/);
    expect(copied).toContain('Cross-origin isolated: true');
    expect(copied).toContain('Error: Error: Simulated crash (?simulate-crash in the address)');
    expect(copied).toMatch(/Component stack: [\s\S]*SimulatedCrash/);
    await screen.getByText('Details').click();
    await expect(screen.locator('pre')).toContainText('User agent: Mozilla/5.0');

    // Clear all local data asks first; keeping the data deletes nothing.
    await page.getByRole('button', { name: 'Clear all local data…' }).click();
    await expect(screen).toContainText('This deletes the installed encoders, cached embeddings');
    await page.getByRole('button', { name: 'Keep my data' }).click();
    expect((await localData(page)).marker).toBe('planted');
    // Confirmed: our databases and settings go, and the app starts clean.
    await page.getByRole('button', { name: 'Clear all local data…' }).click();
    await page.getByRole('button', { name: 'Delete everything and reload' }).click();
    await expect(page.getByTestId('backend-badge')).toContainText(/Compute: wasm/, {
      timeout: 60_000,
    });
    expect(new URL(page.url()).search).toBe('');
    const after = await localData(page);
    expect(after.marker).toBeNull();
    expect(after.databases).not.toContain('kinlens-marker');

    // Reload from a crash brings the app back too.
    await page.goto('./?simulate-crash');
    await expect(page.getByRole('heading', { name: 'Something went wrong' })).toBeVisible();
    await expectOnlyTheSimulatedCrashLogged(guards);
    await page.getByRole('button', { name: 'Reload', exact: true }).click();
    await expect(page.getByRole('tab', { name: 'Score a pair' })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('backend-badge')).toContainText(/Compute: wasm/, {
      timeout: 60_000,
    });
  });
});
