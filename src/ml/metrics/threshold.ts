/**
 * Decision thresholds for kinship scores: a pair is called kin when its score is ≥ threshold.
 */
import { sortedIndices } from './roc';
import { checkScoresAndLabels, isPositive } from './validate';

export interface ThresholdChoice {
  threshold: number;
  accuracy: number;
}

/** Share of pairs classified correctly when scores ≥ threshold are called kin. */
export function accuracyAt(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
): number {
  checkScoresAndLabels(scores, labels);
  if (scores.length === 0) return NaN;
  let correct = 0;
  for (let i = 0; i < scores.length; i++) {
    if ((scores[i] as number) >= threshold === isPositive(labels[i])) correct++;
  }
  return correct / scores.length;
}

/**
 * The threshold with the highest accuracy. Candidates are the lowest score (everything kin),
 * the midpoints between consecutive distinct scores, and just above the highest score (nothing
 * kin); midpoints keep a margin on both sides. Ties go to the lowest threshold.
 */
export function bestAccuracyThreshold(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): ThresholdChoice {
  checkScoresAndLabels(scores, labels);
  const n = scores.length;
  if (n === 0) return { threshold: 0.5, accuracy: NaN };
  const order = sortedIndices(scores, 'asc');
  let correct = 0;
  for (let i = 0; i < n; i++) if (isPositive(labels[i])) correct++;
  let best: ThresholdChoice = {
    threshold: scores[order[0] as number] as number,
    accuracy: correct / n,
  };
  for (let k = 0; k < n;) {
    const value = scores[order[k] as number] as number;
    // Raising the threshold past this group of equal scores makes all of it "not kin".
    while (k < n && scores[order[k] as number] === value) {
      correct += isPositive(labels[order[k] as number]) ? -1 : 1;
      k++;
    }
    const threshold = k < n ? (value + (scores[order[k] as number] as number)) / 2 : nextUp(value);
    if (correct / n > best.accuracy) best = { threshold, accuracy: correct / n };
  }
  return best;
}

/** The smallest double greater than x. */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const buffer = new Float64Array([x]);
  const bits = new BigInt64Array(buffer.buffer);
  bits[0] = (bits[0] as bigint) + (x > 0 ? 1n : -1n);
  return buffer[0] as number;
}
