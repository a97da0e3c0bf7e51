import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeFiwFolder } from './fiw-fixture';
import { expect, openApp, test } from './fixtures';
import { importFolder } from './helpers';

const TABS = ['Score a pair', 'Fine-tune', 'Compare', 'Encoders', 'Backend'];

/** Elements that stick out past the right edge of the viewport (none on a good layout). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > window.innerWidth + 1) {
        out.push(
          `${el.tagName.toLowerCase()}.${String(el.className)} ends at ${Math.round(r.right)}`,
        );
      }
    }
    return out;
  });
}

test.describe('phone width (390 px)', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('every tab button is in view, with no cut-off label', async ({ page }) => {
    await openApp(page);
    for (const name of TABS) {
      const tab = page.getByRole('tab', { name });
      const box = await tab.boundingBox();
      expect(box, name).not.toBeNull();
      if (!box) continue;
      expect(box.x, `${name} starts in view`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${name} ends in view`).toBeLessThanOrEqual(390);
      // The whole label is drawn: the button is not narrower than its text.
      const clipped = await tab.evaluate((el) => el.scrollWidth > el.clientWidth);
      expect(clipped, `${name} label clipped`).toBe(false);
    }
    const strip = page.getByRole('tablist');
    expect(await strip.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  });

  test('no tab scrolls sideways, also with a dataset imported', async ({ page }) => {
    await openApp(page);
    for (const tab of TABS) {
      await page.getByRole('tab', { name: tab }).click();
      expect(await overflowing(page), tab).toEqual([]);
    }
    const fixture = makeFiwFolder(mkdtempSync(join(tmpdir(), 'kinlens-fiw-phone-')));
    await importFolder(page, fixture);
    expect(await overflowing(page), 'Fine-tune with a report').toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
  });
});
