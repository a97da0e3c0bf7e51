import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestWeightsFile } from '../cli/make-test-weights';
import { expect, openApp, test } from './fixtures';
import { makeFiwFolder } from './fiw-fixture';

test.describe('compare encoders', () => {
  test('built-in descriptor vs a random-weights ResNet50: both curves, both rows, honest numbers, exports', async ({
    page,
  }) => {
    test.setTimeout(480_000);
    const dir = mkdtempSync(join(tmpdir(), 'kinlens-compare-'));
    const fixture = makeFiwFolder(dir);
    const weights = join(dir, 'vggface-random.h5');
    await makeTestWeightsFile('vggface', weights);

    await openApp(page);
    await page.getByRole('tab', { name: 'Encoders' }).click();
    await page.getByTestId('weights-input').setInputFiles(weights);
    await expect(page.getByTestId('model-resnet50-vggface-state')).toHaveText('ready', {
      timeout: 120_000,
    });

    await page.getByRole('tab', { name: 'Fine-tune' }).click();
    await page.getByTestId('dataset-input').setInputFiles(fixture.root);
    await expect(page.getByTestId('report-photos')).toHaveText(String(fixture.photos), {
      timeout: 60_000,
    });
    await page.getByTestId('opt-epochs').fill('8');

    await page.getByRole('tab', { name: 'Compare' }).click();
    await expect(page.getByTestId('compare-face-descriptor')).toBeChecked();
    await expect(page.getByTestId('compare-resnet50-vggface')).toBeChecked();
    // Every available encoder is checked by default; this test compares these two only, so it
    // unchecks the built-ins that load in the background once they have appeared.
    for (const id of ['faceres', 'faceres-deep', 'face-ensemble']) {
      const box = page.getByTestId(`compare-${id}`);
      await expect(box).toBeChecked({ timeout: 120_000 });
      await box.uncheck();
    }
    const started = Date.now();
    await page.getByTestId('compare-run').click();
    await expect(page.getByTestId('compare-table')).toBeVisible({ timeout: 420_000 });
    console.log(`full comparison wall time: ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const auc = async (row: string): Promise<number> =>
      Number(await page.getByTestId(row).locator('td[data-auc]').getAttribute('data-auc'));
    const descriptorAuc = await auc('row-face-descriptor-head');
    const resnetAuc = await auc('row-resnet50-vggface-head');
    expect(descriptorAuc).toBeGreaterThan(0.8);
    // The table reports what was measured. (Random conv features still encode the colour layout
    // that the synthetic families differ in, so this ResNet is not at chance on this data.)
    expect(resnetAuc).toBeGreaterThanOrEqual(0);
    expect(resnetAuc).toBeLessThanOrEqual(1);
    const ci = await page
      .getByTestId('row-resnet50-vggface-head')
      .locator('td[data-auc]')
      .textContent();
    const [lo, hi] = (ci?.match(/\[([\d.]+), ([\d.]+)\]/) ?? []).slice(1).map(Number);
    expect(lo).toBeLessThanOrEqual(resnetAuc + 5e-4);
    expect(hi).toBeGreaterThanOrEqual(resnetAuc - 5e-4);
    expect(descriptorAuc).not.toBe(resnetAuc);
    await expect(page.getByTestId('row-face-descriptor-cosine')).toBeVisible();
    await expect(page.getByTestId('row-resnet50-vggface-cosine')).toBeVisible();
    // One curve per encoder plus the chance line in the legend.
    await expect(page.getByTestId('compare-roc').locator('.u-legend .u-series')).toHaveCount(4);
    await expect(page.getByTestId('disagreements').locator('li')).not.toHaveCount(0);

    const download = async (
      button: string,
    ): Promise<{ name: string; text: string; bytes: Buffer }> => {
      const pending = page.waitForEvent('download');
      await page.getByTestId(button).click();
      const d = await pending;
      const bytes = readFileSync(await d.path());
      return { name: d.suggestedFilename(), text: bytes.toString('utf8'), bytes };
    };
    const csv = await download('export-csv');
    expect(csv.name).toBe('kinlens-comparison.csv');
    const lines = csv.text.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]?.startsWith('face-descriptor,')).toBe(true);
    expect(Number(lines[1]?.split(',')[3])).toBeCloseTo(descriptorAuc, 5);

    const json = await download('export-json');
    const report = JSON.parse(json.text) as {
      format: string;
      settings: { split: unknown };
      results: unknown[];
    };
    expect(report.format).toBe('kinlens-comparison');
    expect(report.settings.split).toEqual({ kind: 'prefix', prefix: 'F09' });
    expect(report.results).toHaveLength(2);

    const png = await download('export-png');
    expect(png.name).toBe('kinlens-roc.png');
    expect(png.bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
  });
});
