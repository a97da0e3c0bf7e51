/**
 * Same-page, call-level interleaved A/B of a baseline commit's code (A, `@ab-base`) against this
 * tree's (B) on the wasm backend: both run in one tab on one backend, alternating A B, B A, …, so
 * a shared machine's load drifts over both alike. Driven by cli/bench-inline-ab.ts.
 */
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createResNet50AppEncoder as encoderA } from '@ab-base/ml/encoders/resnet';
import { buildResNet50 as buildA } from '@ab-base/ml/resnet50/build';
import { headTrainingRates as headA } from '@ab-base/ml/head/throughput';
import { withReportedCores } from '../../ml/backend/wasm-threads';
import { createResNet50AppEncoder as encoderB } from '../../ml/encoders/resnet';
import type { PixelImage } from '../../ml/face/pixels';
import { headTrainingRates as headB } from '../../ml/head/throughput';
import { buildResNet50 as buildB } from '../../ml/resnet50/build';
import type { ResNetVariant } from '../../ml/resnet50/variants';
import { tf } from '../../ml/tf';
import { median } from '../../lib/stats';

export interface AbResult {
  /** Per-round rates of A and B (images/s or pairs/s). */
  a: number[];
  b: number[];
  /** Median of the per-round B/A ratios. */
  ratio: number;
}

function crops(n: number, size: number): PixelImage[] {
  let x = 7;
  return Array.from({ length: n }, () => {
    const data = new Uint8ClampedArray(size * size * 3);
    for (let i = 0; i < data.length; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      data[i] = x >>> 24;
    }
    return { width: size, height: size, channels: 3, data };
  });
}

/** Alternates `a` and `b` for `rounds` rounds, flipping the order each round. */
async function interleave(rounds: number, a: () => Promise<number>, b: () => Promise<number>) {
  const out: AbResult = { a: [], b: [], ratio: NaN };
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      out.a.push(await a());
      out.b.push(await b());
    } else {
      out.b.push(await b());
      out.a.push(await a());
    }
  }
  out.ratio = median(out.b.map((v, i) => v / (out.a[i] as number)));
  return out;
}

async function init(threads: number): Promise<number> {
  setWasmPaths(new URL('./', location.href).href);
  setThreadsCount(threads);
  if (!(await withReportedCores(threads * 2, () => tf.setBackend('wasm'))))
    throw new Error('wasm backend did not start');
  return getThreadsCount();
}

async function abResnet(variant: ResNetVariant, batch: number, rounds: number): Promise<AbResult> {
  const a = encoderA(buildA(variant), variant, 'random-weights');
  const b = encoderB(buildB(variant), variant, 'random-weights');
  try {
    const images = crops(batch, 224);
    const rate = (e: typeof a) => async (): Promise<number> => {
      const t0 = performance.now();
      await e.embed(images);
      return batch / ((performance.now() - t0) / 1000);
    };
    await rate(a)();
    await rate(b)();
    return await interleave(rounds, rate(a), rate(b));
  } finally {
    a.dispose();
    b.dispose();
  }
}

async function abHead(dim: number, batchSize: number, rounds: number): Promise<AbResult> {
  const spec = { dim, batchSize, stepsPerEpoch: dim > 1000 ? 8 : 40, epochs: 2 };
  // Epoch 1 of each run warms kernels up; epoch 2 is the sample.
  const rate = (f: typeof headA) => async (): Promise<number> => (await f(spec))[1] as number;
  return interleave(rounds, rate(headA), rate(headB));
}

/**
 * Not an A/B of two commits: this tree's encoder on `size`² crops (A = 224², B = size²), to
 * price a smaller input. vggface needs size ≥ 197 (its 7×7 avg_pool).
 */
async function abResnetSize(spec: string, batch: number, rounds: number): Promise<AbResult> {
  const [variant, size] = spec.split('@') as [ResNetVariant, string];
  const encoder = encoderB(buildB(variant), variant, 'random-weights');
  try {
    const rate = (images: PixelImage[]) => async (): Promise<number> => {
      const t0 = performance.now();
      await encoder.embed(images);
      return batch / ((performance.now() - t0) / 1000);
    };
    const full = crops(batch, 224);
    const small = crops(batch, Number(size));
    await rate(full)();
    await rate(small)();
    return await interleave(rounds, rate(full), rate(small));
  } finally {
    encoder.dispose();
  }
}

Object.assign(window, { abInit: init, abResnet, abHead, abResnetSize });
