import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeFiwFolder } from './fiw-fixture';
import { expect, openApp, test } from './fixtures';
import { importFolder } from './helpers';

/** "done / total" of the progress bar, or -1 while it shows no count. */
async function progressDone(page: Page): Promise<number> {
  const text =
    (await page
      .getByTestId('progress-text')
      .textContent()
      .catch(() => '')) ?? '';
  const match = /^([\d,]+) \/ [\d,]+/.exec(text); // "1,234 / 12,379 · …"
  return match ? Number(match[1]?.replace(/,/g, '')) : -1;
}

test('a reload mid-encoding resumes from the cache; a reload mid-training keeps the best epoch', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const fixture = makeFiwFolder(mkdtempSync(join(tmpdir(), 'kinlens-fiw-reload-')));
  const total = fixture.photos;
  await openApp(page);
  await importFolder(page, fixture);

  // Encoding: reload once a few batches are done, well before the end.
  await page.getByTestId('encode').click();
  await expect.poll(() => progressDone(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(32);
  const doneAtReload = await progressDone(page);
  expect(doneAtReload).toBeLessThan(total);
  await page.reload();
  await importFolder(page, fixture);
  await page.getByTestId('encode').click();
  const result = page.getByTestId('encode-result');
  await expect(result).toBeVisible({ timeout: 120_000 });
  const fromCache = Number(await result.getAttribute('data-from-cache'));
  console.log(`reloaded at ${doneAtReload}/${total} encoded; after reload ${fromCache} from cache`);
  expect(fromCache).toBeGreaterThanOrEqual(doneAtReload);
  expect(fromCache).toBeLessThan(total);
  await expect(result).toHaveAttribute('data-encoded', String(total - fromCache));

  // Training: a long run, reloaded after a few epochs; the best epoch so far is saved.
  await page.getByTestId('opt-epochs').fill('500');
  await page.getByTestId('opt-patience').fill('0');
  await page.getByTestId('train').click();
  const status = page.getByTestId('train-status');
  await expect(status).toContainText(/epoch ([3-9]|\d\d+)\/500/, { timeout: 120_000 });
  console.log(`reloading during training: ${await status.textContent()}`);
  await page.reload();
  await page.getByRole('tab', { name: 'Fine-tune' }).click();
  const saved = page.getByTestId('saved-head');
  await expect(saved).toContainText(/validation AUC 0\.\d{3}/, { timeout: 60_000 });
  console.log(`after reload: ${await saved.textContent()}`);
  // The Pair panel scores with it (not with the built-in head): the card reads a kinship
  // probability (or, for generated look-alike images, says they look like one person).
  await page.getByRole('tab', { name: 'Score a pair' }).click();
  await page.getByTestId('drop-a-input').setInputFiles(join(fixture.root, 'test', 'face01.jpg'));
  await page.getByTestId('drop-b-input').setInputFiles(join(fixture.root, 'test', 'face11.jpg'));
  await page.getByTestId('photo-a-faces-whole').click();
  await page.getByTestId('photo-b-faces-whole').click();
  await expect(page.getByTestId('result-face-descriptor')).toHaveAttribute(
    'data-mode',
    /^(kinship|same-person)$/,
    { timeout: 60_000 },
  );
  await expect(page.getByTestId('provenance-face-descriptor')).toContainText('Your head, trained');
});
