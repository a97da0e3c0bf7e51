import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { expect, openApp, test } from './fixtures';

function photo(seed: number): Buffer {
  const data = Buffer.alloc(32 * 32 * 4, seed % 256);
  return Buffer.from(jpeg.encode({ data, width: 32, height: 32 }, 80).data);
}

function writeTree(root: string, files: Record<string, Buffer | string>): string {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

function families(count: number, first = 1, members = 2, photos = 1): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (let f = first; f < first + count; f++) {
    for (let m = 1; m <= members; m++) {
      for (let p = 1; p <= photos; p++)
        out[`train/F${String(f).padStart(4, '0')}/MID${m}/P${f}${m}${p}_face0.jpg`] = photo(
          f * 10 + m,
        );
    }
  }
  return out;
}

test.describe('bad datasets', () => {
  test('unusable folders are refused with a message saying what was expected', async ({ page }) => {
    const base = mkdtempSync(join(tmpdir(), 'kinlens-baddata-'));
    const cases: Array<{ name: string; files: Record<string, Buffer | string>; message: RegExp }> =
      [
        { name: 'no-csv', files: families(3), message: /train_relationships\.csv not found/ },
        {
          name: 'empty-csv',
          files: { ...families(3), 'train_relationships.csv': '' },
          message: /train_relationships\.csv.*(empty|no rows|header)/i,
        },
        {
          name: 'no-train',
          files: {
            'train_relationships.csv': 'p1,p2\nF0001/MID1,F0001/MID2\n',
            'readme.txt': 'hi',
          },
          message: /No family photos found/,
        },
        {
          // The only row opens a quote that never closes: said, with its line, not "0 pairs".
          name: 'unclosed-quote-only-row',
          files: { ...families(3), 'train_relationships.csv': 'p1,p2\n"F0001/MID1,F0001/MID2\n' },
          message:
            /\/train_relationships\.csv: no usable kin pair row\. Line 2: a quote \("\) opens here and never closes/,
        },
        {
          name: 'no-usable-pair',
          files: { ...families(3), 'train_relationships.csv': 'p1,p2\nF0900/MID1,F0900/MID2\n' },
          message: /none of the 1 kin pairs/,
        },
      ];
    await openApp(page);
    await page.getByRole('tab', { name: 'Fine-tune' }).click();
    for (const c of cases) {
      const dir = writeTree(join(base, c.name), c.files);
      await page.getByTestId('dataset-input').setInputFiles(dir);
      const error = page.getByTestId('dataset-error');
      await expect(error, c.name).toHaveText(c.message, { timeout: 30_000 });
      console.log(`${c.name}: ${await error.textContent()}`);
    }
  });

  test('a messy but usable folder imports, and the report lists every problem', async ({
    page,
  }) => {
    const base = mkdtempSync(join(tmpdir(), 'kinlens-messy-'));
    const csv = [
      'p1,p2,relationship',
      'F0001/MID1,F0001/MID2,fs', // fine
      'F0001/MID2,F0001/MID1,sf', // reversed duplicate
      'F0001/MID1,F0001/MID2,fs', // exact duplicate
      'F0002\\MID1,F0002\\MID2', // backslashes, no third column
      'F0003/MID1', // one column
      'F0003/MID1,F0003/MID7', // member without photos
    ];
    const files: Record<string, Buffer | string> = {
      ...families(3),
      ...families(50, 100), // 50 families that no CSV row mentions
      'train/F0001/MID1/Ünïcode photo 2.jpg': photo(200),
      'train/F0060/MID1/notes.txt': 'not a photo', // a family folder without photos
      'train/F0002/MID1/.DS_Store': 'junk',
      'train_relationships.csv': `\ufeff${csv.join('\r\n')}\r\n`,
    };
    // People zip a parent folder: the dataset sits two levels down.
    const dir = writeTree(join(base, 'download', 'recognizing-faces-in-the-wild'), files);
    await openApp(page);
    await page.getByRole('tab', { name: 'Fine-tune' }).click();
    await page.getByTestId('dataset-input').setInputFiles(join(base, 'download'));
    await expect(page.getByTestId('import-report')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('report-families')).toHaveText('53');
    await expect(page.getByTestId('report-members')).toHaveText('106');
    await expect(page.getByTestId('report-photos')).toHaveText('107');
    await expect(page.getByTestId('report-kin-pairs')).toHaveText('2');
    await expect(page.getByTestId('report-pairs-without-photos')).toHaveText('1');
    const details = page.getByTestId('report-skipped');
    await details.locator('summary').click();
    console.log(await details.textContent());
    await expect(details).toContainText('not an image');
    await expect(details).toContainText(/line 3.*(duplicate|repeats)/i);
    await expect(details).toContainText(/line 6/);
    await expect(details).toContainText('F0003/MID7');
    void dir;
  });

  test('a quote that never closes on line 2 is named, and the rows after it still count', async ({
    page,
  }) => {
    const base = mkdtempSync(join(tmpdir(), 'kinlens-quote-'));
    const csv = [
      'p1,p2',
      '"F0001/MID1,F0001/MID2', // the quote opens and never closes
      'F0002/MID1,F0002/MID2',
      'F0003/MID1,F0003/MID2',
    ].join('\n');
    const dir = writeTree(join(base, 'quoted'), {
      ...families(3),
      'train_relationships.csv': `${csv}\n`,
    });
    await openApp(page);
    await page.getByRole('tab', { name: 'Fine-tune' }).click();
    await page.getByTestId('dataset-input').setInputFiles(dir);
    await expect(page.getByTestId('report-unclosed-quote')).toHaveText(
      'quoted/train_relationships.csv line 2: a quote (") opens here and never closes, so ' +
        'every later line would be read as part of this value. This line was skipped; the ' +
        'lines after it were read as usual.',
      { timeout: 30_000 },
    );
    await expect(page.getByTestId('report-kin-pairs')).toHaveText('2');
    await expect(page.getByTestId('dataset-error')).toHaveCount(0);
  });
});
