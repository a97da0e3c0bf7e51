/**
 * Same-page before/after on the wasm backend: a baseline commit's ResNet50 encoder and head
 * training against this tree's, interleaved call by call in one Chromium tab (src/bench/ab/).
 * On a shared machine this cancels load drift far better than two separate runs.
 *
 *   npx tsx cli/bench-inline-ab.ts --base <commit> [--port 4341] [--threads 2]
 *     [--jobs head:128:1024:6,head:4096:1024:4,resnet:keras-new:1:8]
 *
 * A job is `head:<dim>:<batch>:<rounds>` (pairs/s of one training epoch after a warm-up epoch)
 * or `resnet:<variant>:<batch>:<rounds>` (images/s of one embed call on random weights), or
 * `size:<variant>@<side>:<batch>:<rounds>` (this tree only: A = 224² crops, B = side² crops). The
 * baseline is extracted with `git archive` into .tmp/ab-base/<commit> (this checkout's
 * node_modules linked in). Prints per-round rates, medians, the median B/A ratio and the load
 * average before and after.
 */
import { execSync } from 'node:child_process';
import {
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import { chromiumLaunchOptions } from '../e2e/browser';
import { median } from '../src/lib/stats';

/** What src/bench/ab/page.ts returns (not imported: that file is browser code). */
interface AbResult {
  a: number[];
  b: number[];
  ratio: number;
}

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    port: { type: 'string', default: '4341' },
    threads: { type: 'string', default: '2' },
    jobs: {
      type: 'string',
      default: 'head:128:128:6,head:128:1024:6,head:4096:128:4,head:4096:1024:4',
    },
  },
});

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
};

async function preparePage(base: string): Promise<string> {
  const rev = execSync(`git rev-parse --short ${base}`, { encoding: 'utf8' }).trim();
  const baseDir = resolve('.tmp/ab-base', rev);
  if (!existsSync(join(baseDir, 'src'))) {
    mkdirSync(baseDir, { recursive: true });
    execSync(`git archive ${rev} | tar -x -C ${baseDir}`);
    symlinkSync(resolve('node_modules'), join(baseDir, 'node_modules'));
  }
  const outDir = resolve('.tmp/ab-page');
  await build({
    configFile: false,
    root: resolve('src/bench/ab'),
    base: './',
    logLevel: 'warn',
    resolve: { alias: { '@ab-base': join(baseDir, 'src') } },
    // Unminified: tfjs-backend-wasm starts its threads from `factory.toString()`.
    build: { outDir, emptyOutDir: true, target: 'es2022', minify: false },
  });
  const wasmDir = resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist');
  for (const f of readdirSync(wasmDir).filter((n) => n.endsWith('.wasm')))
    copyFileSync(join(wasmDir, f), join(outDir, f));
  console.log(`A = ${rev} (${baseDir}), B = this tree`);
  return outDir;
}

async function main(): Promise<void> {
  if (!values.base) throw new Error('--base <commit> is required');
  const root = await preparePage(values.base);
  const port = Number(values.port);
  const server = createServer((req, res) => {
    const file = normalize(join(root, new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  const fmt = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
  console.log(`load average before: ${fmt(loadavg())}`);
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    for (const job of values.jobs.split(',')) {
      const [kind, what, batch, rounds] = job.split(':');
      const page = await browser.newPage();
      try {
        await page.goto(`http://127.0.0.1:${port}/index.html`);
        await page.waitForFunction(() => 'abInit' in window);
        const threads = await page.evaluate(
          (t) => (window as unknown as { abInit: (t: number) => Promise<number> }).abInit(t),
          Number(values.threads),
        );
        const r = await page.evaluate(
          ([k, w, b, n]) => {
            const win = window as unknown as Record<
              string,
              (w: unknown, b: number, n: number) => Promise<AbResult>
            >;
            const name = { head: 'abHead', resnet: 'abResnet', size: 'abResnetSize' }[k ?? ''];
            const fn = name ? win[name] : undefined;
            if (!fn) throw new Error(`unknown job kind ${k}`);
            return fn(k === 'head' ? Number(w) : w, Number(b), Number(n));
          },
          [kind, what, batch, rounds] as const,
        );
        const d = kind === 'head' ? 0 : 2;
        const list = (xs: number[]): string => xs.map((x) => x.toFixed(d)).join(' ');
        console.log(
          `${job} (${threads} threads): A ${median(r.a).toFixed(d)}  B ${median(r.b).toFixed(d)}  ` +
            `median B/A ${r.ratio.toFixed(2)}×  [A ${list(r.a)} | B ${list(r.b)}]`,
        );
      } catch (e) {
        console.log(
          `${job}: failed — ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
        );
      } finally {
        await page.close().catch(() => undefined);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`load average after: ${fmt(loadavg())}`);
}

await main();
