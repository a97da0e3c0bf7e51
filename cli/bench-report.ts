/** The tables `npm run bench` prints (cli/bench.ts): encoders, pipeline, dataset encode, head, first verdict. */
import type { BackendReport } from '../src/ml/backend/types';
import type { BenchResult } from '../src/worker/bench';
import { describeProfile } from '../src/worker/bench-profile';
import { median } from '../src/lib/stats';
import type { FirstVerdictRound } from './first-verdict';

export interface BackendRun {
  backend: string;
  report: BackendReport | null;
  result: BenchResult | null;
  note: string;
}

export interface VerdictRun {
  idleMs: number;
  rows: FirstVerdictRound[];
}

export function printVerdicts(verdicts: VerdictRun[]): void {
  console.log('\nFirst verdict (ms, median of 3 fresh profiles [rounds])');
  for (const { idleMs, rows } of verdicts) {
    const m = (k: 'facesA' | 'verdict' | 'total'): string =>
      `${median(rows.map((r) => r[k])).toFixed(0)} [${rows.map((r) => r[k]).join(', ')}]`;
    const when = idleMs > 0 ? `drop after ${idleMs / 1000} s idle` : 'drop at once';
    console.log(
      `  ${when}: A's faces ${m('facesA')}; second photo → first card ${m('verdict')}` +
        (idleMs === 0 ? `; open → card ${m('total')}` : ''),
    );
  }
}

export function printTable(
  runs: BackendRun[],
  native: { rates: Record<string, number> | null; note: string },
): void {
  const pad = (s: string, n: number): string => s.padEnd(n);
  const num = (x: number, d = 2): string => x.toFixed(d).padStart(9);
  console.log(
    '\nEncoder throughput (images/s, median of timed runs [min–max]; first call; peak tensor MB; leaked)',
  );
  console.log(
    `${pad('backend', 8)}${pad('encoder', 18)}${pad('batch', 6)}${'img/s'.padStart(9)}  ${pad('spread', 16)}${'1st ms'.padStart(8)}${'peak MB'.padStart(9)}${'leak'.padStart(6)}`,
  );
  for (const run of runs) {
    if (!run.result) {
      console.log(`${pad(run.backend, 8)}${run.note}`);
      continue;
    }
    for (const e of run.result.encoders) {
      console.log(
        `${pad(run.backend, 8)}${pad(e.encoder, 18)}${pad(String(e.batchSize), 6)}${num(e.imagesPerSecond)}  ${pad(`[${e.spread[0].toFixed(2)}–${e.spread[1].toFixed(2)}]`, 16)}${e.firstCallMs.toFixed(0).padStart(8)}${(e.peakTensorBytes / 1e6).toFixed(0).padStart(9)}${String(e.leakedTensors).padStart(6)}`,
      );
    }
    if (run.note !== 'full run') console.log(`${pad('', 8)}(${run.note})`);
  }
  console.log('\nPipeline (decode + resize + embed from JPEG files, images/s)');
  for (const run of runs)
    for (const p of run.result?.pipeline ?? [])
      console.log(
        `${pad(run.backend, 8)}${pad(p.encoder, 18)}${num(p.imagesPerSecond)}  (${p.images} JPEGs)`,
      );
  console.log(
    '\nFine-tune dataset encode (face descriptor; 224² face-crop JPEGs; images/s, median [rounds])',
  );
  for (const run of runs) {
    const d = run.result?.datasetEncode;
    if (!d) continue;
    const rounds = (xs: number[]): string => xs.map((x) => x.toFixed(1)).join(', ');
    const crop = median(d.cropOnly);
    const aligned = median(d.aligned);
    const a = d.alignment;
    console.log(
      `${pad(run.backend, 8)}${pad('crops only', 18)}${num(crop, 1)}  [${rounds(d.cropOnly)}]  (${d.images} images)`,
    );
    console.log(
      `${pad(run.backend, 8)}${pad('aligned', 18)}${num(aligned, 1)}  [${rounds(d.aligned)}]  ${(aligned / crop).toFixed(2)}× crops only` +
        (a
          ? `; ${a.byLandmarks} by landmarks, ${a.byDetector} detector, ${a.wholeImage} whole`
          : ''),
    );
  }
  console.log('\nHead training (pairs/s)');
  for (const run of runs)
    for (const h of run.result?.head ?? [])
      console.log(
        `${pad(run.backend, 8)}${pad(`${h.dim}-d, batch ${h.batchSize}`, 18)}${num(h.pairsPerSecond, 0)}`,
      );
  for (const run of runs)
    for (const p of run.result?.profiles ?? [])
      console.log(`${pad(run.backend, 8)}${describeProfile(p)}`);
  console.log(`\n${native.note}`);
  if (native.rates) {
    const wasm = runs.find((r) => r.backend === 'wasm')?.result;
    for (const [batch, rate] of Object.entries(native.rates)) {
      const ours = wasm?.encoders.find(
        (e) => e.encoder === 'resnet50-keras' && e.batchSize === Number(batch),
      );
      console.log(
        `  native ResNet50 batch ${batch}: ${rate.toFixed(2)} img/s${ours ? `; wasm/native = ${(ours.imagesPerSecond / rate).toFixed(2)}×` : ''}`,
      );
    }
  }
}
