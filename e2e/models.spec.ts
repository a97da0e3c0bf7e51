import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestWeightsFile } from '../cli/make-test-weights';
import { expect, openApp, test } from './fixtures';
import { samplePhoto } from './helpers';

test.describe('encoders', () => {
  test('a dropped full-size VGGFace2 .h5 installs, survives a reload, and scores a pair', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const file = join(
      mkdtempSync(join(tmpdir(), 'kinlens-weights-')),
      'rcmalli_vggface_tf_notop_resnet50.h5',
    );
    const bytes = await makeTestWeightsFile('vggface', file);
    expect(bytes).toBeGreaterThan(94_000_000);

    await openApp(page);
    await page.getByRole('tab', { name: 'Encoders' }).click();
    await expect(page.getByTestId('model-resnet50-vggface-state')).toHaveText('not installed', {
      timeout: 60_000,
    });
    await page.getByTestId('weights-input').setInputFiles(file);
    await expect(page.getByTestId('model-resnet50-vggface-state')).toHaveText('ready', {
      timeout: 120_000,
    });
    await expect(page.getByTestId('model-resnet50-vggface-params')).toHaveText('23,561,152');
    await expect(page.getByTestId('model-resnet50-vggface-variant')).toContainText('VGGFace2');
    await expect(page.getByTestId('model-resnet50-imagenet-state')).toHaveText('not installed');

    await page.reload();
    await page.getByRole('tab', { name: 'Encoders' }).click();
    await expect(page.getByTestId('model-resnet50-vggface-state')).toHaveText('ready', {
      timeout: 120_000,
    });

    await page.getByRole('tab', { name: 'Score a pair' }).click();
    await page.getByTestId('drop-a-input').setInputFiles(samplePhoto(1));
    await expect(page.getByTestId('photo-a-face-count')).toHaveText('3', { timeout: 90_000 });
    await page.getByTestId('drop-b-input').setInputFiles(samplePhoto(1));
    await expect(page.getByTestId('photo-b-face-count')).toHaveText('3', { timeout: 90_000 });
    const resnet = page.getByTestId('result-resnet50-vggface');
    await expect(resnet).toBeVisible({ timeout: 90_000 });
    await expect(page.getByTestId('result-face-descriptor')).toBeVisible();
    // Same face on both sides: identical embeddings, cosine 1, whatever the weights.
    expect(Number(await resnet.getAttribute('data-score'))).toBeCloseTo(1, 4);

    // Removing it takes its card away and keeps the built-in encoder.
    await page.getByRole('tab', { name: 'Encoders' }).click();
    await page.getByTestId('model-resnet50-vggface-remove').click();
    await expect(page.getByTestId('model-resnet50-vggface-state')).toHaveText('not installed');
    await page.getByRole('tab', { name: 'Score a pair' }).click();
    await expect(page.getByTestId('result-resnet50-vggface')).toHaveCount(0, { timeout: 60_000 });
    // Also once every encoder has scored (the descriptor card comes first, on its own).
    await expect(page.getByTestId('score-time')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('result-resnet50-vggface')).toHaveCount(0);
    await expect(page.getByTestId('result-face-descriptor')).toBeVisible();
  });
});
