/**
 * Same-run A/B of two builds of the benchmark page, for before/after numbers on a shared machine:
 *
 *   npx tsx cli/bench-ab.ts --a /tmp/base/dist --b dist [--port 4340] [--rounds 4]
 *     [--backend wasm] [--encoders resnet50-keras] [--batches 1,8] [--runs 3] [--heads 4096,128]
 *     [--profile]
 *
 * Serves both dist/ folders from one local server (/a/ and /b/, with the cross-origin isolation
 * headers WASM threads need), then runs the bench page of A and B in alternating order (A B, B A,
 * A B, …), each round in a fresh page, and prints per-row medians over the rounds with the B/A
 * ratio and the machine's load average before and after. Both builds must have src/bench/.
 */
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { loadavg } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/browser';
import type { BenchEncoder, BenchResult, BenchSpec } from '../src/worker/bench';
import { describeProfile } from '../src/worker/bench-profile';
import { median } from '../src/lib/stats';

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: 'dist' },
    port: { type: 'string', default: '4340' },
    rounds: { type: 'string', default: '4' },
    backend: { type: 'string', default: 'wasm' },
    encoders: { type: 'string', default: 'resnet50-keras' },
    batches: { type: 'string', default: '1,8' },
    runs: { type: 'string', default: '3' },
    heads: { type: 'string', default: '' },
    /** Also print per-kernel profiles (builds that support BenchSpec.profile). */
    profile: { type: 'boolean', default: false },
  },
});

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

function serve(roots: Record<string, string>, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, side, ...rest] = url.pathname.split('/');
    const root = roots[side ?? ''];
    const file = root ? normalize(join(root, ...rest)) : '';
    if (!root || !file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok(server));
  });
}

type Spec = Omit<BenchSpec, 'jpegs'> & { jpegs: string[] };

async function runSide(browser: Browser, url: string, backend: string, spec: Spec) {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') console.error(`  [page error] ${m.text()}`);
  });
  try {
    await page.goto(url);
    await page.waitForFunction(() => 'kinlensBench' in window);
    return await page.evaluate(
      async ([b, s]) => {
        const w = window as unknown as {
          kinlensBench: (b: string, s: unknown) => Promise<{ result: BenchResult }>;
        };
        return (await w.kinlensBench(b as string, s)).result;
      },
      [backend, spec] as const,
    );
  } finally {
    await page.close();
  }
}

/** One number per row of a result: encoders in img/s, heads in pairs/s. */
function rows(result: BenchResult): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of result.encoders)
    out.set(`${e.encoder} batch ${e.batchSize} img/s`, e.imagesPerSecond);
  for (const h of result.head)
    out.set(`head ${h.dim}-d batch ${h.batchSize} pairs/s`, h.pairsPerSecond);
  return out;
}

async function main(): Promise<void> {
  if (!values.a) throw new Error('--a <dist folder of the baseline build> is required');
  const roots = { a: resolve(values.a), b: resolve(values.b) };
  for (const dir of Object.values(roots)) {
    if (!existsSync(join(dir, 'src/bench/index.html')))
      throw new Error(`${dir} has no src/bench/index.html`);
  }
  const spec: Spec = {
    encoders: values.encoders.split(',').filter(Boolean) as BenchEncoder[],
    batchSizes: values.batches.split(',').map(Number),
    runs: Number(values.runs),
    tiny: false,
    jpegs: [],
    headDims: values.heads.split(',').filter(Boolean).map(Number),
    profile: values.profile,
  };
  const port = Number(values.port);
  const loadBefore = loadavg();
  const server = await serve(roots, port);
  const samples = new Map<string, { a: number[]; b: number[] }>();
  try {
    const browser = await chromium.launch(chromiumLaunchOptions());
    try {
      for (let round = 0; round < Number(values.rounds); round++) {
        for (const side of round % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
          const url = `http://127.0.0.1:${port}/${side}/src/bench/index.html`;
          const result = await runSide(browser, url, values.backend, spec);
          const got = rows(result);
          for (const p of result.profiles ?? []) console.log(`  ${side} ${describeProfile(p)}`);
          console.log(
            `round ${round + 1} ${side}: ${[...got].map(([k, v]) => `${k} ${v.toFixed(k.includes('pairs') ? 0 : 2)}`).join('; ')}`,
          );
          for (const [key, v] of got) {
            const entry = samples.get(key) ?? { a: [], b: [] };
            entry[side].push(v);
            samples.set(key, entry);
          }
        }
      }
    } finally {
      await browser.close();
    }
  } finally {
    server.close();
  }
  const loadAfter = loadavg();
  const fmt = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
  console.log(
    `\nA = ${roots.a}\nB = ${roots.b}\nbackend ${values.backend}, ${values.rounds} rounds`,
  );
  console.log(`load average before: ${fmt(loadBefore)}; after: ${fmt(loadAfter)}`);
  const summary = [...samples].map(([key, { a, b }]) => {
    const [ma, mb] = [median(a), median(b)];
    return { key, a, b, medianA: ma, medianB: mb, ratio: mb / ma };
  });
  for (const s of summary) {
    const d = s.key.includes('pairs') ? 0 : 2;
    console.log(
      `${s.key.padEnd(36)} A ${s.medianA.toFixed(d).padStart(8)}  B ${s.medianB.toFixed(d).padStart(8)}  B/A ${s.ratio.toFixed(2)}×  (A ${s.a.map((x) => x.toFixed(d)).join(', ')} | B ${s.b.map((x) => x.toFixed(d)).join(', ')})`,
    );
  }
  mkdirSync('bench-results', { recursive: true });
  const file = `bench-results/ab-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify({ roots, spec, loadBefore, loadAfter, summary }, null, 2));
  console.log(`wrote ${file}`);
}

await main();
