import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Download, Page } from '@playwright/test';
import { expect, openApp, test } from './fixtures';
import { makeFiwFolder } from './fiw-fixture';

/** Clicks Export head and saves its downloads under their suggested names; answers the paths. */
async function exportHeadFiles(page: Page): Promise<string[]> {
  const downloads: Download[] = [];
  const onDownload = (d: Download): number => downloads.push(d);
  page.on('download', onDownload);
  await page.getByTestId('export-head').click();
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(3);
  page.off('download', onDownload);
  const dir = mkdtempSync(join(tmpdir(), 'kinlens-head-download-'));
  return Promise.all(
    downloads.map(async (d) => {
      const path = join(dir, d.suggestedFilename());
      await d.saveAs(path);
      return path;
    }),
  );
}

/**
 * Loads a downloaded model with stock tfjs in a blank page, as a user of the export would:
 * tf.loadLayersModel(tf.io.browserFiles([model.json, weights])) from an <input type=file>.
 */
async function loadWithStockTfjs(page: Page, files: string[]) {
  const blank = await page.context().newPage();
  try {
    await blank.setContent('<input type="file" multiple>');
    await blank.addScriptTag({ path: 'node_modules/@tensorflow/tfjs/dist/tf.min.js' });
    await blank.locator('input').setInputFiles(files);
    return await blank.evaluate(async () => {
      const tf = (window as unknown as { tf: typeof import('@tensorflow/tfjs') }).tf;
      await tf.setBackend('cpu');
      const input = document.querySelector('input') as HTMLInputElement;
      const model = await tf.loadLayersModel(tf.io.browserFiles(Array.from(input.files ?? [])));
      const dim = model.inputs[0]?.shape[1] as number;
      const same = tf.ones([1, dim]);
      const p = (model.predict([same, same]) as import('@tensorflow/tfjs').Tensor).dataSync();
      return { inputs: model.inputs.length, dim, params: model.countParams(), p: p[0] as number };
    });
  } finally {
    await blank.close();
  }
}

test.describe('fine-tune', () => {
  test('import a FIW folder, encode, train to AUC > 0.8, survive a reload, write a submission, export a head that loads', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const fixture = makeFiwFolder(mkdtempSync(join(tmpdir(), 'kinlens-fiw-')), 'fiw-mini', {
      duplicatePhotos: 3,
    });
    await openApp(page);
    await page.getByRole('tab', { name: 'Fine-tune' }).click();

    await page.getByTestId('dataset-input').setInputFiles(fixture.root);
    const report = page.getByTestId('import-report');
    await expect(report).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('report-families')).toHaveText(String(fixture.families.length));
    await expect(page.getByTestId('report-members')).toHaveText(String(fixture.members));
    await expect(page.getByTestId('report-photos')).toHaveText(String(fixture.photos));
    await expect(page.getByTestId('report-kin-pairs')).toHaveText(String(fixture.kinPairs));
    await expect(page.getByTestId('report-pairs-without-photos')).toHaveText(
      String(fixture.pairsWithoutPhotos),
    );
    await expect(page.getByTestId('report-test-pairs')).toHaveText(String(fixture.testPairs));
    await expect(page.getByTestId('report-skipped')).toContainText('1 file skipped');

    await page.getByTestId('encode').click();
    const encoded = page.getByTestId('encode-result');
    await expect(encoded).toBeVisible({ timeout: 120_000 });
    const total = fixture.photos;
    await expect(encoded).toHaveAttribute('data-encoded', String(total));
    await expect(encoded).toContainText('3 identical files encoded once');

    await page.getByTestId('opt-epochs').fill('12');
    await page.getByTestId('train').click();
    await expect(page.getByTestId('chart-auc')).toBeVisible({ timeout: 60_000 });
    const auc = page.getByTestId('val-auc');
    await expect(auc).toBeVisible({ timeout: 120_000 });
    expect(Number(await auc.textContent())).toBeGreaterThan(0.8);
    await expect(page.getByTestId('chart-roc')).toBeVisible();

    // Reload: the head is still saved, and a second import encodes nothing (all cached).
    await page.reload();
    await expect(page.getByTestId('backend-badge')).toContainText('wasm', { timeout: 60_000 });
    await page.getByRole('tab', { name: 'Fine-tune' }).click();
    await expect(page.getByTestId('saved-head')).toBeVisible({ timeout: 60_000 });
    await page.getByTestId('dataset-input').setInputFiles(fixture.root);
    await expect(page.getByTestId('report-photos')).toHaveText(String(fixture.photos), {
      timeout: 60_000,
    });
    await page.getByTestId('encode').click();
    await expect(encoded).toHaveAttribute('data-from-cache', String(total), { timeout: 60_000 });
    await expect(encoded).toHaveAttribute('data-encoded', '0');

    const download = page.waitForEvent('download');
    await page.getByTestId('submission').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('submission.csv');
    const lines = readFileSync(await file.path(), 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('img_pair,is_related');
    expect(lines).toHaveLength(fixture.testPairs + 1);
    for (const line of lines.slice(1)) {
      const [pair, p] = line.split(',');
      expect(pair).toMatch(/^face\d+\.jpg-face\d+\.jpg$/);
      expect(Number(p)).toBeGreaterThanOrEqual(0);
      expect(Number(p)).toBeLessThanOrEqual(1);
    }
    // The test images were encoded for the submission (not with the training photos): every
    // pair has a real score, none the 0.5 of a pair without embeddings.
    expect(lines.slice(1).filter((l) => l.endsWith(',0.5'))).toEqual([]);

    // Export head: the files exactly as downloaded load with stock tfjs and import back.
    const saved = await exportHeadFiles(page);
    const byName = (suffix: string): string => saved.find((f) => f.endsWith(suffix)) as string;
    expect(saved.map((f) => f.split('/').pop()).sort()).toEqual([
      'face-descriptor-head.json',
      'face-descriptor-head.meta.json',
      'face-descriptor-head.weights.bin',
    ]);
    const modelJson = JSON.parse(readFileSync(byName('-head.json'), 'utf8')) as {
      weightsManifest: { paths: string[] }[];
    };
    expect(modelJson.weightsManifest.flatMap((g) => g.paths)).toEqual([
      'face-descriptor-head.weights.bin',
    ]);
    const stock = await loadWithStockTfjs(page, [byName('-head.json'), byName('.weights.bin')]);
    expect(stock).toMatchObject({ inputs: 2, dim: 128 });
    expect(stock.params).toBeGreaterThan(128 * 2);
    expect(stock.p).toBeGreaterThanOrEqual(0);
    expect(stock.p).toBeLessThanOrEqual(1);

    const meta = JSON.parse(readFileSync(byName('-head.meta.json'), 'utf8')) as {
      threshold: number;
    };
    await page.getByTestId('import-head-input').setInputFiles(saved);
    await expect(
      page.getByTestId('notice-success').filter({ hasText: 'Head imported' }),
    ).toContainText(
      `Head imported for face-descriptor (threshold ${(meta.threshold * 100).toFixed(0)}%)`,
      { timeout: 30_000 },
    );
  });
});
