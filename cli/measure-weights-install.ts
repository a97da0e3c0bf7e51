/**
 * Installs a generated full-size (94 MB) VGGFace2 .h5 into the built app in headless Chromium
 * and reports the time to "ready" and the peak resident memory of all Chromium processes, then
 * the restore time after a reload. Measures, never asserts.
 *
 *   npx tsx cli/measure-weights-install.ts     (expects `vite preview` on :4173 or KINLENS_URL)
 */
import { execSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/browser';
import { makeTestWeightsFile } from './make-test-weights';

const BASE = process.env.KINLENS_URL ?? 'http://127.0.0.1:4173/';

function chromiumRssMb(): number {
  const out = execSync('ps -C chromium -o rss= || true', { encoding: 'utf8' });
  return out.split('\n').reduce((n, l) => n + (Number(l.trim()) || 0), 0) / 1024;
}

const file = join(
  mkdtempSync(join(tmpdir(), 'kinlens-install-')),
  'rcmalli_vggface_tf_notop_resnet50.h5',
);
const bytes = await makeTestWeightsFile('vggface', file);
const browser = await chromium.launch(chromiumLaunchOptions());
const page = await browser.newPage();
await page.goto(BASE);
await page.getByTestId('backend-badge').filter({ hasText: 'wasm' }).waitFor({ timeout: 60_000 });
await page.getByRole('tab', { name: 'Encoders' }).click();
await page.getByTestId('model-resnet50-vggface-state').waitFor({ timeout: 60_000 });
const idle = chromiumRssMb();
let peak = idle;
const sampler = setInterval(() => (peak = Math.max(peak, chromiumRssMb())), 200);
const t0 = Date.now();
await page.getByTestId('weights-input').setInputFiles(file);
await page
  .getByTestId('model-resnet50-vggface-state')
  .filter({ hasText: 'ready' })
  .waitFor({ timeout: 180_000 });
const installSeconds = (Date.now() - t0) / 1000;
clearInterval(sampler);
console.log(`file: ${(bytes / 1e6).toFixed(1)} MB`);
console.log(
  `install (read .h5 lazily, strict load, serialise + sha256, IndexedDB, fuse): ${installSeconds.toFixed(1)} s`,
);
console.log(
  `Chromium RSS, all processes: ${idle.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB (+${(peak - idle).toFixed(0)} MB)`,
);
const t1 = Date.now();
await page.reload();
await page.getByRole('tab', { name: 'Encoders' }).click();
await page
  .getByTestId('model-resnet50-vggface-state')
  .filter({ hasText: 'ready' })
  .waitFor({ timeout: 180_000 });
console.log(
  `reload until restored from IndexedDB (incl. app start-up and face models): ${((Date.now() - t1) / 1000).toFixed(1)} s`,
);
await browser.close();
