/**
 * Training the Siamese head on cached embeddings.
 *
 * Speed comes from keeping everything on the backend: the embedding table is uploaded once,
 * each epoch's pair indices are uploaded in one go, batches are gathered from the table on the
 * backend, and a hand-written forward/backward pass (step.ts) feeds Adam on one flat parameter
 * vector (flat-adam.ts): no LayersModel, no autodiff tape, no per-step `dataSync`, ~60 kernel
 * calls per step. Loss and errors are summed on the backend and read once per epoch.
 */
import {
  buildValidationPairs,
  createPairSampler,
  type PairPool,
  type ValidationPairs,
} from '../../data/pairs';
import type { SplitSpec } from '../../data/splits';
import { yieldToEventLoop } from '../../lib/abort';
import { KinshipError } from '../../lib/errors';
import { deriveSeed, mulberry32, type Rng } from '../../lib/random';
import { meanByGroup } from '../metrics/aggregate';
import { rocAuc, rocCurve, thinRoc, type RocPoint } from '../metrics/roc';
import { bestAccuracyThreshold } from '../metrics/threshold';
import { tf } from '../tf';
import {
  architectureOf,
  resolveTrainOptions,
  type HeadArchitecture,
  type HeadPresetName,
  type HeadTrainOptions,
} from './config';
import { FlatAdamHead } from './flat-adam';
import { KinshipHead } from './head';
import { dropoutMask, summedGradients } from './step';
import { measuredScoring } from './bands';
import { minimalMeta, type HeadDatasetInfo } from './meta';
import {
  disposeHeadWeights,
  headProbabilities,
  headWeightsFrom,
  initHeadWeights,
  pairFeatures,
  weightList,
  type HeadWeights,
} from './network';

export interface HeadTrainingInput {
  /** Row-major [rows, d] embeddings of every photo the pools refer to. */
  embeddings: Float32Array;
  embeddingDim: number;
  /** Embeddings of the horizontally flipped photos, same rows (enables flip augmentation). */
  flipEmbeddings?: Float32Array;
  train: PairPool;
  validation: PairPool;
  /** Encoder identity (incl. weights hash), saved in the head's meta. */
  encoderId: string;
  split?: SplitSpec | null;
  /** Saved in the meta for the head's provenance line. */
  dataset?: HeadDatasetInfo | null;
  /** Number of families in the validation pool, saved in the meta. */
  validationFamilies?: number;
}

export interface EpochStats {
  /** 1-based. */
  epoch: number;
  epochs: number;
  /** Mean training BCE over the epoch's batches. */
  loss: number;
  /** Training accuracy at probability 0.5. */
  accuracy: number;
  valImageAuc: number;
  valMemberAuc: number;
  /** Training pairs per second in this epoch (validation excluded). */
  pairsPerSecond: number;
  elapsedMs: number;
  improved: boolean;
  bestEpoch: number;
  /** True for an epoch cut short by Stop. */
  partial: boolean;
}

export interface TrainHeadRun {
  /**
   * Stop: training ends after the current step, validates that partial epoch and keeps the best
   * weights so far (stopReason 'aborted'). Stopped before the first step: rejects with ABORTED.
   */
  signal?: AbortSignal;
  onEpoch?: (stats: EpochStats) => void;
  /**
   * Called with a temporary copy of the head after every epoch that improved (disposed after the
   * call), so the caller can save it: a reload mid-training then keeps the best checkpoint.
   */
  onCheckpoint?: (head: KinshipHead) => Promise<void>;
}

export interface ValidationScores {
  imageScores: Float32Array;
  imageLabels: Float32Array;
  /** Embedding-table rows of each validation image pair (same order as the scores). */
  imageLeft: Int32Array;
  imageRight: Int32Array;
  memberScores: Float64Array;
  memberLabels: Float32Array;
}

export interface HeadTrainingResult {
  head: KinshipHead;
  history: EpochStats[];
  bestEpoch: number;
  stopReason: 'completed' | 'early-stopped' | 'aborted';
  threshold: number;
  valAccuracy: number;
  valImageAuc: number;
  valMemberAuc: number;
  roc: RocPoint[];
  memberRoc: RocPoint[];
  /** Scores of the kept epoch, e.g. for a bootstrap CI. */
  validation: ValidationScores;
}

export type TrainHeadOptions = Partial<HeadTrainOptions> & { preset?: HeadPresetName };

const MAX_ROC_POINTS = 200;
const YIELD_EVERY_MS = 50;

export async function trainHead(
  input: HeadTrainingInput,
  options: TrainHeadOptions = {},
  run: TrainHeadRun = {},
): Promise<HeadTrainingResult> {
  const { preset, ...overrides } = options;
  const opts = resolveTrainOptions(overrides, preset);
  const arch = architectureOf(input.embeddingDim, opts);
  const rows = checkInput(input);
  const useFlips = opts.flipAugmentation && input.flipEmbeddings !== undefined;
  // Flip test-time augmentation: validation pairs scored as the mean over (a, b) and their
  // mirrored photos (a′, b′).
  const flipTta = opts.flipTta && input.flipEmbeddings !== undefined;

  const validationPairs = buildValidationPairs(input.validation, {
    seed: deriveSeed(opts.seed, 'validation-set'),
    photoPairsPerMemberPair: opts.validationPhotoPairs,
    photosPerPersonForMembers: opts.memberPhotosPerPerson,
  });
  const sampler = createPairSampler(input.train, {
    seed: deriveSeed(opts.seed, 'sampler'),
    hardNegativeFraction: opts.hardNegativeFraction,
  });
  const flipRng = mulberry32(deriveSeed(opts.seed, 'flip'));

  const owned: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  const weights = initHeadWeights(arch, deriveSeed(opts.seed, 'init'));
  const adam = new FlatAdamHead(arch, weights, opts.learningRate, opts.batchSize);
  let best: tf.Tensor[] | null = null;
  try {
    const table = own(uploadTable(input, rows, useFlips || flipTta));
    const valLeft = own(rowIndices(validationPairs.images.left));
    const valRight = own(rowIndices(validationPairs.images.right));
    const memberLeft = own(rowIndices(validationPairs.memberPhotos.left));
    const memberRight = own(rowIndices(validationPairs.memberPhotos.right));
    const valRows = { valLeft, valRight, memberLeft, memberRight, flipOffset: flipTta ? rows : 0 };

    const stepContext: StepContext = {
      adam,
      arch,
      table,
      opts,
      dropoutRng: mulberry32(deriveSeed(opts.seed, 'dropout')),
      signal: run.signal,
    };
    const history: EpochStats[] = [];
    let bestScore = -Infinity;
    let bestEpoch = 0;
    let bestScores: ValidationScores | null = null;
    let stopReason: HeadTrainingResult['stopReason'] = 'completed';
    const started = performance.now();

    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      const plan = planEpoch(sampler, opts, useFlips ? rows : 0, flipRng);
      const t0 = performance.now();
      const steps = await runEpoch(stepContext, plan);
      if (steps.done === 0) {
        stopReason = 'aborted';
        break;
      }
      const [lossSum, wrong] = await Promise.all([steps.lossSum.data(), steps.wrong.data()]);
      steps.lossSum.dispose();
      steps.wrong.dispose();
      const trainMs = performance.now() - t0;
      const pairsDone = steps.done * opts.batchSize;
      adam.writeTo(weights);

      const evaluation = await evaluate(weights, arch, table, valRows, validationPairs);
      const { valImageAuc, valMemberAuc } = evaluation;
      const score = opts.monitor === 'memberAuc' ? valMemberAuc : valImageAuc;
      const improved = score > bestScore || bestScores === null;
      if (improved) {
        bestScore = score;
        bestEpoch = epoch;
        best?.forEach((t) => t.dispose());
        best = weightList(weights).map((v) => v.clone());
        bestScores = evaluation.scores;
      }
      const partial = steps.done < opts.stepsPerEpoch;
      const stats: EpochStats = {
        epoch,
        epochs: opts.epochs,
        loss: (lossSum[0] ?? NaN) / pairsDone,
        accuracy: (pairsDone - (wrong[0] ?? NaN)) / pairsDone,
        valImageAuc,
        valMemberAuc,
        pairsPerSecond: pairsDone / (trainMs / 1000),
        elapsedMs: performance.now() - started,
        improved,
        bestEpoch,
        partial,
      };
      history.push(stats);
      run.onEpoch?.(stats);
      if (improved && run.onCheckpoint && best) {
        const snapshot = new KinshipHead(
          headWeightsFrom(arch, best as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]),
          minimalMeta(input.encoderId, arch),
        );
        try {
          summarise(snapshot, {
            input,
            opts,
            history: [...history],
            best: bestOf(stats),
            scores: evaluation.scores,
            stopReason: 'aborted',
          });
          await run.onCheckpoint(snapshot);
        } finally {
          snapshot.dispose();
        }
      }
      if (partial || run.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      if (opts.patience > 0 && epoch - bestEpoch >= opts.patience) {
        stopReason = 'early-stopped';
        break;
      }
      await yieldToEventLoop();
    }

    if (!best || !bestScores) throw new KinshipError('ABORTED', 'Cancelled before the first step');
    weightList(weights).forEach((v, i) => v.assign(best?.[i] as tf.Tensor));

    const bestStats = history.find((h) => h.epoch === bestEpoch) as EpochStats;
    return summarise(new KinshipHead(weights, minimalMeta(input.encoderId, arch)), {
      input,
      opts,
      history,
      best: bestOf(bestStats),
      scores: bestScores,
      stopReason,
    });
  } catch (e) {
    disposeHeadWeights(weights);
    throw e;
  } finally {
    best?.forEach((t) => t.dispose());
    owned.forEach((t) => t.dispose());
    adam.dispose();
  }
}

/** The kept epoch's figures, as the summary states them. */
export interface KeptEpoch {
  epoch: number;
  imageAuc: number;
  memberAuc: number;
}

function bestOf(stats: EpochStats): KeptEpoch {
  return { epoch: stats.epoch, imageAuc: stats.valImageAuc, memberAuc: stats.valMemberAuc };
}

/**
 * Threshold, ROC curves and meta of the kept epoch (or of an ensemble's pooled out-of-fold
 * scores); fills in the head's meta.
 */
export function summarise(
  head: KinshipHead,
  run: {
    input: HeadTrainingInput;
    opts: HeadTrainOptions;
    history: EpochStats[];
    best: KeptEpoch;
    scores: ValidationScores;
    stopReason: HeadTrainingResult['stopReason'];
  },
): HeadTrainingResult {
  const { scores, best } = run;
  const { threshold, accuracy } = bestAccuracyThreshold(scores.imageScores, scores.imageLabels);
  const roc = thinRoc(rocCurve(scores.imageScores, scores.imageLabels), MAX_ROC_POINTS);
  const memberRoc = thinRoc(rocCurve(scores.memberScores, scores.memberLabels), MAX_ROC_POINTS);
  head.meta = {
    ...head.meta,
    threshold,
    validation: {
      imageAuc: best.imageAuc,
      memberAuc: best.memberAuc,
      accuracy,
      imagePairs: scores.imageScores.length,
      memberPairs: scores.memberScores.length,
      bestEpoch: best.epoch,
      epochsRun: run.history.length,
      roc: roc.map((p) => [p.fpr, p.tpr]),
      memberRoc: memberRoc.map((p) => [p.fpr, p.tpr]),
      ...(run.input.validationFamilies !== undefined
        ? { families: run.input.validationFamilies }
        : {}),
      scoring: {
        image: measuredScoring(scores.imageScores, scores.imageLabels),
        member: measuredScoring(scores.memberScores, scores.memberLabels),
      },
    },
    split: run.input.split ?? null,
    training: run.opts,
    dataset: run.input.dataset ?? null,
  };
  return {
    head,
    history: run.history,
    bestEpoch: best.epoch,
    stopReason: run.stopReason,
    threshold,
    valAccuracy: accuracy,
    valImageAuc: best.imageAuc,
    valMemberAuc: best.memberAuc,
    roc,
    memberRoc,
    validation: scores,
  };
}

/** Validation scores and AUCs of the current weights. */
async function evaluate(
  weights: HeadWeights,
  arch: HeadArchitecture,
  table: tf.Tensor2D,
  rows: {
    valLeft: tf.Tensor2D;
    valRight: tf.Tensor2D;
    memberLeft: tf.Tensor2D;
    memberRight: tf.Tensor2D;
    /** Row offset of the mirrored photos in `table` for flip TTA; 0 for none. */
    flipOffset: number;
  },
  pairs: ValidationPairs,
): Promise<{ scores: ValidationScores; valImageAuc: number; valMemberAuc: number }> {
  const imageScores = await scorePairs(
    weights,
    arch,
    table,
    rows.valLeft,
    rows.valRight,
    rows.flipOffset,
  );
  // Member pairs: the mean over all photo pairs of the two people (up to 3 × 3).
  const memberPhotoScores = await scorePairs(
    weights,
    arch,
    table,
    rows.memberLeft,
    rows.memberRight,
    rows.flipOffset,
  );
  const memberScores = meanByGroup(
    memberPhotoScores,
    pairs.memberPhotos.memberPair,
    pairs.members.labels.length,
  );
  return {
    scores: {
      imageScores,
      imageLabels: pairs.images.labels,
      imageLeft: pairs.images.left,
      imageRight: pairs.images.right,
      memberScores,
      memberLabels: pairs.members.labels,
    },
    valImageAuc: rocAuc(imageScores, pairs.images.labels),
    valMemberAuc: rocAuc(memberScores, pairs.members.labels),
  };
}

/** Checks shapes and pool rows; returns the number of table rows. */
function checkInput(input: HeadTrainingInput): number {
  const d = input.embeddingDim;
  if (!(Number.isInteger(d) && d > 0) || input.embeddings.length % d !== 0) {
    throw new RangeError(
      `embeddings length ${input.embeddings.length} is not a multiple of d=${d}`,
    );
  }
  const rows = input.embeddings.length / d;
  if (input.flipEmbeddings && input.flipEmbeddings.length !== input.embeddings.length) {
    throw new RangeError('flipEmbeddings must have the same shape as embeddings');
  }
  for (const [name, pool] of [
    ['training', input.train],
    ['validation', input.validation],
  ] as const) {
    if (pool.kin.length === 0) {
      throw new KinshipError(
        'DATASET_FORMAT',
        `The ${name} families have no listed kin pairs with embedded photos; choose another split.`,
      );
    }
    for (const m of pool.members) {
      for (const r of m.photos) {
        if (!(Number.isInteger(r) && r >= 0 && r < rows)) {
          throw new RangeError(`${m.id}: photo row ${r} outside the ${rows}-row embedding table`);
        }
      }
    }
  }
  return rows;
}

/** The table as one [rows, d] tensor, or [2·rows, d] with flipped rows after the originals. */
function uploadTable(input: HeadTrainingInput, rows: number, withFlips: boolean): tf.Tensor2D {
  const d = input.embeddingDim;
  if (!withFlips || !input.flipEmbeddings) return tf.tensor2d(input.embeddings, [rows, d]);
  const flips = input.flipEmbeddings;
  return tf.tidy(() =>
    tf.concat([tf.tensor2d(input.embeddings, [rows, d]), tf.tensor2d(flips, [rows, d])], 0),
  );
}

interface EpochPlan {
  left: Int32Array;
  right: Int32Array;
  labels: Float32Array;
}

/** All batches of one epoch, sampled on the host (cheap integers), flips already applied. */
function planEpoch(
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

interface EpochSums {
  done: number;
  /** Σ BCE over every pair of the epoch. */
  lossSum: tf.Scalar;
  /** Pairs on the wrong side of 0.5. */
  wrong: tf.Scalar;
}

/** What every training step uses. */
interface StepContext {
  adam: FlatAdamHead;
  arch: HeadArchitecture;
  table: tf.Tensor2D;
  opts: HeadTrainOptions;
  dropoutRng: Rng;
  signal: AbortSignal | undefined;
}

/** Runs the epoch's steps; stops early (keeping what was done) when the signal fires. */
async function runEpoch(ctx: StepContext, plan: EpochPlan): Promise<EpochSums> {
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
function rowIndices(rows: Int32Array): tf.Tensor2D {
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
async function scorePairs(
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
