/**
 * Flip test-time augmentation as a user meets it: embed the mirrored images, train with
 * "Validate on mirrored photos too", and the Pair tab then scores each pair over the faces and
 * their mirror images too (as the head was validated), and says so.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFiwFolder } from './fiw-fixture';
import { expect, openApp, test } from './fixtures';
import { importFolder } from './helpers';

test('a head trained with flip TTA scores pairs with their mirror images too', async ({ page }) => {
  test.setTimeout(300_000);
  const fixture = makeFiwFolder(mkdtempSync(join(tmpdir(), 'kinlens-fiw-tta-')));
  await openApp(page);
  await importFolder(page, fixture);
  await page.getByLabel('Also embed mirrored images').check();
  await page.getByTestId('encode').click();
  await expect(page.getByTestId('encode-result')).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('opt-epochs').fill('4');
  await page.getByTestId('opt-flipTta').check();
  await page.getByTestId('train').click();
  await expect(page.getByTestId('val-auc')).toBeVisible({ timeout: 180_000 });

  await page.getByRole('tab', { name: 'Score a pair' }).click();
  await page.getByTestId('drop-a-input').setInputFiles(join(fixture.root, 'test', 'face01.jpg'));
  await page.getByTestId('drop-b-input').setInputFiles(join(fixture.root, 'test', 'face11.jpg'));
  await page.getByTestId('photo-a-faces-whole').click();
  await page.getByTestId('photo-b-faces-whole').click();
  const card = page.getByTestId('result-face-descriptor');
  await expect(card).toHaveAttribute('data-mode', /^(kinship|same-person)$/, { timeout: 60_000 });
  await expect(page.getByTestId('score-face-descriptor')).toContainText(
    'each face also mirrored, as the model was validated',
  );
  // Another encoder's card, without such a head, scores plainly and says nothing of mirrors.
  await expect(page.getByTestId('result-faceres')).toBeVisible();
  await expect(page.getByTestId('result-faceres')).not.toContainText('mirrored');
});
