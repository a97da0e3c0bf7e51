/**
 * `npm run bench [-- --native] [--backends wasm,webgpu,webgl,cpu] [--runs 5] [--encoders a,b] [--profile] [--port N]`
 *
 * Builds the app, serves dist/ locally with the production headers (vite preview on a free port,
 * or --port; cli/preview-server.ts), drives the benchmark page in
 * headless Chromium once per backend, prints a table and writes bench-results/bench-<time>.json.
 * Throughput is measured, never asserted. Software GPU adapters and the cpu backend get one tiny
 * run (the face descriptor at batch 1): ResNet50 takes tens of seconds per image there.
 */
import { execFileSync, execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import jpeg from 'jpeg-js';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/browser';
import type { BackendReport } from '../src/ml/backend/types';
import type { BenchEncoder, BenchResult, BenchSpec } from '../src/worker/bench';
import { isSoftwareWebGl, isSoftwareWebGpu } from '../src/ml/backend/rank';
import { MAX_GROUP_FACES, portrait } from '../e2e/group-photo';
import { printTable, printVerdicts, type BackendRun, type VerdictRun } from './bench-report';
import { measureFirstVerdict } from './first-verdict';
import { startPreviewServer } from './preview-server';
import { describeTorchPython, findTorchPython } from './torch-python';

const { values } = parseArgs({
  options: {
    native: { type: 'boolean', default: false },
    backends: { type: 'string', default: 'wasm,webgpu,webgl,cpu' },
    runs: { type: 'string', default: '5' },
    /** Default: a free port chosen for this run. */
    port: { type: 'string', default: '' },
    encoders: { type: 'string', default: '' },
    'skip-build': { type: 'boolean', default: false },
    /** Also print per-kernel profiles of one ResNet50 pass and one head run per backend. */
    profile: { type: 'boolean', default: false },
  },
});

const PORT = values.port ? Number(values.port) : undefined;
if (PORT !== undefined && !(Number.isInteger(PORT) && PORT > 0 && PORT < 65536))
  throw new Error(`--port: expected a TCP port, got "${values.port}"`);
const ALL_ENCODERS: BenchEncoder[] = [
  'face-descriptor',
  'faceres',
  'faceres-deep',
  'face-ensemble',
  'resnet50-vggface',
  'resnet50-keras',
];
const ENCODERS: BenchEncoder[] = values.encoders
  ? values.encoders.split(',').map((e) => {
      if (!ALL_ENCODERS.includes(e as BenchEncoder))
        throw new Error(`--encoders: unknown ${e}; choose from ${ALL_ENCODERS.join(', ')}`);
      return e as BenchEncoder;
    })
  : ALL_ENCODERS;

function syntheticJpegs(n: number): string[] {
  return Array.from({ length: n }, (_, k) => {
    const size = 250;
    const data = Buffer.alloc(size * size * 4);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const i = (y * size + x) * 4;
        data[i] = (x * 3 + k * 17) % 256;
        data[i + 1] = (y * 2 + k * 29) % 256;
        data[i + 2] = ((x + y) * 5 + k) % 256;
        data[i + 3] = 255;
      }
    }
    return Buffer.from(jpeg.encode({ data, width: size, height: size }, 85).data).toString(
      'base64',
    );
  });
}

/**
 * `n` tight 224² face crops (like FIW's) of the demo faces, base64 JPEGs; each copy of a face
 * is framed a little differently, so no two files are byte-identical (those encode once).
 */
function faceCropJpegs(n: number): string[] {
  return Array.from({ length: n }, (_, k) =>
    portrait(k % MAX_GROUP_FACES, 224, 1.1 + 0.02 * Math.floor(k / MAX_GROUP_FACES)).toString(
      'base64',
    ),
  );
}

function nativeRates(): { rates: Record<string, number> | null; note: string } {
  const found = findTorchPython();
  const which = describeTorchPython(found);
  console.log(`\n${which}`);
  if (!found.python) return { rates: null, note: which };
  const out = execFileSync(found.python, ['cli/native_resnet50.py', '2', '1,8,16'], {
    encoding: 'utf8',
  });
  return {
    rates: JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, number>,
    note: `${which}: PyTorch CPU, 2 threads, channels-last`,
  };
}

async function main(): Promise<void> {
  if (!values['skip-build']) execSync('npx vite build --logLevel warn', { stdio: 'inherit' });
  // Never a server left from an earlier run: a fresh one on a free port, checked for its token,
  // and its whole process tree stopped however this process ends.
  const server = await startPreviewServer(PORT === undefined ? {} : { port: PORT });
  const base = server.url;
  console.log(`serving dist/ at ${base} (vite preview, pid ${server.pid})`);
  const runs: BackendRun[] = [];
  const verdicts: VerdictRun[] = [];
  try {
    const browser = await chromium.launch(chromiumLaunchOptions());
    const jpegs = syntheticJpegs(48);
    const faceCrops = faceCropJpegs(80);
    for (const backend of values.backends.split(',')) {
      const page = await browser.newPage();
      await page.goto(`${base}src/bench/index.html`);
      await page.waitForFunction(() => 'kinlensBench' in window);
      // Learn what this backend runs on before deciding how much to ask of it.
      const probe = await page.evaluate(async (b) => {
        const w = window as unknown as {
          kinlensBench: (b: string, s: unknown) => Promise<{ report: BackendReport }>;
        };
        return (
          await w.kinlensBench(b, {
            encoders: [],
            batchSizes: [],
            runs: 0,
            tiny: true,
            jpegs: [],
            headDims: [],
          })
        ).report;
      }, backend);
      await page.close();
      if (probe.active !== backend) {
        runs.push({
          backend,
          report: probe,
          result: null,
          note: `unavailable (fell back to ${probe.active})`,
        });
        continue;
      }
      const software =
        (backend === 'webgpu' && isSoftwareWebGpu(probe.probe.webgpu)) ||
        (backend === 'webgl' && isSoftwareWebGl(probe.probe.webgl)) ||
        backend === 'cpu';
      const spec: Omit<BenchSpec, 'jpegs' | 'faceCrops'> & {
        jpegs: string[];
        faceCrops: string[];
      } = {
        encoders: software ? ['face-descriptor'] : ENCODERS,
        batchSizes: [1, 8, 16],
        runs: Number(values.runs),
        tiny: software,
        jpegs: software ? [] : jpegs,
        faceCrops: software ? [] : faceCrops,
        headDims: software ? [] : [4096, 128],
        profile: values.profile && !software,
      };
      const note = software
        ? `${backend === 'cpu' ? 'plain-JS cpu backend' : 'software adapter'}: one tiny run; ResNet50 skipped (tens of seconds per image)`
        : 'full run';
      console.log(`\n## ${backend} — ${note}`);
      const fresh = await browser.newPage();
      fresh.on('console', (m) => {
        if (m.type() === 'error') console.error(`  [page error] ${m.text()}`);
      });
      await fresh.goto(`${base}src/bench/index.html`);
      await fresh.waitForFunction(() => 'kinlensBench' in window);
      const poll = setInterval(() => {
        void fresh
          .locator('#log')
          .textContent()
          .then((t) =>
            process.stdout.write(`\r  ${(t ?? '').trim().split('\n').pop() ?? ''}`.padEnd(70)),
          )
          .catch(() => undefined);
      }, 2000);
      try {
        const { report, result } = await fresh.evaluate(
          async ([b, s]) => {
            const w = window as unknown as {
              kinlensBench: (
                b: string,
                s: unknown,
              ) => Promise<{ report: BackendReport; result: BenchResult }>;
            };
            return w.kinlensBench(b as string, s);
          },
          [backend, spec] as const,
        );
        runs.push({ backend, report, result, note });
      } finally {
        clearInterval(poll);
        process.stdout.write('\n');
        await fresh.close();
      }
    }
    // The default app (auto backend) as a new user meets it: drop at once, and after a 3 s look.
    console.log('\n## first verdict (auto backend, fresh profile)');
    for (const idleMs of [0, 3000]) {
      const rows = await measureFirstVerdict(browser, base, { rounds: 3, idleMs });
      verdicts.push({ idleMs, rows });
    }
    await browser.close();
  } finally {
    server.stop();
  }

  const native = values.native
    ? nativeRates()
    : { rates: null, note: 'native: not requested (add --native)' };
  printTable(runs, native);
  printVerdicts(verdicts);
  mkdirSync('bench-results', { recursive: true });
  const file = `bench-results/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(
    file,
    JSON.stringify({ date: new Date().toISOString(), runs, verdicts, native }, null, 2),
  );
  console.log(`\nwrote ${file}`);
}

await main();
