import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestWeightsFile } from '../cli/make-test-weights';
import { expect, openApp, test } from './fixtures';

test('a full storage quota gives a clear notice; the encoder still works until a reload', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const file = join(
    mkdtempSync(join(tmpdir(), 'kinlens-quota-')),
    'rcmalli_vggface_tf_notop_resnet50.h5',
  );
  await makeTestWeightsFile('vggface', file);
  await openApp(page);
  // Shrink this origin's quota to 5 MB, far below the ~94 MB the weights need.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', {
    origin: new URL(baseURL ?? 'http://127.0.0.1:4173/').origin,
    quotaSize: 5 * 1024 * 1024,
  });
  await page.getByRole('tab', { name: 'Encoders' }).click();
  await page.getByTestId('weights-input').setInputFiles(file);
  const error = page.getByTestId('install-error');
  await expect(error).toContainText('rcmalli_vggface_tf_notop_resnet50.h5:', { timeout: 120_000 });
  await expect(error).toContainText('The encoder works until you reload this page.');
  console.log(`quota message: ${await error.textContent()}`);
  // Usable for this session, and the card says it was not saved.
  await expect(page.getByTestId('model-resnet50-vggface-state')).toHaveText(
    'ready (this session only)',
  );
});
