import { PNG } from 'pngjs';
import { expect, openApp, test } from './fixtures';
import { dropFiles, fileFromDisk, samplePhoto } from './helpers';

/** A smooth colour gradient: an image with no face in it. */
function facelessPng(): Buffer {
  const png = new PNG({ width: 320, height: 240 });
  for (let y = 0; y < 240; y++) {
    for (let x = 0; x < 320; x++) {
      const i = (y * 320 + x) * 4;
      png.data[i] = x % 256;
      png.data[i + 1] = y % 256;
      png.data[i + 2] = 128;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

async function cosineOf(page: import('@playwright/test').Page): Promise<number> {
  const card = page.getByTestId('result-face-descriptor');
  await expect(card).toBeVisible({ timeout: 60_000 });
  return Number(await card.getAttribute('data-cosine'));
}

test.describe('score a pair', () => {
  test('the detector finds the face counts of the face-api sample photos (3, 3, 3, 4, 5, 4)', async ({
    page,
  }) => {
    await openApp(page);
    const expected = [3, 3, 3, 4, 5, 4];
    for (const [i, count] of expected.entries()) {
      // The first photo is dropped; each next one replaces it.
      await page
        .getByTestId(i === 0 ? 'drop-a-input' : 'photo-a-replace-input')
        .setInputFiles(samplePhoto(i + 1));
      await expect(page.getByTestId('photo-a-info')).toContainText(`sample${i + 1}.jpg`, {
        timeout: 90_000,
      });
      await expect(page.getByTestId('photo-a-face-count')).toHaveText(String(count));
      await expect(page.getByTestId('photo-a-faces').getByRole('radio')).toHaveCount(count + 1);
    }
    await expect(page.getByTestId('side-a-count')).toHaveText('· 1 photo');
  });

  test('drag two photos in, pick faces; the same face beats a different person', async ({
    page,
  }) => {
    await openApp(page);
    await dropFiles(page, page.getByTestId('drop-a'), [fileFromDisk(samplePhoto(1))]);
    await expect(page.getByTestId('photo-a-face-count')).toHaveText('3', { timeout: 90_000 });
    await dropFiles(page, page.getByTestId('drop-b'), [fileFromDisk(samplePhoto(1))]);
    await expect(page.getByTestId('photo-b-face-count')).toHaveText('3', { timeout: 90_000 });

    // Same photo, same (largest) face on both sides: similarity ~1, flagged as one person.
    const card = page.getByTestId('result-face-descriptor');
    await expect(card).toHaveAttribute('data-mode', 'same-person', { timeout: 60_000 });
    const same = await cosineOf(page);
    expect(same).toBeGreaterThan(0.99);
    expect(same).toBeLessThanOrEqual(1.0001);

    // A different person on side B: a kinship reading.
    await page.getByTestId('photo-b-faces-face-1').click();
    await expect(card).toHaveAttribute('data-mode', 'kinship', { timeout: 60_000 });
    const different = await cosineOf(page);
    expect(different).toBeGreaterThanOrEqual(-1);
    expect(different).toBeLessThan(same - 0.02);

    // Another photo on side B, face picked from its thumbnails; test-time augmentation on.
    await page.getByTestId('photo-b-replace-input').setInputFiles(samplePhoto(2));
    await expect(page.getByTestId('photo-b-info')).toContainText('sample2.jpg', {
      timeout: 90_000,
    });
    await page.getByTestId('photo-b-faces-face-2').click();
    await page.getByTestId('tta').check();
    await expect(page.getByTestId('score-time')).toBeVisible({ timeout: 60_000 });
    const other = await cosineOf(page);
    expect(other).toBeGreaterThanOrEqual(-1);
    expect(other).toBeLessThanOrEqual(1);
  });

  test('a non-image file and a face-less image each get a clear message; the other side keeps its photo', async ({
    page,
  }) => {
    await openApp(page);
    await page.getByTestId('drop-a-input').setInputFiles(samplePhoto(3));
    await expect(page.getByTestId('photo-a-face-count')).toHaveText('3', { timeout: 90_000 });

    await dropFiles(page, page.getByTestId('drop-b'), [
      {
        name: 'notes.jpg',
        mimeType: 'image/jpeg',
        buffer: Buffer.from('these are my notes, not a photo\n'),
      },
    ]);
    await expect(page.getByTestId('photo-b-error')).toHaveText(
      'notes.jpg: not an image (a text file)',
      { timeout: 60_000 },
    );
    await expect(page.getByTestId('photo-a-face-count')).toHaveText('3');

    await page
      .getByTestId('drop-b-input')
      .setInputFiles({ name: 'gradient.png', mimeType: 'image/png', buffer: facelessPng() });
    await expect(page.getByTestId('photo-b-note')).toContainText('No face found in gradient.png', {
      timeout: 60_000,
    });
    await expect(page.getByTestId('photo-b-error')).toHaveCount(0);
    await expect(page.getByTestId('photo-a-face-count')).toHaveText('3');
    await expect(page.getByTestId('result-cards')).toHaveCount(0);

    await page.getByTestId('photo-b-faces-whole').click();
    const score = await cosineOf(page);
    expect(score).toBeGreaterThanOrEqual(-1);
    expect(score).toBeLessThanOrEqual(1);
  });
});
