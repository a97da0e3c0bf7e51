/**
 * The training table on the backend and one epoch of steps over it: the embeddings uploaded once,
 * each epoch's pair indices sampled on the host and uploaded in one go, batches gathered on the
 * backend, and a hand-written forward/backward pass (step.ts) feeding Adam (flat-adam.ts).
 * Loss and errors are summed on the backend and read once per epoch.
 */
import type { createPairSampler } from '../../data/pairs';
import { yieldToEventLoop } from '../../lib/abort';
import type { Rng } from '../../lib/random';
import { tf } from '../tf';
import type { HeadArchitecture, HeadTrainOptions } from './config';
import type { FlatAdamHead } from './flat-adam';
import { headProbabilities, pairFeatures, type HeadWeights } from './network';
import { dropoutMask, summedGradients } from './step';
import type { HeadTrainingInput } from './train-types';

const YIELD_EVERY_MS = 50;

/** The table as one [rows, d] tensor, or [2·rows, d] with flipped rows after the originals. */
export function uploadTable(
  input: HeadTrainingInput,
  rows: number,
  withFlips: boolean,
): tf.Tensor2D {
  const d = input.embeddingDim;
  if (!withFlips || !input.flipEmbeddings) return tf.tensor2d(input.embeddings, [rows, d]);
  const flips = input.flipEmbeddings;
  return tf.tidy(() =>
    tf.concat([tf.tensor2d(input.embeddings, [rows, d]), tf.tensor2d(flips, [rows, d])], 0),
  );
}

export interface EpochPlan {
  left: Int32Array;
  right: Int32Array;
  labels: Float32Array;
}

/** All batches of one epoch, sampled on the host (cheap integers), flips already applied. */
export function planEpoch(
  sampler: ReturnType<typeof createPairSampler>,
  opts: HeadTrainOptions,
  flipOffset: number,
  flipRng: Rng,
): EpochPlan {
  const n = opts.batchSize * opts.stepsPerEpoch;
  const plan = { left: new Int32Array(n), right: new Int32Array(n), labels: new Float32Array(n) };
  for (let s = 0; s < opts.stepsPerEpoch; s++) {
    const batch = sampler.next(opts.batchSize);
    plan.left.set(batch.left, s * opts.batchSize);
    plan.right.set(batch.right, s * opts.batchSize);
    plan.labels.set(batch.labels, s * opts.batchSize);
  }
  if (flipOffset > 0) {
    for (let i = 0; i < n; i++) {
      if (flipRng() < 0.5) plan.left[i] = (plan.left[i] as number) + flipOffset;
      if (flipRng() < 0.5) plan.right[i] = (plan.right[i] as number) + flipOffset;
    }
  }
  return plan;
}

export interface EpochSums {
  done: number;
  /** Σ BCE over every pair of the epoch. */
  lossSum: tf.Scalar;
  /** Pairs on the wrong side of 0.5. */
  wrong: tf.Scalar;
}

/** What every training step uses. */
export interface StepContext {
  adam: FlatAdamHead;
  arch: HeadArchitecture;
  table: tf.Tensor2D;
  opts: HeadTrainOptions;
  dropoutRng: Rng;
  signal: AbortSignal | undefined;
}

/** Runs the epoch's steps; stops early (keeping what was done) when the signal fires. */
export async function runEpoch(ctx: StepContext, plan: EpochPlan): Promise<EpochSums> {
  const { adam, arch, table, opts, dropoutRng, signal } = ctx;
  const b = opts.batchSize;
  const left = rowIndices(plan.left);
  const right = rowIndices(plan.right);
  const labels = tf.tensor2d(plan.labels, [plan.labels.length, 1]);
  let lossSum: tf.Scalar = tf.scalar(0);
  let wrong: tf.Scalar = tf.scalar(0);
  let done = 0;
  let lastYield = performance.now();
  try {
    for (let step = 0; step < opts.stepsPerEpoch; step++) {
      if (signal?.aborted) break;
      const [nextLoss, nextWrong] = tf.tidy(() => {
        const features = pairFeatures(
          gatherRows(table, left.slice([step * b, 0], [b, 1])),
          gatherRows(table, right.slice([step * b, 0], [b, 1])),
          arch.diffSquares,
        );
        const y = labels.slice([step * b, 0], [b, 1]);
        const mask =
          arch.dropout > 0 ? dropoutMask(b, arch.hiddenUnits, arch.dropout, dropoutRng) : undefined;
        const result = summedGradients(adam.params(), features, y, mask);
        adam.step(result.grads);
        return [lossSum.add(result.lossSum), wrong.add(result.wrong)] as [tf.Scalar, tf.Scalar];
      });
      lossSum.dispose();
      wrong.dispose();
      lossSum = nextLoss;
      wrong = nextWrong;
      done++;
      // Let abort and progress messages through without a per-step timer cost.
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
  } finally {
    left.dispose();
    right.dispose();
    labels.dispose();
  }
  if (done === 0) {
    lossSum.dispose();
    wrong.dispose();
  }
  return { done, lossSum, wrong };
}

/** Table rows as a [n, 1] int32 tensor, the index shape `gatherRows` takes. */
export function rowIndices(rows: Int32Array): tf.Tensor2D {
  return tf.tensor2d(rows, [rows.length, 1], 'int32');
}

/**
 * Rows of the table. Backends differ ~30× on which op copies rows fast (128 rows of 4096,
 * measured): wasm gatherND 1 ms vs gather 35 ms; cpu gather 62 ms vs gatherND 196 ms.
 */
function gatherRows(table: tf.Tensor2D, rows: tf.Tensor2D): tf.Tensor2D {
  return tf.getBackend() === 'cpu'
    ? tf.gather(table, tf.reshape(rows, [-1]))
    : (tf.gatherND(table, rows) as tf.Tensor2D);
}

/** Kin probabilities for table-row pairs, in chunks, read back once. */
export async function scorePairs(
  weights: HeadWeights,
  arch: HeadArchitecture,
  table: tf.Tensor2D,
  left: tf.Tensor2D,
  right: tf.Tensor2D,
  flipOffset = 0,
  chunk = 4096,
): Promise<Float32Array> {
  const n = left.shape[0];
  const probs = tf.tidy(() => {
    const parts: tf.Tensor1D[] = [];
    for (let start = 0; start < n; start += chunk) {
      const size = Math.min(chunk, n - start);
      const l = left.slice([start, 0], [size, 1]);
      const r = right.slice([start, 0], [size, 1]);
      const p = headProbabilities(weights, arch, gatherRows(table, l), gatherRows(table, r));
      parts.push(
        flipOffset > 0
          ? tf.div(
              tf.add(
                p,
                headProbabilities(
                  weights,
                  arch,
                  gatherRows(table, tf.add(l, tf.scalar(flipOffset, 'int32'))),
                  gatherRows(table, tf.add(r, tf.scalar(flipOffset, 'int32'))),
                ),
              ),
              2,
            )
          : p,
      );
    }
    return parts.length === 1 ? (parts[0] as tf.Tensor1D) : tf.concat(parts);
  });
  try {
    return (await probs.data()) as Float32Array;
  } finally {
    probs.dispose();
  }
}
