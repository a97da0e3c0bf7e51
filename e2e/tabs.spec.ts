import type { Page } from '@playwright/test';
import { expect, openApp, test } from './fixtures';

const TAB_IDS: Record<string, string> = {
  'Score a pair': 'pair',
  'Fine-tune': 'finetune',
  Compare: 'compare',
  Encoders: 'models',
  Backend: 'backend',
};

/** The label of the focused element when it is a tab, and whether that tab is selected. */
async function focusedTab(page: Page): Promise<{ name: string; selected: string | null }> {
  return page.evaluate(() => {
    const el = document.activeElement;
    const isTab = el?.getAttribute('role') === 'tab';
    return {
      name: isTab ? (el?.textContent ?? '') : `not a tab: ${el?.tagName ?? 'nothing'}`,
      selected: el?.getAttribute('aria-selected') ?? null,
    };
  });
}

test.describe('tabs', () => {
  test('one tab stop; arrows (wrapping), Home and End move the focus and open the tab', async ({
    page,
  }) => {
    await openApp(page);
    // Roving tabindex: only the selected tab is in the tab order.
    const stops = await page
      .getByRole('tab')
      .evaluateAll((els) => els.map((el) => (el as HTMLElement).tabIndex));
    expect(stops).toEqual([0, -1, -1, -1, -1]);

    await page.getByRole('tab', { name: 'Score a pair' }).focus();
    const steps: Array<[string, string]> = [
      ['ArrowRight', 'Fine-tune'],
      ['ArrowRight', 'Compare'],
      ['ArrowLeft', 'Fine-tune'],
      ['End', 'Backend'],
      ['ArrowRight', 'Score a pair'], // wraps forward
      ['ArrowLeft', 'Backend'], // wraps back
      ['Home', 'Score a pair'],
    ];
    for (const [key, name] of steps) {
      await page.keyboard.press(key);
      expect(await focusedTab(page), `${key} → ${name}`).toEqual({ name, selected: 'true' });
      await expect(page.getByRole('tabpanel')).toHaveAttribute(
        'aria-labelledby',
        `tab-${TAB_IDS[name]}`,
      );
    }

    // Tab leaves the tab list for the panel instead of visiting every tab; Shift+Tab comes back
    // to the selected one.
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Fine-tune' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await page.keyboard.press('Tab');
    expect((await focusedTab(page)).name).toMatch(/^not a tab/);
    await page.keyboard.press('Shift+Tab');
    expect(await focusedTab(page)).toEqual({ name: 'Fine-tune', selected: 'true' });
  });
});
