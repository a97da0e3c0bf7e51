/**
 * Bootstrap confidence interval of ROC AUC (percentile method).
 *
 * Each replicate resamples pairs with replacement and recomputes AUC. `stratified` (the
 * default) resamples kin and non-kin pairs separately, keeping both counts fixed: every
 * replicate then has both classes and the interval reflects score variation only. Unstratified
 * resampling also lets the class balance vary (replicates missing a class are redrawn), which
 * gives a slightly wider interval on small sets.
 */
import { deriveSeed, mulberry32, randomInt } from '../../lib/random';
import { rocAuc, sortedIndices } from './roc';
import { checkScoresAndLabels, isPositive } from './validate';

export interface BootstrapOptions {
  /** Replicates; at least 1000 so the 2.5 % tails rest on ≥ 25 values. Default 1000. */
  iterations?: number;
  seed?: number;
  stratified?: boolean;
  /** Coverage of the interval. Default 0.95. */
  level?: number;
}

export interface AucInterval {
  /** AUC of the data as given (the point estimate). */
  auc: number;
  lower: number;
  upper: number;
  level: number;
  iterations: number;
  stratified: boolean;
}

export function bootstrapAucCi(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: BootstrapOptions = {},
): AucInterval {
  checkScoresAndLabels(scores, labels);
  const iterations = options.iterations ?? 1000;
  const level = options.level ?? 0.95;
  const stratified = options.stratified ?? true;
  if (!Number.isInteger(iterations) || iterations < 1000) {
    throw new RangeError(`bootstrap needs at least 1000 iterations, got ${iterations}`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);

  const auc = rocAuc(scores, labels);
  const result = { auc, level, iterations, stratified };
  if (Number.isNaN(auc)) return { ...result, lower: NaN, upper: NaN };

  // Sort once; a replicate is a count per original pair, so its AUC is one linear pass.
  const order = sortedIndices(scores, 'asc');
  const groupOf = new Uint32Array(scores.length);
  let groups = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    if (k > 0 && scores[i] !== scores[order[k - 1] as number]) groups++;
    groupOf[i] = groups;
  }
  groups++;
  const positiveIdx: number[] = [];
  const negativeIdx: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    (isPositive(labels[i]) ? positiveIdx : negativeIdx).push(i);
  }

  const rng = mulberry32(deriveSeed(options.seed ?? 0, 'bootstrap'));
  const posWeight = new Float64Array(groups);
  const negWeight = new Float64Array(groups);
  const replicates = new Float64Array(iterations);
  for (let r = 0; r < iterations; r++) {
    posWeight.fill(0);
    negWeight.fill(0);
    if (stratified) {
      for (let k = 0; k < positiveIdx.length; k++) {
        const i = positiveIdx[randomInt(rng, positiveIdx.length)] as number;
        increment(posWeight, groupOf[i] as number);
      }
      for (let k = 0; k < negativeIdx.length; k++) {
        const i = negativeIdx[randomInt(rng, negativeIdx.length)] as number;
        increment(negWeight, groupOf[i] as number);
      }
    } else {
      drawUnstratified(scores.length, labels, groupOf, posWeight, negWeight, rng);
    }
    replicates[r] = weightedAuc(posWeight, negWeight);
  }
  replicates.sort();
  const tail = (1 - level) / 2;
  return { ...result, lower: quantile(replicates, tail), upper: quantile(replicates, 1 - tail) };
}

/** Resample n pairs from all pairs, redrawing a replicate that lacks a class. */
function drawUnstratified(
  n: number,
  labels: ArrayLike<number>,
  groupOf: Uint32Array,
  posWeight: Float64Array,
  negWeight: Float64Array,
  rng: () => number,
): void {
  for (;;) {
    let pos = 0;
    for (let k = 0; k < n; k++) {
      const i = randomInt(rng, n);
      if (isPositive(labels[i])) {
        increment(posWeight, groupOf[i] as number);
        pos++;
      } else {
        increment(negWeight, groupOf[i] as number);
      }
    }
    if (pos > 0 && pos < n) return;
    posWeight.fill(0);
    negWeight.fill(0);
  }
}

function increment(weights: Float64Array, group: number): void {
  weights[group] = (weights[group] as number) + 1;
}

/** Mann–Whitney AUC from per-score-group class weights (groups in ascending score order). */
function weightedAuc(posWeight: Float64Array, negWeight: Float64Array): number {
  let negBelow = 0;
  let wins = 0;
  let totalPos = 0;
  for (let g = 0; g < posWeight.length; g++) {
    const p = posWeight[g] as number;
    const q = negWeight[g] as number;
    wins += p * (negBelow + q / 2);
    negBelow += q;
    totalPos += p;
  }
  return wins / (totalPos * negBelow);
}

/** Linear-interpolated quantile of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (pos - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}
