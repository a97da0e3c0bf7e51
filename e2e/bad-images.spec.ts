import { expect, openApp, test } from './fixtures';
import { badImageCases, cmykSample, exifRotatedSample } from './bad-corpus';
import { dropFiles, samplePhoto } from './helpers';

test.describe('bad and awkward photos', () => {
  test('each bad file gets a message naming it; the other photo and the page keep working', async ({
    page,
  }) => {
    await openApp(page);
    await page.getByTestId('drop-a-input').setInputFiles(samplePhoto(1));
    await expect(page.getByTestId('photo-a-face-count')).toHaveText('3', { timeout: 90_000 });

    const cases = badImageCases();
    for (const [k, c] of cases.entries()) {
      await dropFiles(page, page.getByTestId('drop-b'), [c.file]);
      if (c.message.source.startsWith('^No face found')) {
        // Decoded but face-less: the photo stays, with a note saying what to do.
        await expect(page.getByTestId('photo-b-note')).toHaveText(c.message, { timeout: 60_000 });
        if (k < cases.length - 1) await page.getByTestId('photo-b-remove').click();
      } else {
        await expect(page.getByTestId('photo-b-error')).toHaveText(c.message, {
          timeout: 60_000,
        });
        await expect(page.getByTestId('photo-b')).toHaveCount(0);
      }
      await expect(page.getByTestId('photo-a-face-count')).toHaveText('3');
    }
    // Images that decode but hold no face report what was done to them.
    await expect(page.getByTestId('photo-b-info')).toContainText('dot.png · 1×1 · 0 faces');
    await page.getByTestId('photo-b-faces-whole').click();
    const cosine = Number(
      await page.getByTestId('result-face-descriptor').getAttribute('data-cosine'),
    );
    expect(cosine).toBeGreaterThanOrEqual(-1);
    expect(cosine).toBeLessThanOrEqual(1);
  });

  test('16-bit and animated images are decoded and say so', async ({ page }) => {
    await openApp(page);
    const cases = badImageCases();
    for (const [k, [name, note]] of (
      [
        ['deep16.png', '16-bit image reduced to 8 bits'],
        ['anim.gif', 'animated image: the first frame is used'],
      ] as const
    ).entries()) {
      const c = cases.find((x) => x.file.name === name);
      if (!c) throw new Error(`missing case ${name}`);
      // The first photo is dropped, the second replaces it.
      await page
        .getByTestId(k === 0 ? 'drop-a-input' : 'photo-a-replace-input')
        .setInputFiles({ name, mimeType: c.file.mimeType, buffer: c.file.buffer });
      await expect(page.getByTestId('photo-a-info')).toContainText(note, { timeout: 60_000 });
    }
  });

  test('a CMYK JPEG is converted to RGB: same faces, same descriptor as the RGB original', async ({
    page,
  }) => {
    await openApp(page);
    await page.getByTestId('drop-a-input').setInputFiles(cmykSample());
    await expect(page.getByTestId('photo-a-info')).toContainText('print-cmyk.jpg · 1920×1280', {
      timeout: 90_000,
    });
    await expect(page.getByTestId('photo-a-info')).toContainText('CMYK JPEG converted to RGB');
    await expect(page.getByTestId('photo-a-face-count')).toHaveText('3');
    // The largest face of the RGB original on side B: inverted or mis-mixed colours would move
    // the descriptor far more than the JPEG re-encoding does.
    await page.getByTestId('drop-b-input').setInputFiles(samplePhoto(1));
    await expect(page.getByTestId('photo-b-face-count')).toHaveText('3', { timeout: 90_000 });
    const card = page.getByTestId('result-face-descriptor');
    await expect(card).toHaveAttribute('data-mode', 'same-person', { timeout: 60_000 });
    const score = Number(await card.getAttribute('data-cosine'));
    console.log(`CMYK vs RGB original, same face: cosine ${score.toFixed(4)}`);
    expect(score).toBeGreaterThan(0.98);
  });

  test('an EXIF-rotated photo is turned upright before faces are searched', async ({ page }) => {
    await openApp(page);
    const rotated = exifRotatedSample();
    await page.getByTestId('drop-a-input').setInputFiles(rotated);
    await expect(page.getByTestId('photo-a-info')).toContainText('rotated-exif6.jpg · 1920×1280', {
      timeout: 90_000,
    });
    await expect(page.getByTestId('photo-a-info')).toContainText('EXIF orientation 6 applied');
    await expect(page.getByTestId('photo-a-face-count')).toHaveText('3');
  });
});
