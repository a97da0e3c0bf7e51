import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeTestWeightsFile } from '../cli/make-test-weights';
import { makeFiwFolder } from './fiw-fixture';
import { expect, openApp, test } from './fixtures';
import { importFolder, samplePhoto } from './helpers';

/** A name with no spaces, as cameras, scrapers and exports write them: `n` characters long. */
function longName(n: number, ext: string): string {
  const stem = 'IMG_20240101_holiday_family_reunion_photo_'.repeat(Math.ceil(n / 42));
  return `${stem.slice(0, n - ext.length - 1)}.${ext}`;
}

// Names given as buffers can be ~300 characters; names on disk stop at 255 bytes (ext4).
const PHOTO_300 = longName(300, 'jpg');
const ON_DISK = longName(250, 'jpg');

/** The page never scrolls sideways, at a desktop and at a phone width. */
async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), {
        message: `${what} at ${width} px: page wider than the window by`,
      })
      .toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test.describe('long file names', () => {
  test('Pair: a 300-character photo name is truncated, with the full name in its title', async ({
    page,
  }) => {
    await openApp(page);
    await page.getByTestId('drop-a-input').setInputFiles({
      name: PHOTO_300,
      mimeType: 'image/jpeg',
      buffer: readFileSync(samplePhoto(1)),
    });
    await expect(page.getByTestId('photo-a-face-count')).toHaveText('3', { timeout: 90_000 });
    await expectNoSidewaysScroll(page, 'Pair with a long photo name');
    await expect(page.getByTestId('photo-a-name')).toHaveAttribute('title', PHOTO_300);

    // Not an image: the error names the file, and wraps instead of widening the page.
    await page.getByTestId('drop-b-input').setInputFiles({
      name: longName(300, 'png'),
      mimeType: 'image/png',
      buffer: Buffer.from('not an image at all'),
    });
    await expect(page.getByTestId('photo-b-error')).toContainText(longName(300, 'png'), {
      timeout: 60_000,
    });
    await expectNoSidewaysScroll(page, 'Pair with a long name in an error');
  });

  test('Fine-tune: long names in skipped files, CSV problems and missing test images', async ({
    page,
  }) => {
    // The dataset folder itself has a long name too (it heads every path in the report).
    const folder = longName(250, 'fiw');
    const fixture = makeFiwFolder(mkdtempSync(join(tmpdir(), 'kinlens-longnames-')), folder);
    const badId = longName(300, 'x');
    const missingTest = longName(300, 'jpg');
    const jpeg = readFileSync(join(fixture.root, 'train', 'F0001', 'MID1', 'P011_face1.jpg'));
    // A photo next to the member folders (skipped) and one inside one (imported).
    writeFileSync(join(fixture.root, 'train', 'F0001', ON_DISK), jpeg);
    mkdirSync(join(fixture.root, 'train', 'F0002', 'MID1'), { recursive: true });
    writeFileSync(join(fixture.root, 'train', 'F0002', 'MID1', ON_DISK), jpeg);
    const csv = join(fixture.root, 'train_relationships.csv');
    writeFileSync(csv, `${readFileSync(csv, 'utf8')}F0001/MID1,${badId}\r\n`);
    const submission = join(fixture.root, 'sample_submission.csv');
    writeFileSync(submission, `${readFileSync(submission, 'utf8')}face01.jpg-${missingTest},0\n`);

    await openApp(page);
    await importFolder(page, { ...fixture, photos: fixture.photos + 1 });
    const details = page.getByTestId('report-skipped');
    await details.locator('summary').click();
    await expect(details).toContainText(`"${badId}" is not a member id`);
    await expectNoSidewaysScroll(page, 'Fine-tune report with long names');
    // Nor does the list of problems scroll sideways inside its box.
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 });
      const list = details.locator('ul');
      await expect
        .poll(() => list.evaluate((el) => el.scrollWidth - el.clientWidth), {
          message: `report list at ${width} px: wider than its box by`,
        })
        .toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect(details.locator(`[title="${folder}/train/F0001/${ON_DISK}"]`)).toBeVisible();
    await expect(details.locator(`[title="${missingTest}"]`)).toBeVisible();
  });

  test('Encoders: a long weights file name, in the error, the notice and the card', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    await openApp(page);
    await page.getByRole('tab', { name: 'Encoders' }).click();
    const bad = longName(300, 'h5');
    await page.getByTestId('weights-input').setInputFiles({
      name: bad,
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('this is not an HDF5 file'),
    });
    await expect(page.getByTestId('install-error')).toContainText(bad, { timeout: 60_000 });
    await expectNoSidewaysScroll(page, 'Encoders with a long name in an error');

    const good = join(mkdtempSync(join(tmpdir(), 'kinlens-longweights-')), longName(250, 'h5'));
    await makeTestWeightsFile('vggface', good);
    await page.getByTestId('weights-input').setInputFiles(good);
    await expect(page.getByTestId('model-resnet50-vggface-state')).toHaveText('ready', {
      timeout: 180_000,
    });
    await expect(
      page.getByTestId('notice-success').filter({ hasText: longName(250, 'h5') }),
    ).toBeVisible();
    await expectNoSidewaysScroll(page, 'Encoders card and notice with a long name');
    await expect(page.getByTestId('model-resnet50-vggface-source')).toHaveAttribute(
      'title',
      longName(250, 'h5'),
    );
  });
});
