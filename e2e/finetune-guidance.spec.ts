import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { makeFiwFolder } from './fiw-fixture';
import { expect, openApp, test } from './fixtures';
import { importFolder } from './helpers';

type ProgressLog = { __progressTexts: string[] };

/** Records every text the progress line shows, however briefly. */
async function recordProgressTexts(page: Page): Promise<void> {
  await page.evaluate(() => {
    const log = window as unknown as ProgressLog;
    log.__progressTexts = [];
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="progress-text"]')?.textContent ?? '';
      if (text && log.__progressTexts.at(-1) !== text) log.__progressTexts.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** The legend's rendered entries as "label" or "label: value" (cells that are not drawn drop out). */
function legendEntries(chart: Locator): Promise<string[]> {
  return chart.locator('.u-legend .u-series').evaluateAll((rows) => {
    const drawn = (el: Element | null): el is HTMLElement =>
      el !== null && el.getClientRects().length > 0;
    return rows.filter(drawn).map((row) => {
      const label = row.querySelector('.u-label')?.textContent ?? '';
      const cell = row.querySelector('.u-value');
      return drawn(cell) ? `${label}: ${cell.textContent ?? ''}` : label;
    });
  });
}

test.describe('fine-tune guidance', () => {
  test('disabled buttons say why, encoding shows its time left, legends show no placeholders', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const fixture = makeFiwFolder(mkdtempSync(join(tmpdir(), 'kinlens-guidance-')));
    await openApp(page);

    // Before anything: Compare and every Fine-tune step name the step that is missing.
    await page.getByRole('tab', { name: 'Compare' }).click();
    await expect(page.getByTestId('compare-run')).toBeDisabled();
    await expect(page.getByTestId('compare-run')).toHaveAccessibleDescription(
      'Import a dataset in the Fine-tune tab first',
    );
    await page.getByRole('tab', { name: 'Fine-tune' }).click();
    const reasons: Array<[string, string]> = [
      ['encode', 'Import a dataset first'],
      ['train', 'Encode the photos first'],
      ['export-head', 'Train a model first'],
    ];
    for (const [id, why] of reasons) {
      await expect(page.getByTestId(id), id).toBeDisabled();
      await expect(page.getByTestId(`${id}-why`), id).toHaveText(why);
      await expect(page.getByTestId(id), id).toHaveAccessibleDescription(why);
    }

    // The train section leads with what it does; the formula waits behind "How the model works".
    const how = page.getByTestId('how-it-works');
    await expect(how).not.toHaveAttribute('open');
    await expect(page.getByText(/Dense\(100, relu\)/)).toBeHidden();
    await how.locator('summary').click();
    await expect(how).toContainText('x₁⊙x₂ ‖ (x₁−x₂)²');
    await expect(how).toContainText('Dense(100, relu) → Dropout(0.01) → Dense(1, sigmoid)');
    await expect(page.getByTestId('split')).toContainText(
      'Hold out families whose id starts with F09 (the original recipe’s split)',
    );

    await importFolder(page, fixture);
    await expect(page.getByTestId('encode')).toBeEnabled();
    await expect(page.getByTestId('encode-why')).toHaveCount(0);
    await expect(page.getByTestId('train-why')).toHaveText('Encode the photos first');
    await expect(page.getByTestId('submission-why')).toHaveText('Train a model first');

    await recordProgressTexts(page);
    await page.getByTestId('encode').click();
    await expect(page.getByTestId('encode-result')).toBeVisible({ timeout: 120_000 });
    const texts = await page.evaluate(() => (window as unknown as ProgressLog).__progressTexts);
    console.log(`progress texts: ${texts.join(' | ')}`);
    const total = fixture.photos.toLocaleString('en-US');
    const withEta = new RegExp(
      `^[\\d,]+ / ${total} · [\\d.,]+ images/s · (a few seconds|about \\d+ (s|min)) left$`,
    );
    expect(
      texts.some((t) => withEta.test(t)),
      texts.join('\n'),
    ).toBe(true);
    await expect(page.getByTestId('train-why')).toHaveCount(0);

    await page.getByTestId('opt-epochs').fill('3');
    await page.getByTestId('train').click();
    await expect(page.getByTestId('val-auc')).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId('export-head-why')).toHaveCount(0);
    await expect(page.getByTestId('submission-why')).toHaveCount(0);

    // Legends off the chart: series names only, no "--" and no x entry.
    const loss = page.getByTestId('chart-loss');
    const roc = page.getByTestId('chart-roc');
    for (const chart of [loss, page.getByTestId('chart-auc'), roc]) {
      const text = (await legendEntries(chart)).join(' | ');
      expect(text).not.toContain('--');
      expect(text).not.toMatch(/epoch|false positive rate|:/i);
    }
    expect(await legendEntries(loss)).toEqual(['loss', 'train accuracy']);
    expect(await legendEntries(roc)).toEqual([
      expect.stringMatching(/^image pairs \(AUC [\d.]+\)$/),
      expect.stringMatching(/^member pairs \(AUC [\d.]+\)$/),
      'chance',
    ]);

    // Over the chart the values appear, and go again when the pointer leaves.
    const plot = loss.locator('.u-over');
    const box = await plot.boundingBox();
    if (!box) throw new Error('loss chart has no plot area');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect
      .poll(() => legendEntries(loss))
      .toEqual([
        'Epoch: 2',
        expect.stringMatching(/^loss: [\d.]+$/),
        expect.stringMatching(/^train accuracy: [\d.]+$/),
      ]);
    await page.mouse.move(0, 0);
    await expect.poll(() => legendEntries(loss)).toEqual(['loss', 'train accuracy']);

    // The axes are labelled (drawn on the canvas, and named for screen readers).
    await expect(roc.getByRole('img')).toHaveAccessibleName(
      'Validation ROC curve: True positive rate against False positive rate',
    );
    await expect(loss.getByRole('img')).toHaveAccessibleName(
      'Training loss and accuracy: Loss (left axis) and Train accuracy (right axis) against Epoch',
    );
  });
});
