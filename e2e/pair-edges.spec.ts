import { readFileSync } from 'node:fs';
import { expect, openApp, test } from './fixtures';
import { samplePhoto } from './helpers';

/** Pastes an image file with a real ClipboardEvent on the page body (not on a drop zone). */
async function pasteImage(page: import('@playwright/test').Page, path: string): Promise<void> {
  const data = readFileSync(path).toString('base64');
  await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'pasted.jpg', { type: 'image/jpeg' }));
    document.body.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }),
    );
  }, data);
}

test.describe('Pair tab rough edges', () => {
  test('a click on a face box picks that face and opens no file chooser', async ({ page }) => {
    await openApp(page);
    await page.getByTestId('drop-a-input').setInputFiles(samplePhoto(1));
    await expect(page.getByTestId('photo-a-face-count')).toHaveText('3', { timeout: 90_000 });
    let choosers = 0;
    page.on('filechooser', () => choosers++);
    // sample1's third face (index 2) has its box at x 412–591, y 355–593 of 1920×1280.
    const canvas = page.getByTestId('photo-a').locator('canvas.photo-preview');
    const box = await canvas.boundingBox();
    if (!box) throw new Error('no preview');
    await canvas.click({
      position: { x: (500 / 1920) * box.width, y: (470 / 1280) * box.height },
    });
    await expect(page.getByTestId('photo-a-faces-face-2')).toHaveAttribute('aria-checked', 'true');
    await page.waitForTimeout(300);
    expect(choosers).toBe(0);
  });

  test('changing the face detector finds the faces of loaded photos again', async ({ page }) => {
    await openApp(page);
    await page.getByTestId('drop-a-input').setInputFiles(samplePhoto(4));
    await expect(page.getByTestId('photo-a-info')).toContainText('(SSD)', { timeout: 90_000 });
    await page.getByTestId('detector').selectOption('tiny');
    await expect(page.getByTestId('photo-a-info')).toContainText('(tiny detector)', {
      timeout: 60_000,
    });
  });

  test('photos can be replaced, removed and swapped; the drop zone stays', async ({ page }) => {
    await openApp(page);
    await page.getByTestId('drop-a-input').setInputFiles(samplePhoto(1));
    await page.getByTestId('drop-b-input').setInputFiles(samplePhoto(2));
    await expect(page.getByTestId('photo-b-info')).toContainText('sample2.jpg', {
      timeout: 90_000,
    });
    await expect(page.getByTestId('drop-a')).toContainText('Add more photos of Person A');
    await page.getByTestId('swap-sides').click();
    await expect(page.getByTestId('photo-a-info')).toContainText('sample2.jpg');
    await expect(page.getByTestId('photo-b-info')).toContainText('sample1.jpg');
    await page.getByTestId('photo-a-replace-input').setInputFiles(samplePhoto(3));
    await expect(page.getByTestId('photo-a-info')).toContainText('sample3.jpg', {
      timeout: 90_000,
    });
    await page.getByTestId('photo-a-remove').click();
    await expect(page.getByTestId('photo-a')).toHaveCount(0);
    await expect(page.getByTestId('drop-a')).toContainText('Drop photos of this person here');
  });

  test('paste anywhere on the tab goes to the first empty side', async ({ page }) => {
    await openApp(page);
    await pasteImage(page, samplePhoto(1));
    await expect(page.getByTestId('photo-a-face-count')).toHaveText('3', { timeout: 90_000 });
    await pasteImage(page, samplePhoto(4));
    await expect(page.getByTestId('photo-b-face-count')).toHaveText('4', { timeout: 90_000 });
    await expect(page.getByTestId('photo-a-info')).toContainText('pasted.jpg');
  });

  test('while a photo is analysed its card says so; a finished result never gets a second "Scoring…"', async ({
    page,
  }) => {
    await openApp(page);
    await page.getByTestId('drop-a-input').setInputFiles(samplePhoto(1));
    await expect(page.getByTestId('photo-a')).toContainText(
      /(Loading the face models to find faces in|Reading|Finding faces in|Cutting out the faces in) sample1\.jpg…/,
    );
    await expect(page.getByTestId('drop-a')).not.toContainText('Drop photos of this person here');
    await expect(page.getByText('Loading face models in')).toHaveCount(0);
    await page.getByTestId('drop-b-input').setInputFiles(samplePhoto(4));
    await expect(page.getByTestId('score-time')).toBeVisible({ timeout: 90_000 });
    await page.getByTestId('photo-b-faces-face-1').click();
    await expect(page.getByTestId('scoring')).toHaveCount(0);
    await expect(page.getByTestId('score-time')).toBeVisible({ timeout: 60_000 });
  });

  test('a 300-character file name wraps or truncates: no sideways scroll, full name on hover', async ({
    page,
  }) => {
    const name = `${'family_reunion_'.repeat(20)}.jpg`;
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width > 800 ? 800 : 844 });
      await openApp(page);
      await page
        .getByTestId('drop-a-input')
        .setInputFiles({ name, mimeType: 'image/jpeg', buffer: readFileSync(samplePhoto(1)) });
      await expect(page.getByTestId('photo-a-face-count')).toHaveText('3', { timeout: 90_000 });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow, `page wider than the ${width}px viewport`).toBeLessThanOrEqual(0);
      await expect(page.getByTestId('photo-a-info').locator('.file-name')).toHaveAttribute(
        'title',
        name,
      );
    }
  });
});
