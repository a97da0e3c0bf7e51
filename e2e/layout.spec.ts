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
      // The tab strip scrolls sideways on purpose; its buttons may sit past the edge.
      if (el.closest('[role="tablist"]')) continue;
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
