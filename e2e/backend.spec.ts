import { expect, openApp, test } from './fixtures';

test.describe('compute backend', () => {
  test('loads with zero console errors, cross-origin isolated, and auto picks wasm over software WebGPU', async ({
    page,
  }) => {
    await openApp(page);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

    await page.getByRole('tab', { name: 'Backend' }).click();
    await expect(page.getByTestId('backend-active')).toHaveText('wasm');
    // This machine has only SwiftShader: the adapter is visible but must not be chosen.
    await expect(page.getByTestId('backend-webgpu')).toContainText(/swiftshader/i);
    await expect(page.getByTestId('backend-reason')).toContainText(/no hardware GPU/);
    await expect(page.getByTestId('backend-isolated')).toHaveText('yes');
    await expect(page.getByTestId('backend-wasm-simd')).toHaveText('yes');
    // The timed self-check only considers real candidates: here just wasm (software GPUs excluded).
    await expect(page.getByTestId('backend-self-check')).toContainText(/^wasm [\d.]+ ms → wasm/);

    await page.getByRole('button', { name: 'Run a test computation' }).click();
    const check = page.getByTestId('compute-check');
    await expect(check).toHaveAttribute('data-ok', 'true');
    await expect(check).toHaveAttribute('data-backend', 'wasm');
  });

  test('forcing wasm reports SIMD and at least two threads', async ({ page }) => {
    await openApp(page);
    await page.getByRole('tab', { name: 'Backend' }).click();
    await page.getByTestId('backend-choice').selectOption('wasm');
    await expect(page.getByTestId('backend-active')).toHaveText('wasm');
    await expect(page.getByTestId('backend-wasm-simd')).toHaveText('yes');
    const threads = Number(await page.getByTestId('backend-wasm-threads').textContent());
    expect(threads).toBeGreaterThanOrEqual(2);
  });

  test('forcing webgpu runs a real computation in the worker, and the choice survives a reload', async ({
    page,
  }) => {
    await openApp(page);
    await page.getByRole('tab', { name: 'Backend' }).click();
    await page.getByTestId('backend-choice').selectOption('webgpu');
    await expect(page.getByTestId('backend-active')).toHaveText('webgpu', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Run a test computation' }).click();
    const check = page.getByTestId('compute-check');
    await expect(check).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
    await expect(check).toHaveAttribute('data-backend', 'webgpu');
    // Hand-computed reference: row 0 of relu(A·B) summed; the UI shows 4 decimals.
    await expect(page.getByTestId('compute-check-values')).not.toBeEmpty();

    await page.reload();
    await expect(page.getByTestId('backend-badge')).toContainText('webgpu', { timeout: 60_000 });

    await page.getByRole('tab', { name: 'Backend' }).click();
    await page.getByTestId('backend-choice').selectOption('auto');
    await expect(page.getByTestId('backend-active')).toHaveText('wasm', { timeout: 60_000 });
  });

  test('a worker script that cannot load gives a clear error instead of an endless "starting…"', async ({
    page,
  }) => {
    await page.route('**/ml.worker*', (route) => route.abort('blockedbyclient'));
    await page.goto('./');
    await expect(page.getByTestId('backend-badge')).toContainText('Compute: no backend', {
      timeout: 30_000,
    });
    const notice = page.getByTestId('notice-error');
    await expect(notice).toHaveCount(1);
    await expect(notice).toContainText(
      'No compute backend could start: The ML worker could not start',
    );
    await expect(notice).toContainText('Reload the page');
    // Handled, so the console stays clean (the fixture checks it) and nothing else was tried.
    await expect(page.getByTestId('photo-a-error')).toHaveCount(0);
  });
});
