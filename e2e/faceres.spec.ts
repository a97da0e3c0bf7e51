import { expect, openApp, test } from './fixtures';
import { samplePhoto } from './helpers';

const BUILT_INS = ['faceres', 'faceres-deep', 'face-ensemble'] as const;

async function score(page: import('@playwright/test').Page, id: string): Promise<number> {
  const card = page.getByTestId(`result-${id}`);
  await expect(card).toBeVisible({ timeout: 120_000 });
  return Number(await card.getAttribute('data-cosine'));
}

test.describe('built-in faceres encoders', () => {
  test('load in the background from our origin, are listed everywhere, and score a pair', async ({
    page,
    baseURL,
  }) => {
    test.setTimeout(300_000);
    const requested: string[] = [];
    page.context().on('request', (r) => requested.push(r.url()));
    await openApp(page);

    await page.getByRole('tab', { name: 'Encoders' }).click();
    for (const id of BUILT_INS) {
      await expect(page.getByTestId(`model-${id}`)).toBeVisible();
      await expect(page.getByTestId(`model-${id}-state`)).toHaveText('ready · built in', {
        timeout: 120_000,
      });
    }
    await expect(page.getByTestId('model-faceres')).toContainText('1024-d');
    await expect(page.getByTestId('model-faceres')).toContainText('MIT');
    await expect(page.getByTestId('model-face-ensemble')).toContainText('2176-d');
    await expect(page.getByTestId('model-faceres-loaded')).toContainText('7.1 MB from this site');
    await expect(page.getByTestId('model-faceres-deep-loaded')).toContainText('14.0 MB');
    for (const id of ['faceres', 'faceres-deep'])
      console.log(`${id}: ${await page.getByTestId(`model-${id}-loaded`).textContent()}`);

    // Exactly the four model files, from this origin (the guards also fail on any other host).
    const human = requested.filter((u) => u.includes('/models/human/'));
    const origin = new URL(baseURL ?? '').origin;
    expect(human.every((u) => new URL(u).origin === origin)).toBe(true);
    expect(human.map((u) => new URL(u).pathname.split('/').pop()).sort()).toEqual([
      'faceres-deep.bin',
      'faceres-deep.json',
      'faceres.bin',
      'faceres.json',
    ]);

    // Same face on both sides: every encoder sees identical crops, cosine 1.
    await page.getByRole('tab', { name: 'Score a pair' }).click();
    await page.getByTestId('drop-a-input').setInputFiles(samplePhoto(1));
    await expect(page.getByTestId('photo-a-face-count')).toHaveText('3', { timeout: 90_000 });
    await page.getByTestId('drop-b-input').setInputFiles(samplePhoto(1));
    await expect(page.getByTestId('photo-b-face-count')).toHaveText('3', { timeout: 90_000 });
    await expect(page.getByTestId('score-time')).toBeVisible({ timeout: 120_000 });
    for (const id of ['face-descriptor', ...BUILT_INS]) {
      expect(await score(page, id)).toBeCloseTo(1, 4);
    }

    // Another photo: finite similarities, and the ensemble's cosine is the mean of its three
    // unit-length parts' cosines.
    await page.getByTestId('photo-b-replace-input').setInputFiles(samplePhoto(2));
    await expect(page.getByTestId('photo-b-info')).toContainText('sample2.jpg', {
      timeout: 90_000,
    });
    await expect.poll(() => score(page, 'face-ensemble'), { timeout: 120_000 }).toBeLessThan(0.999);
    const s = Object.fromEntries(
      await Promise.all(
        ['face-descriptor', ...BUILT_INS].map(async (id) => [id, await score(page, id)] as const),
      ),
    );
    for (const v of Object.values(s)) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(-1);
      expect(v).toBeLessThanOrEqual(1);
    }
    const mean = ((s['face-descriptor'] ?? 0) + (s.faceres ?? 0) + (s['faceres-deep'] ?? 0)) / 3;
    expect(s['face-ensemble']).toBeCloseTo(mean, 3);
    // No kinship head ships for faceres: the card says so and shows the similarity small.
    await expect(page.getByTestId('result-faceres')).toHaveAttribute('data-mode', 'no-head');

    // Selectable for fine-tuning and comparing.
    await page.getByRole('tab', { name: 'Fine-tune' }).click();
    const options = page.getByTestId('train-encoder').locator('option');
    await expect(options).toContainText([
      /Face descriptor/,
      /FaceRes \(/,
      /FaceRes deep/,
      /Face ensemble.*2176-d/,
    ]);
    await page.getByRole('tab', { name: 'Compare' }).click();
    for (const id of BUILT_INS) await expect(page.getByTestId(`compare-${id}`)).toBeVisible();
  });
});
