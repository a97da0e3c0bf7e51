/**
 * Scale check for the dataset import (FIW size): generates a 12,379-photo folder in the Kaggle
 * layout (470 families), imports it into the built app in headless Chromium, and reports import
 * time and memory; then encodes for a while, cancels, reloads and re-imports to show that the
 * encoded part comes back from the cache. Measures, never asserts.
 *
 *   npx tsx cli/measure-import.ts [--encode-seconds 60]      (expects `vite preview` on :4173)
 */
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import jpeg from 'jpeg-js';
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/browser';

const { values } = parseArgs({ options: { 'encode-seconds': { type: 'string', default: '60' } } });
const BASE = process.env.KINLENS_URL ?? 'http://127.0.0.1:4173/';
const PHOTOS = 12_379;
const FAMILIES = 470;

function makeFolder(): string {
  const root = join(
    mkdtempSync(join(tmpdir(), 'kinlens-fiw12k-')),
    'recognizing-faces-in-the-wild',
  );
  const tile = (seed: number): Buffer => {
    const size = 64;
    const data = Buffer.alloc(size * size * 4);
    for (let i = 0; i < size * size; i++) {
      data[i * 4] = (seed * 37 + i) % 256;
      data[i * 4 + 1] = (seed * 91 + (i >> 6)) % 256;
      data[i * 4 + 2] = (seed * 13) % 256;
      data[i * 4 + 3] = 255;
    }
    return Buffer.from(jpeg.encode({ data, width: size, height: size }, 80).data);
  };
  const rows = ['p1,p2'];
  let written = 0;
  for (let f = 0; f < FAMILIES; f++) {
    const fam = `F${String(f + 1).padStart(4, '0')}`;
    const members = 3 + (f % 5);
    for (let m = 1; m <= members; m++) {
      const dir = join(root, 'train', fam, `MID${m}`);
      mkdirSync(dir, { recursive: true });
      const photos = Math.round((PHOTOS - written) / ((FAMILIES - f) * members - (m - 1)));
      for (let p = 0; p < photos && written < PHOTOS; p++, written++) {
        writeFileSync(join(dir, `P${written}_face${p}.jpg`), tile(f * 8 + m));
      }
      if (m > 1) rows.push(`${fam}/MID1,${fam}/MID${m}`);
    }
  }
  writeFileSync(join(root, 'train_relationships.csv'), `${rows.join('\n')}\n`);
  console.log(
    `generated ${written} photos in ${FAMILIES} families, ${rows.length - 1} kin rows: ${root}`,
  );
  return root;
}

/** Resident memory of every Chromium process (MB), from ps. */
function chromiumRssMb(): number {
  const out = execSync('ps -C chromium -o rss= || true', { encoding: 'utf8' });
  return out.split('\n').reduce((n, l) => n + (Number(l.trim()) || 0), 0) / 1024;
}

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1e6;
}

async function main(): Promise<void> {
  const root = makeFolder();
  const browser = await chromium.launch(chromiumLaunchOptions());
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(BASE);
  await page.getByTestId('backend-badge').filter({ hasText: 'wasm' }).waitFor({ timeout: 60_000 });
  await page.getByRole('tab', { name: 'Fine-tune' }).click();

  let peakRss = chromiumRssMb();
  let peakHeap = await heapMb(page);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, chromiumRssMb());
    void heapMb(page).then((h) => (peakHeap = Math.max(peakHeap, h)));
  }, 500);

  const t0 = Date.now();
  await page.getByTestId('dataset-input').setInputFiles(root);
  await page.getByTestId('import-report').waitFor({ timeout: 600_000 });
  const importSeconds = (Date.now() - t0) / 1000;
  console.log(
    `import: ${importSeconds.toFixed(1)} s; report photos ${await page.getByTestId('report-photos').textContent()}, families ${await page.getByTestId('report-families').textContent()}, kin pairs ${await page.getByTestId('report-kin-pairs').textContent()}`,
  );
  console.log(
    `memory so far: peak page JS heap ${peakHeap.toFixed(0)} MB, peak Chromium RSS (all processes) ${peakRss.toFixed(0)} MB`,
  );

  await page.getByTestId('encode').click();
  await page.waitForTimeout(Number(values['encode-seconds']) * 1000);
  const progress = await page.getByTestId('progress-text').textContent();
  await page.getByTestId('encode-cancel').click();
  console.log(`encoding for ${values['encode-seconds']} s, then Cancel: ${progress}`);
  clearInterval(sampler);
  console.log(
    `peak page JS heap ${peakHeap.toFixed(0)} MB, peak Chromium RSS ${peakRss.toFixed(0)} MB`,
  );

  await page.reload();
  await page.getByTestId('backend-badge').filter({ hasText: 'wasm' }).waitFor({ timeout: 60_000 });
  await page.getByRole('tab', { name: 'Fine-tune' }).click();
  await page.getByTestId('dataset-input').setInputFiles(root);
  await page.getByTestId('import-report').waitFor({ timeout: 600_000 });
  await page.getByTestId('encode').click();
  await page.waitForTimeout(20_000);
  console.log(
    `after reload + re-import, 20 s into encoding: ${await page.getByTestId('progress-text').textContent()}`,
  );
  await page.getByTestId('encode-cancel').click();
  await browser.close();
}

await main();
