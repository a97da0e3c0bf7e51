import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, openApp, test } from './fixtures';
import { samplePhoto } from './helpers';

const BUILT_IN =
  'Built-in kinship model (trained on Families in the Wild, validation AUC 0.80 on 50 held-out families)';
const HEAD_DIR = 'public/models/heads/face-descriptor';

/** Two photos of different people: sample1's second face against sample4's largest. */
async function twoStrangers(page: Page): Promise<void> {
  await page.getByTestId('drop-a-input').setInputFiles(samplePhoto(1));
  await expect(page.getByTestId('photo-a-face-count')).toHaveText('3', { timeout: 90_000 });
  await page.getByTestId('photo-a-faces-face-1').click();
  await page.getByTestId('drop-b-input').setInputFiles(samplePhoto(4));
  await expect(page.getByTestId('photo-b-face-count')).toHaveText('4', { timeout: 90_000 });
}

/** The shipped head's files as a user's export: same weights, the user's own meta. */
function userHeadFiles() {
  const meta = JSON.parse(readFileSync(`${HEAD_DIR}/meta.json`, 'utf8')) as Record<string, unknown>;
  const validation = meta.validation as Record<string, unknown>;
  const mine = {
    ...meta,
    createdAt: '2026-11-30T10:00:00.000Z',
    dataset: { name: 'my-family-photos', families: 35, photos: 900 },
    validation: { ...validation, memberAuc: 0.912, families: 7 },
  };
  return [
    {
      name: 'model.json',
      mimeType: 'application/json',
      buffer: readFileSync(`${HEAD_DIR}/model.json`),
    },
    {
      name: 'weights.bin',
      mimeType: 'application/octet-stream',
      buffer: readFileSync(`${HEAD_DIR}/weights.bin`),
    },
    { name: 'meta.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(mine)) },
  ];
}

test.describe('kinship out of the box', () => {
  test('a fresh profile gets a kinship probability with a band and the built-in provenance', async ({
    page,
  }) => {
    await openApp(page);
    await twoStrangers(page);
    const card = page.getByTestId('result-face-descriptor');
    await expect(card).toHaveAttribute('data-mode', 'kinship', { timeout: 60_000 });
    const p = Number(await card.getAttribute('data-score'));
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
    await expect(page.getByTestId('score-face-descriptor')).toContainText(
      `${Math.round(p * 100)} %`,
    );
    await expect(page.getByTestId('band-face-descriptor')).toHaveText(
      /^(Likely related|Can't tell|Unlikely to be related)$/,
    );
    await expect(page.getByTestId('placement-face-descriptor')).toHaveText(
      /^Higher than about \d+ % of unrelated photo pairs and \d+ % of related photo pairs among the 50 held-out families\.$/,
    );
    await expect(page.getByTestId('provenance-face-descriptor')).toHaveText(BUILT_IN);
    await expect(card).toContainText('Not a DNA test');
    await expect(card.getByTestId('distribution-strip')).toBeVisible();
    await expect(page.getByTestId('similarity-face-descriptor')).toContainText(
      'Face similarity 0.',
    );
  });

  test('the same photo on both sides says "same person" instead of a verdict', async ({ page }) => {
    await openApp(page);
    await page.getByTestId('drop-a-input').setInputFiles(samplePhoto(2));
    await page.getByTestId('drop-b-input').setInputFiles(samplePhoto(2));
    await expect(page.getByTestId('photo-b-face-count')).toHaveText('3', { timeout: 90_000 });
    const card = page.getByTestId('result-face-descriptor');
    await expect(card).toHaveAttribute('data-mode', 'same-person', { timeout: 60_000 });
    await expect(page.getByTestId('same-person-face-descriptor')).toHaveText(
      'These look like the same person (similarity 1.00) — kinship can’t be judged from two photos of one person.',
    );
    await expect(page.getByTestId('score-face-descriptor')).toContainText('(not a verdict)');
    await expect(page.getByTestId('band-face-descriptor')).toHaveCount(0);
  });

  test('an imported head takes over; "Use the built-in model again" switches back; reloads keep the choice', async ({
    page,
  }) => {
    await openApp(page);
    await page.getByRole('tab', { name: 'Fine-tune' }).click();
    await page.getByTestId('import-head-input').setInputFiles(userHeadFiles());
    await expect(page.getByTestId('notice-success')).toContainText('Head imported', {
      timeout: 30_000,
    });
    await page.getByRole('tab', { name: 'Score a pair' }).click();
    await twoStrangers(page);
    const provenance = page.getByTestId('provenance-face-descriptor');
    const mine =
      'Your head, trained 30 Nov 2026 on my-family-photos, validation AUC 0.91 on 7 held-out families';
    await expect(provenance).toContainText(mine, { timeout: 60_000 });

    await page.getByTestId('use-built-in-face-descriptor').click();
    await expect(provenance).toContainText(BUILT_IN);
    await expect(page.getByTestId('use-user-face-descriptor')).toBeVisible();

    await page.reload();
    await expect(page.getByTestId('backend-badge')).toContainText('Compute: wasm', {
      timeout: 60_000,
    });
    await twoStrangers(page);
    await expect(provenance).toContainText(BUILT_IN, { timeout: 60_000 });
    await page.getByTestId('use-user-face-descriptor').click();
    await expect(provenance).toContainText(mine);

    await page.reload();
    await twoStrangers(page);
    await expect(provenance).toContainText(mine, { timeout: 60_000 });

    // The Encoders tab lists the built-in head with its card, and the same switch.
    await page.getByRole('tab', { name: 'Encoders' }).click();
    const builtIn = page.getByTestId('builtin-head-face-descriptor');
    await expect(builtIn).toContainText('Your own head for this encoder is in use.');
    await builtIn.getByText('Model card: data, recipe, known limits').click();
    await expect(page.getByTestId('model-card-face-descriptor')).toContainText(
      'research and non-commercial (educational) use only',
    );
    await expect(page.getByTestId('model-card-face-descriptor').locator('table')).toContainText(
      '0.801',
    );
  });

  test('a broken built-in head gives a notice and the similarity fallback, never a blank card', async ({
    page,
    guards,
  }) => {
    await page.route('**/models/heads/face-descriptor/weights.bin', (route) =>
      route.fulfill({ status: 200, body: Buffer.alloc(10) }),
    );
    await openApp(page);
    await expect(page.getByTestId('notice-warning')).toContainText(
      'The built-in kinship model could not be loaded (models/heads/face-descriptor/model.json: could not load the head model',
      { timeout: 60_000 },
    );
    await twoStrangers(page);
    const card = page.getByTestId('result-face-descriptor');
    await expect(card).toHaveAttribute('data-mode', 'no-head', { timeout: 60_000 });
    await expect(page.getByTestId('no-head-face-descriptor')).toHaveText(
      'No kinship model for this encoder yet — train one in Fine-tune',
    );
    await expect(page.getByTestId('similarity-face-descriptor')).toContainText('Face similarity');
    await page.getByRole('tab', { name: 'Encoders' }).click();
    await expect(page.getByTestId('builtin-head-face-descriptor')).toContainText('could not load');
    // Only the expected failure may have been logged.
    expect(guards.consoleErrors.filter((e) => !/multiple of 4/.test(e))).toEqual([]);
    guards.consoleErrors.length = 0;
  });

  test('a missing built-in head says so too', async ({ page, guards }) => {
    await page.route('**/models/heads/face-descriptor/meta.json', (route) =>
      route.fulfill({ status: 404, body: '' }),
    );
    await openApp(page);
    await expect(page.getByTestId('notice-warning')).toContainText(
      'models/heads/face-descriptor/meta.json: is missing (HTTP 404)',
      { timeout: 60_000 },
    );
    // The browser logs the 404 itself.
    expect(guards.consoleErrors.filter((e) => !/404/.test(e))).toEqual([]);
    guards.consoleErrors.length = 0;
  });
});
