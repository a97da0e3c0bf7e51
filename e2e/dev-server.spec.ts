import { expect, openApp, test } from './fixtures';
import { samplePhoto } from './helpers';

// `npm start` runs the Vite dev server (React StrictMode, unbundled modules, the vendor-asset
// middleware): the same worker must start once, pick wasm and find faces there too.
test('the dev server (npm start) runs the app: wasm backend, faces found, no console errors', async ({
  page,
}) => {
  await openApp(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('backend-badge')).toContainText('wasm · 2 threads');
  await page.getByTestId('drop-a-input').setInputFiles(samplePhoto(1));
  await expect(page.getByTestId('photo-a-face-count')).toHaveText('3', { timeout: 90_000 });
  await page.getByTestId('drop-b-input').setInputFiles(samplePhoto(1));
  await expect(page.getByTestId('result-face-descriptor')).toBeVisible({ timeout: 60_000 });
});
