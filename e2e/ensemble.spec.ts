/**
 * A head ensemble in the real app: three heads trained on rotating held-out family folds of a
 * generated FIW folder, the out-of-fold AUC and one row per head in the result, worker tensors
 * flat over a second run, the Pair tab scoring with the ensemble, and a reload mid-ensemble
 * keeping the finished ensemble saved.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeFiwFolder } from './fiw-fixture';
import { expect, openApp, test } from './fixtures';
import { importFolder } from './helpers';

/** The worker's live tensor count, read on the Backend tab. */
async function tensorCount(page: Page): Promise<number> {
  await page.getByRole('tab', { name: 'Backend' }).click();
  await page.getByTestId('refresh-memory').click();
  await expect(page.getByTestId('tensor-count')).not.toHaveText('—');
  const n = Number(await page.getByTestId('tensor-count').textContent());
  await page.getByRole('tab', { name: 'Fine-tune' }).click();
  return n;
}

async function trainAndWait(page: Page): Promise<void> {
  await page.getByTestId('train').click();
  await expect(page.getByTestId('train-status')).toContainText(
    /head [1-3] of 3 \(validation: family fold [1-3] of 3\) · /,
    {
      timeout: 60_000,
    },
  );
  await expect(page.getByTestId('val-auc')).toBeVisible({ timeout: 240_000 });
}

test('an ensemble of 3 heads: out-of-fold AUC, a row per head, flat tensors, the Pair tab scores with it, a reload mid-run keeps it', async ({
  page,
}) => {
  test.setTimeout(480_000);
  const fixture = makeFiwFolder(mkdtempSync(join(tmpdir(), 'kinlens-fiw-ensemble-')));
  await openApp(page);
  await importFolder(page, fixture);
  await page.getByTestId('encode').click();
  await expect(page.getByTestId('encode-result')).toBeVisible({ timeout: 120_000 });

  await page.getByTestId('opt-epochs').fill('8');
  // Keyboard only: focus the field by its label, replace the 1, and the split picker steps aside.
  const size = page.getByLabel(/^Ensemble: train N heads on rotating held-out families/);
  await size.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('3');
  await expect(size).toHaveValue('3');
  await expect(page.getByTestId('split')).toBeDisabled();
  await expect(page.getByTestId('split-by-ensemble')).toBeVisible();

  const before = await tensorCount(page);
  await trainAndWait(page);
  const summary = page.getByTestId('train-summary');
  await expect(summary).toContainText('Out-of-fold AUC (image pairs)');
  await expect(summary).toContainText('Out-of-fold AUC (member pairs)');
  const auc = Number(await page.getByTestId('val-auc').textContent());
  console.log(`ensemble of 3: out-of-fold image AUC ${auc}`);
  expect(auc).toBeGreaterThan(0.7);
  await expect(page.getByTestId('train-split')).toContainText(
    `3 heads, out-of-fold${fixture.families.length} of ${fixture.families.length} families, each held out by one head`,
  );
  const rows = page.getByTestId('ensemble-member');
  await expect(rows).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    await expect(rows.nth(i)).toContainText(`family fold ${i + 1} of 3`);
    expect(Number(await rows.nth(i).getByTestId('member-auc').textContent())).toBeGreaterThan(0);
  }
  await expect(page.getByTestId('chart-roc')).toBeVisible();

  // The ensemble's 4 weight tensors stay; a second ensemble replaces them, nothing else is left.
  const afterFirst = await tensorCount(page);
  expect(afterFirst).toBe(before + 4);
  await trainAndWait(page);
  expect(await tensorCount(page)).toBe(afterFirst);
  const savedAuc = await page.getByTestId('val-auc').textContent();

  // The Pair tab scores with the ensemble and says so.
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
  await expect(page.getByTestId('provenance-face-descriptor')).toContainText(
    new RegExp(
      `Your ensemble of 3 heads, trained .* on fiw-mini, out-of-fold AUC 0\\.\\d\\d over ${fixture.families.length} families`,
    ),
  );

  // A reload in the middle of another ensemble leaves the finished one saved, not a lone head.
  await page.getByRole('tab', { name: 'Fine-tune' }).click();
  await page.getByTestId('opt-epochs').fill('500');
  await page.getByTestId('opt-patience').fill('0');
  await page.getByTestId('train').click();
  await expect(page.getByTestId('train-status')).toContainText(/head 1 of 3 .*epoch [3-9]\//, {
    timeout: 60_000,
  });
  await page.reload();
  await page.getByRole('tab', { name: 'Fine-tune' }).click();
  await expect(page.getByTestId('saved-head')).toContainText(
    `A trained ensemble of 3 heads for this encoder is saved in this browser (out-of-fold AUC ${savedAuc}`,
    { timeout: 60_000 },
  );
});
