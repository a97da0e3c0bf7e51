/**
 * ROC curve and ROC AUC for kinship scores (higher = more likely kin, label 1 = kin).
 */
import { checkScoresAndLabels, isPositive } from './validate';

export interface RocPoint {
  fpr: number;
  tpr: number;
  /** Pairs scoring ≥ threshold are called kin. Infinity for the (0, 0) start point. */
  threshold: number;
}

/**
 * The ROC curve: one point per distinct score (ties move FPR and TPR together, giving a
 * diagonal segment), from (0, 0) to (1, 1), in increasing FPR.
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocPoint[] {
  checkScoresAndLabels(scores, labels);
  const order = sortedIndices(scores, 'desc');
  const positives = countPositives(labels);
  const negatives = scores.length - positives;
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length;) {
    const threshold = scores[order[k] as number] as number;
    while (k < order.length && scores[order[k] as number] === threshold) {
      if (isPositive(labels[order[k] as number])) tp++;
      else fp++;
      k++;
    }
    points.push({
      fpr: negatives > 0 ? fp / negatives : 0,
      tpr: positives > 0 ? tp / positives : 0,
      threshold,
    });
  }
  return points;
}

/**
 * ROC AUC as the Mann–Whitney U statistic with mid-ranks for ties: the probability that a random
 * kin pair outscores a random non-kin pair, ties counting one half. Exact, O(n log n).
 * NaN when either class is empty.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkScoresAndLabels(scores, labels);
  const order = sortedIndices(scores, 'asc');
  const positives = countPositives(labels);
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  let positiveRankSum = 0;
  for (let k = 0; k < order.length;) {
    const value = scores[order[k] as number];
    let end = k;
    while (end < order.length && scores[order[end] as number] === value) end++;
    const midRank = (k + 1 + end) / 2; // ranks k+1 … end share their mean
    for (let t = k; t < end; t++) {
      if (isPositive(labels[order[t] as number])) positiveRankSum += midRank;
    }
    k = end;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * TPR at a given FPR, by linear interpolation between the ROC points around it. Where the curve
 * has a vertical step exactly at `fpr`, the highest TPR reached there is returned.
 */
export function tprAtFpr(points: readonly RocPoint[], fpr: number): number {
  if (points.length === 0) return NaN;
  if (!(fpr >= 0 && fpr <= 1)) throw new RangeError(`FPR must be in [0, 1], got ${fpr}`);
  let below: RocPoint | undefined;
  let above: RocPoint | undefined;
  let exact = -Infinity;
  for (const p of points) {
    if (p.fpr === fpr) exact = Math.max(exact, p.tpr);
    else if (
      p.fpr < fpr &&
      (!below || p.fpr > below.fpr || (p.fpr === below.fpr && p.tpr > below.tpr))
    )
      below = p;
    else if (
      p.fpr > fpr &&
      (!above || p.fpr < above.fpr || (p.fpr === above.fpr && p.tpr < above.tpr))
    )
      above = p;
  }
  if (exact > -Infinity) return exact;
  if (!below) return above ? above.tpr : NaN;
  if (!above) return below.tpr;
  const t = (fpr - below.fpr) / (above.fpr - below.fpr);
  return below.tpr + t * (above.tpr - below.tpr);
}

/**
 * At most `maxPoints` points of a ROC curve for charts and saved metadata, keeping both ends and
 * points evenly spread along the curve's length (so steep and flat parts both keep detail).
 */
export function thinRoc(points: readonly RocPoint[], maxPoints: number): RocPoint[] {
  if (points.length <= maxPoints || maxPoints < 2) return [...points];
  const cumulative = [0];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as RocPoint;
    const b = points[i] as RocPoint;
    cumulative.push((cumulative[i - 1] as number) + Math.hypot(b.fpr - a.fpr, b.tpr - a.tpr));
  }
  const total = cumulative[cumulative.length - 1] as number;
  const kept: RocPoint[] = [];
  let next = 0;
  for (let k = 0; k < maxPoints; k++) {
    const target = (total * k) / (maxPoints - 1);
    while (next < points.length - 1 && (cumulative[next] as number) < target) next++;
    const p = points[next] as RocPoint;
    if (kept[kept.length - 1] !== p) kept.push(p);
  }
  const last = points[points.length - 1] as RocPoint;
  if (kept[kept.length - 1] !== last) kept.push(last);
  return kept;
}

function countPositives(labels: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < labels.length; i++) if (isPositive(labels[i])) n++;
  return n;
}

/** Indices of `scores` sorted by score (stable for ties). */
export function sortedIndices(scores: ArrayLike<number>, direction: 'asc' | 'desc'): Uint32Array {
  const order = Uint32Array.from({ length: scores.length }, (_, i) => i);
  const sign = direction === 'asc' ? 1 : -1;
  return order.sort((i, j) => sign * ((scores[i] as number) - (scores[j] as number)) || i - j);
}
