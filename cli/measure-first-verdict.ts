/**
 * `npx tsx cli/measure-first-verdict.ts [--url http://127.0.0.1:4173/] [--rounds 5] [--label x]`
 *
 * Time to the first kinship verdict in a fresh browser profile, as a new user gets it: open the
 * app, drop a portrait for person A as soon as the page shows its drop zone, then a portrait of
 * another person for B once A's face is found. Prints, per round and as medians: page open →
 * app ready (backend badge), A's faces, the second drop → the first result card, and open →
 * first card. With `--idle 4000` the page idles 4 s after it is ready before the first drop (a user
 * who looks at the page first), and A's faces are timed from that drop. Needs `npm run preview` (or any server of the built app). Measured, not asserted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/browser';
import { portrait } from '../e2e/group-photo';
import { median } from '../src/lib/stats';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.KINLENS_URL ?? 'http://127.0.0.1:4173/' },
    rounds: { type: 'string', default: '5' },
    label: { type: 'string', default: '' },
    // Milliseconds the page idles after it is ready before the first drop (0: drop at once).
    idle: { type: 'string', default: '0' },
  },
});

const dir = mkdtempSync(join(tmpdir(), 'kinlens-verdict-'));
const photoA = join(dir, 'portrait-a.jpg');
const photoB = join(dir, 'portrait-b.jpg');
writeFileSync(photoA, portrait(0, 600));
writeFileSync(photoB, portrait(1, 600));

const browser = await chromium.launch(chromiumLaunchOptions());
const rows: { ready: number; facesA: number; verdict: number; total: number }[] = [];
try {
  for (let round = 1; round <= Number(values.rounds); round++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(values.url as string);
    await page.getByTestId('drop-a-input').waitFor({ state: 'attached', timeout: 60_000 });
    const idle = Number(values.idle);
    const badge = page
      .getByTestId('backend-badge')
      .filter({ hasText: /wasm|webgpu|webgl|cpu/ })
      .waitFor({ timeout: 60_000 });
    if (idle > 0) {
      await badge;
      await page.waitForTimeout(idle);
    }
    const tA = Date.now();
    await page.getByTestId('drop-a-input').setInputFiles(photoA);
    await badge;
    const ready = Date.now() - t0;
    await page.getByTestId('photo-a-face-count').waitFor({ timeout: 90_000 });
    const facesA = Date.now() - (idle > 0 ? tA : t0);
    const t1 = Date.now();
    await page.getByTestId('drop-b-input').setInputFiles(photoB);
    await page.locator('[data-testid="result-face-descriptor"]').waitFor({ timeout: 90_000 });
    const verdict = Date.now() - t1;
    rows.push({ ready, facesA, verdict, total: Date.now() - t0 });
    const mode = await page.getByTestId('result-face-descriptor').getAttribute('data-mode');
    console.log(
      `round ${round}: ready ${ready} ms, A's faces ${facesA} ms after ${idle > 0 ? 'its drop' : 'open'}, second photo → first card ${verdict} ms (${mode}), open → card ${Date.now() - t0} ms`,
    );
    await context.close();
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
const m = (k: keyof (typeof rows)[number]): string =>
  `${median(rows.map((r) => r[k])).toFixed(0)} ms`;
console.log(
  `${values.label ? `${values.label}: ` : ''}median of ${rows.length}: ready ${m('ready')}, A's faces ${m('facesA')}, ` +
    `second photo → verdict ${m('verdict')}, open → verdict ${m('total')}`,
);
