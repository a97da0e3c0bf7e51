/**
 * Readable verdicts from a head's own validation scores, instead of one threshold:
 *
 * - "Likely related" above the score that at most 10 % of validation unrelated pairs exceed
 *   (validation false-positive rate ≤ 10 %);
 * - "Unlikely to be related" below the score that 90 % of validation kin pairs reach;
 * - "Can't tell" in between.
 *
 * Heads trained by this version record the exact boundaries and both score distributions (as
 * quantiles) at training time. Older heads only saved their ROC curve (FPR/TPR points without
 * scores), so for them both are estimated with the binormal ROC model — see `estimateScoring`.
 */
import { normalQuantile } from '../metrics/normal';

/** 101 quantiles (q0, q1, …, q100) of one class's validation scores, ascending. */
export type Quantiles = number[];

export interface VerdictBands {
  /** "Likely related" when score > relatedAbove. */
  relatedAbove: number;
  /** "Unlikely to be related" when score < unlikelyBelow (and not related). */
  unlikelyBelow: number;
}

export interface ScoreDistributions {
  kin: Quantiles;
  unrelated: Quantiles;
  kinPairs: number;
  unrelatedPairs: number;
}

/** Bands and distributions of one evaluation level (single image pairs, or member pairs). */
export interface LevelScoring {
  bands: VerdictBands;
  distributions: ScoreDistributions;
  /** 'measured' from validation scores; 'estimated' from the ROC curve and AUC (older heads). */
  source: 'measured' | 'estimated';
}

export type Band = 'related' | 'cant-tell' | 'unlikely';

export const MAX_RELATED_FPR = 0.1;
export const MIN_KIN_COVERAGE = 0.9;

/** Quantiles with linear interpolation between order statistics (R's type 7). */
export function quantilesOf(values: ArrayLike<number>, count = 101): Quantiles {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantilesOf: no values');
  return Array.from({ length: count }, (_, k) => {
    const h = ((n - 1) * k) / (count - 1);
    const lo = Math.floor(h);
    const hi = Math.min(n - 1, lo + 1);
    return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
  });
}

/** Share of the class scoring below x (the CDF read off the quantiles, interpolated). */
export function fractionBelow(q: Quantiles, x: number): number {
  const last = q.length - 1;
  if (!(x > (q[0] as number))) return 0;
  if (x > (q[last] as number)) return 1;
  let k = 0;
  while (k < last && (q[k + 1] as number) < x) k++;
  const a = q[k] as number;
  const b = q[k + 1] as number;
  const within = b > a ? (x - a) / (b - a) : 1;
  return (k + within) / last;
}

function split(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): { kin: number[]; unrelated: number[] } {
  if (scores.length !== labels.length) {
    throw new RangeError(`${scores.length} scores but ${labels.length} labels`);
  }
  const kin: number[] = [];
  const unrelated: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    ((labels[i] as number) >= 0.5 ? kin : unrelated).push(scores[i] as number);
  }
  return { kin, unrelated };
}

/**
 * Exact boundaries from validation scores: at most ⌊10 % · unrelated⌋ unrelated pairs score
 * above `relatedAbove`, at most ⌊10 % · kin⌋ kin pairs score below `unlikelyBelow`. Ties are on
 * the safe side (a tie never counts as above the related boundary). Null without both classes.
 */
export function bandsFromScores(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): VerdictBands | null {
  const { kin, unrelated } = split(scores, labels);
  if (kin.length === 0 || unrelated.length === 0) return null;
  unrelated.sort((a, b) => b - a);
  kin.sort((a, b) => a - b);
  // How many may lie beyond each boundary; the epsilon keeps 10 % of 10 at 1 despite 1 − 0.9.
  const allowed = (share: number, n: number): number => Math.floor(share * n + 1e-9);
  return {
    relatedAbove: unrelated[allowed(MAX_RELATED_FPR, unrelated.length)] ?? -Infinity,
    unlikelyBelow: kin[allowed(1 - MIN_KIN_COVERAGE, kin.length)] ?? Infinity,
  };
}

/** Bands and quantiles of measured validation scores; null without both classes. */
export function measuredScoring(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): LevelScoring | null {
  const bands = bandsFromScores(scores, labels);
  if (!bands) return null;
  const { kin, unrelated } = split(scores, labels);
  return {
    bands,
    distributions: {
      kin: quantilesOf(kin),
      unrelated: quantilesOf(unrelated),
      kinPairs: kin.length,
      unrelatedPairs: unrelated.length,
    },
    source: 'measured',
  };
}

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * For heads that saved only AUC, ROC and the accuracy threshold. The binormal model (both
 * classes normal in logit space, equal spread) fits such heads' ROC curves well — the built-in
 * head's fitted slope is 1.06 with a fitted AUC of 0.778 against 0.778 measured. The AUC gives
 * the separation d' = √2·Φ⁻¹(AUC); the accuracy-optimal threshold of balanced classes sits
 * midway between the class means; the spread is σ = d', which is what a head calibrated on
 * balanced pairs (trained with cross-entropy, as ours are) produces. Marked 'estimated'.
 */
export function estimateScoring(
  auc: number,
  threshold: number,
  kinPairs: number,
  unrelatedPairs: number,
): LevelScoring | null {
  if (!(auc > 0.5 && auc < 1) || !(threshold > 0 && threshold < 1)) return null;
  const dPrime = Math.SQRT2 * normalQuantile(auc);
  const sigma = dPrime;
  const centre = logit(threshold);
  const meanKin = centre + (sigma * dPrime) / 2;
  const meanUnrelated = centre - (sigma * dPrime) / 2;
  // q0 and q100 at the 0.5 % and 99.5 % points: the tails of a model are not data.
  const quantiles = (mean: number): Quantiles =>
    Array.from({ length: 101 }, (_, k) =>
      sigmoid(mean + sigma * normalQuantile(Math.min(0.995, Math.max(0.005, k / 100)))),
    );
  return {
    bands: {
      relatedAbove: sigmoid(meanUnrelated + sigma * normalQuantile(1 - MAX_RELATED_FPR)),
      unlikelyBelow: sigmoid(meanKin + sigma * normalQuantile(1 - MIN_KIN_COVERAGE)),
    },
    distributions: {
      kin: quantiles(meanKin),
      unrelated: quantiles(meanUnrelated),
      kinPairs,
      unrelatedPairs,
    },
    source: 'estimated',
  };
}

export function bandOf(score: number, bands: VerdictBands): Band {
  if (score > bands.relatedAbove) return 'related';
  if (score < bands.unlikelyBelow) return 'unlikely';
  return 'cant-tell';
}

/** Where a score sits: the share of validation unrelated and related pairs it is above. */
export function placement(
  score: number,
  d: ScoreDistributions,
): { aboveUnrelated: number; aboveRelated: number } {
  return {
    aboveUnrelated: fractionBelow(d.unrelated, score),
    aboveRelated: fractionBelow(d.kin, score),
  };
}
