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
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/browser';
import { median } from '../src/lib/stats';
import { measureFirstVerdict, type FirstVerdictRound } from './first-verdict';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.KINLENS_URL ?? 'http://127.0.0.1:4173/' },
    rounds: { type: 'string', default: '5' },
    label: { type: 'string', default: '' },
    // Milliseconds the page idles after it is ready before the first drop (0: drop at once).
    idle: { type: 'string', default: '0' },
  },
});

const idle = Number(values.idle);
const browser = await chromium.launch(chromiumLaunchOptions());
let rows: FirstVerdictRound[];
try {
  rows = await measureFirstVerdict(browser, values.url as string, {
    rounds: Number(values.rounds),
    idleMs: idle,
    onRound: (r, round) =>
      console.log(
        `round ${round}: ready ${r.ready} ms, A's faces ${r.facesA} ms after ${idle > 0 ? 'its drop' : 'open'}, second photo → first card ${r.verdict} ms (${r.mode}), open → card ${r.total} ms`,
      ),
  });
} finally {
  await browser.close();
}
const m = (k: 'ready' | 'facesA' | 'verdict' | 'total'): string =>
  `${median(rows.map((r) => r[k])).toFixed(0)} ms`;
console.log(
  `${values.label ? `${values.label}: ` : ''}median of ${rows.length}: ready ${m('ready')}, A's faces ${m('facesA')}, ` +
    `second photo → verdict ${m('verdict')}, open → verdict ${m('total')}`,
);
