import { expect, openApp, test } from './fixtures';
import { dropFiles, samplePhoto } from './helpers';

test.describe('privacy, security and leaks', () => {
  test('the Content-Security-Policy blocks a request to another host', async ({ page, guards }) => {
    await openApp(page);
    const outcome = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        violations.push(e.violatedDirective),
      );
      try {
        await fetch('https://example.com/upload', { method: 'POST', body: 'secret' });
        return { fetched: true, violations };
      } catch {
        await new Promise((r) => setTimeout(r, 100));
        return { fetched: false, violations };
      }
    });
    expect(outcome.fetched).toBe(false);
    expect(outcome.violations).toContain('connect-src');
    // The browser logs the blocked request; that one console error is the expected outcome.
    expect(guards.consoleErrors.every((e) => e.includes('Content Security Policy'))).toBe(true);
    guards.consoleErrors.length = 0;
  });

  test('file names are shown as text, never as markup', async ({ page }) => {
    await openApp(page);
    const name = '<img src=x onerror="window.__pwned=1">.jpg';
    await dropFiles(page, page.getByTestId('drop-a'), [
      { name, mimeType: 'image/jpeg', buffer: Buffer.from('not a photo') },
    ]);
    await expect(page.getByTestId('photo-a-error')).toHaveText(
      `${name}: not an image (a text file)`,
      { timeout: 60_000 },
    );
    expect(
      await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
  });

  test('tensor memory stays flat over 100 pair scores', async ({ page }) => {
    // Four encoders score each pair: the descriptor, faceres, faceres-deep and their ensemble.
    test.setTimeout(480_000);
    await openApp(page);
    await page.getByTestId('drop-a-input').setInputFiles(samplePhoto(1));
    await expect(page.getByTestId('photo-a-face-count')).toHaveText('3', { timeout: 90_000 });
    await page.getByTestId('drop-b-input').setInputFiles(samplePhoto(4));
    await expect(page.getByTestId('photo-b-face-count')).toHaveText('4', { timeout: 90_000 });
    await expect(page.getByTestId('score-time')).toBeVisible({ timeout: 60_000 });
    // The built-in faceres models load in the background; count after their weights are in.
    await page.getByRole('tab', { name: 'Encoders' }).click();
    await expect(page.getByTestId('model-face-ensemble-state')).toHaveText('ready · built in', {
      timeout: 120_000,
    });
    await page.getByRole('tab', { name: 'Score a pair' }).click();
    await expect(page.getByTestId('result-face-ensemble')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText('Scoring…')).toHaveCount(0, { timeout: 60_000 });

    const tensors = async (): Promise<number> => {
      await page.getByRole('tab', { name: 'Backend' }).click();
      await page.getByTestId('refresh-memory').click();
      await expect(page.getByTestId('tensor-count')).not.toHaveText('—');
      const n = Number(await page.getByTestId('tensor-count').textContent());
      await page.getByRole('tab', { name: 'Score a pair' }).click();
      return n;
    };
    const before = await tensors();
    const faces = page.getByTestId('photo-b-faces').getByRole('radio');
    for (let i = 0; i < 100; i++) {
      await faces.nth(i % 4).click();
      await expect(
        page
          .getByTestId('photo-b-faces')
          .getByRole('radio')
          .nth(i % 4),
      ).toHaveAttribute('aria-checked', 'true');
      await expect(page.getByTestId('rescoring')).toHaveCount(0, { timeout: 30_000 });
    }
    const after = await tensors();
    expect(before).toBeGreaterThan(0);
    expect(after).toBe(before);
  });
});
