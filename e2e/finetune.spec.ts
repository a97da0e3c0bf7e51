import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, openApp, test } from './fixtures';
import { makeFiwFolder } from './fiw-fixture';

test.describe('fine-tune', () => {
  test('import a FIW folder, encode, train to AUC > 0.8, survive a reload, write a submission', async ({
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
  });
});
