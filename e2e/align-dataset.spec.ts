/**
 * "Detect and align faces" on a folder of face crops, as a user runs it: the crops are aligned
 * by their landmarks (no detector pass), a full-size photo in the folder goes to the detector,
 * a blank image is used whole, and the Encode result counts each with its reason.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { portrait } from './group-photo';
import { expect, openApp, test } from './fixtures';
import { samplePhoto } from './helpers';

const FACE_CROPS = 16;

/** 4 families × 2 members × 2 photos of 224² face crops, plus a photo and a blank image. */
function faceCropFolder(): { root: string; photos: number } {
  const root = join(mkdtempSync(join(tmpdir(), 'kinlens-align-')), 'crops');
  const rows = ['p1,p2'];
  for (let k = 0; k < FACE_CROPS; k++) {
    const family = `F000${Math.floor(k / 4) + 1}`;
    const member = `MID${(Math.floor(k / 2) % 2) + 1}`;
    const dir = join(root, 'train', family, member);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `P${k}.jpg`), portrait(k, 224));
    if (k % 4 === 0) rows.push(`${family}/MID1,${family}/MID2`);
  }
  copyFileSync(samplePhoto(1), join(root, 'train', 'F0001', 'MID1', 'group.jpg'));
  const blank = Buffer.alloc(224 * 224 * 4, 140);
  writeFileSync(
    join(root, 'train', 'F0002', 'MID1', 'blank.jpg'),
    jpeg.encode({ data: blank, width: 224, height: 224 }, 90).data,
  );
  writeFileSync(join(root, 'train_relationships.csv'), `${rows.join('\n')}\n`);
  return { root, photos: FACE_CROPS + 2 };
}

test('aligning a folder of face crops counts how each image was aligned', async ({ page }) => {
  test.setTimeout(240_000);
  const folder = faceCropFolder();
  await openApp(page);
  await page.getByRole('tab', { name: 'Fine-tune' }).click();
  await page.getByTestId('dataset-input').setInputFiles(folder.root);
  await expect(page.getByTestId('report-photos')).toHaveText(String(folder.photos), {
    timeout: 60_000,
  });
  await page.getByLabel(/Detect and align faces/).check();
  await page.getByTestId('encode').click();
  const result = page.getByTestId('encode-result');
  await expect(result).toBeVisible({ timeout: 180_000 });
  await expect(result).toHaveAttribute('data-encoded', String(folder.photos));

  const alignment = page.getByTestId('encode-alignment');
  await expect(alignment).toContainText(`Aligned ${folder.photos} images`);
  const count = async (name: string): Promise<number> =>
    Number(await alignment.getAttribute(`data-${name}`));
  const byLandmarks = await count('by-landmarks');
  const byDetector = await count('by-detector');
  const whole = await count('whole-image');
  expect(byLandmarks + byDetector + whole).toBe(folder.photos);
  // Every crop's eyes are found (most by landmarks); the photo takes the detector, the blank
  // image is used whole.
  expect(byLandmarks).toBeGreaterThanOrEqual(12);
  expect(whole).toBe(1);
  await alignment.getByText(/Why \d+ were not aligned by their landmarks/).click();
  await expect(alignment).toContainText(
    '1 × a photo larger than a face crop: used the face detector',
  );
  await expect(alignment).toContainText(/1 × image has almost no detail.*: used the whole image/);

  // Encoding again reads every aligned embedding from the cache.
  await page.getByTestId('encode').click();
  await expect(result).toHaveAttribute('data-from-cache', String(folder.photos), {
    timeout: 60_000,
  });
  await expect(alignment).toHaveCount(0);
});
