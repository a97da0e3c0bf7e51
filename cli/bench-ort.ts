/**
 * `npx tsx cli/bench-ort.ts [--ort /tmp/ort] [--batch 1] [--runs 12] [--rounds 4] [--skip-build]`
 *
 * Same-run ResNet50 (keras-new, 224², batch `--batch`) speed in headless Chromium, cross-origin
 * isolated, on 2 wasm threads each: the app's own encoder in its ML worker (the benchmark page,
 * folded stem, fused graph) against ONNX Runtime Web's wasm backend on the same architecture
 * (cli/onnx-resnet50.ts, random weights), on the same page. Rounds alternate so machine load
 * hits both alike; each round is the median of `--runs` single-image calls. ONNX Runtime is not
 * a dependency of the app: install it anywhere (`npm i --prefix /tmp/ort onnxruntime-web@1.30.0`)
 * and pass that folder; this script copies its wasm files and the model into dist/bench-ort/ for the run. Measured,
 * not asserted.
 */
import { execSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/browser';
import { median } from '../src/lib/stats';
import type { BenchResult } from '../src/worker/bench';
import { resnet50Onnx } from './onnx-resnet50';
import { startPreviewServer } from './preview-server';

const { values } = parseArgs({
  options: {
    ort: { type: 'string', default: '/tmp/ort' },
    runs: { type: 'string', default: '12' },
    batch: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '4' },
    'skip-build': { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const BATCH = Number(values.batch);
const ROUNDS = Number(values.rounds);
const ORT_DIST = join(resolve(values.ort as string), 'node_modules', 'onnxruntime-web', 'dist');

async function main(): Promise<void> {
  if (!values['skip-build']) execSync('npx vite build --logLevel warn', { stdio: 'inherit' });
  // Served by the preview server as files of dist/ (a 100 MB body through Playwright's
  // request routing closes the page).
  const dir = join('dist', 'bench-ort');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), resnet50Onnx());
  for (const name of readdirSync(ORT_DIST))
    if (/^ort\.wasm\.min\.mjs$|^ort-wasm-simd-threaded\.(mjs|wasm)$/.test(name))
      copyFileSync(join(ORT_DIST, name), join(dir, name));
  const server = await startPreviewServer();
  try {
    const browser = await chromium.launch(chromiumLaunchOptions());
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`  [page error] ${m.text()}`);
    });
    page.on('crash', () => console.error('  [page crashed]'));
    page.on('pageerror', (e) => console.error(`  [page exception] ${e.message}`));
    await page.goto(`${server.url}src/bench/index.html`);
    await page.waitForFunction(() => 'kinlensBench' in window);
    const threads = await page.evaluate(async () => {
      const ort = (await import(
        /* @vite-ignore */ `${location.origin}/bench-ort/ort.wasm.min.mjs`
      )) as {
        env: { wasm: { numThreads: number; wasmPaths: string } };
        InferenceSession: { create(url: string, o: object): Promise<unknown> };
        Tensor: new (t: string, d: Float32Array, dims: number[]) => unknown;
      };
      ort.env.wasm.numThreads = 2;
      ort.env.wasm.wasmPaths = `${location.origin}/bench-ort/`;
      const session = await ort.InferenceSession.create(`${location.origin}/bench-ort/model.onnx`, {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'all',
      });
      Object.assign(window, { ortRun: { ort, session } });
      return { isolated: crossOriginIsolated, threads: ort.env.wasm.numThreads };
    });
    const ortRate = (): Promise<number> =>
      page.evaluate(
        async ([runs, batch]) => {
          const { ort, session } = (
            window as unknown as {
              ortRun: {
                ort: { Tensor: new (t: string, d: Float32Array, dims: number[]) => unknown };
                session: { run(feeds: Record<string, unknown>): Promise<unknown> };
              };
            }
          ).ortRun;
          const data = new Float32Array(batch * 3 * 224 * 224).map(
            (_, i) => ((i * 7919) % 255) - 120,
          );
          const input = new ort.Tensor('float32', data, [batch, 3, 224, 224]);
          await session.run({ input });
          const rates: number[] = [];
          for (let r = 0; r < runs; r++) {
            const t = performance.now();
            await session.run({ input });
            rates.push((1000 * batch) / (performance.now() - t));
          }
          rates.sort((a, b) => a - b);
          return rates[Math.floor(rates.length / 2)] as number;
        },
        [RUNS, BATCH] as const,
      );
    const oursRate = async (): Promise<number> => {
      const { result } = await page.evaluate(
        ([runs, batch]) =>
          (
            window as unknown as {
              kinlensBench: (b: string, s: unknown) => Promise<{ result: BenchResult }>;
            }
          ).kinlensBench('wasm', {
            encoders: ['resnet50-keras'],
            batchSizes: [batch],
            runs,
            tiny: false,
            jpegs: [],
            headDims: [],
          }),
        [RUNS, BATCH] as const,
      );
      return result.encoders[0]?.imagesPerSecond ?? NaN;
    };
    console.log(
      `ResNet50 keras-new 224², batch ${BATCH}; cross-origin isolated ${threads.isolated}; ORT numThreads ${threads.threads}; ${RUNS} calls per round`,
    );
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const a = await oursRate();
      const b = await ortRate();
      ours.push(a);
      theirs.push(b);
      console.log(
        `round ${round}: KinLens tfjs-wasm ${a.toFixed(2)} img/s, ORT-web wasm ${b.toFixed(2)} img/s`,
      );
    }
    const a = median(ours);
    const b = median(theirs);
    console.log(
      `median of ${ROUNDS}: KinLens tfjs-wasm ${a.toFixed(2)} img/s, ORT-web 1.30 wasm ${b.toFixed(2)} img/s → ours/ORT ${(a / b).toFixed(2)}×`,
    );
    await browser.close();
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
