/**
 * Time to the first kinship verdict in a fresh browser profile, as a new user gets it: open the
 * app, drop a portrait for person A as soon as the page shows its drop zone (or after the page
 * has idled `idleMs` once ready), then a portrait of another person for B once A's face is
 * found. Used by cli/measure-first-verdict.ts and `npm run bench`. Measured, not asserted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { portrait } from '../e2e/group-photo';

export interface FirstVerdictRound {
  /** Page open → backend badge shows the backend. */
  ready: number;
  /** A's faces found: after open (idle 0) or after A's drop (idle > 0). */
  facesA: number;
  /** B's drop → the first result card. */
  verdict: number;
  /** Page open → first card. */
  total: number;
  /** The card's mode (kinship / similarity). */
  mode: string;
}

export async function measureFirstVerdict(
  browser: Browser,
  url: string,
  opts: { rounds: number; idleMs?: number; onRound?: (r: FirstVerdictRound, n: number) => void },
): Promise<FirstVerdictRound[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kinlens-verdict-'));
  const photoA = join(dir, 'portrait-a.jpg');
  const photoB = join(dir, 'portrait-b.jpg');
  writeFileSync(photoA, portrait(0, 600));
  writeFileSync(photoB, portrait(1, 600));
  const idle = opts.idleMs ?? 0;
  const rows: FirstVerdictRound[] = [];
  try {
    for (let round = 1; round <= opts.rounds; round++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const page = await context.newPage();
        const t0 = Date.now();
        await page.goto(url);
        await page.getByTestId('drop-a-input').waitFor({ state: 'attached', timeout: 60_000 });
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
        const card = page.getByTestId('result-face-descriptor');
        await card.waitFor({ timeout: 90_000 });
        const verdict = Date.now() - t1;
        const row = {
          ready,
          facesA,
          verdict,
          total: Date.now() - t0,
          mode: (await card.getAttribute('data-mode')) ?? '?',
        };
        rows.push(row);
        opts.onRound?.(row, round);
      } finally {
        await context.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
