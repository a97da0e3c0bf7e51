/**
 * Screenshots of the built app for a human look: `npx tsx cli/screenshot.ts [tab...]`.
 * Expects `vite preview` on 127.0.0.1:4173. Writes .tmp/screens/<tab>-<width>.png.
 */
import { mkdirSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/browser';

const base = process.env.KINLENS_URL ?? 'http://127.0.0.1:4173/';
const tabs = process.argv.slice(2);
mkdirSync('.tmp/screens', { recursive: true });
const browser = await chromium.launch(chromiumLaunchOptions());
for (const width of [1280, 390]) {
  const page = await browser.newPage({ viewport: { width, height: width > 800 ? 800 : 844 } });
  await page.goto(base);
  await page
    .getByTestId('backend-badge')
    .filter({ hasText: /wasm|webgpu|webgl|cpu/ })
    .waitFor({ timeout: 60_000 });
  for (const tab of tabs.length ? tabs : ['Backend']) {
    await page.getByRole('tab', { name: tab }).click();
    await page.waitForTimeout(500);
    await page.screenshot({
      path: `.tmp/screens/${tab.replace(/\W+/g, '_')}-${width}.png`,
      fullPage: true,
    });
  }
  await page.close();
}
await browser.close();
