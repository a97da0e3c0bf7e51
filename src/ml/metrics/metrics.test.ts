import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/random';
import {
  accuracyAt,
  bestAccuracyThreshold,
  bootstrapAucCi,
  cosineSimilarity,
  meanByGroup,
  rocAuc,
  rocCurve,
  thinRoc,
  tprAtFpr,
} from './index';

/** O(n²) definition: P(kin score > non-kin score) + ½ P(equal). */
function bruteForceAuc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((s, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((t, j) => {
      if (labels[j] !== 0) return;
      pairs++;
      wins += s > t ? 1 : s === t ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

/** Scores where kin pairs are shifted up by `separation` (normal-ish noise). */
function noisyScores(n: number, separation: number, seed: number) {
  const rng = mulberry32(seed);
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  const scores = labels.map((l) => rng() + rng() + rng() + separation * l);
  return { scores, labels };
}

describe('rocAuc', () => {
  it('matches hand-computed cases', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([1, 2, 3, 4], [1, 1, 0, 0])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5);
    // Kin 0.5, 0.7 vs non-kin 0.5, 0.2: ½ + 1 + 1 + 1 over 4 pairs.
    expect(rocAuc([0.5, 0.7, 0.5, 0.2], [1, 1, 0, 0])).toBe(0.875);
    expect(rocAuc([1, 2], [1, 1])).toBeNaN();
  });

  it('handles ties exactly (mid-ranks) on data with many tied scores', () => {
    const rng = mulberry32(5);
    const scores = Array.from({ length: 300 }, () => Math.floor(rng() * 6) / 5);
    const labels = scores.map((s) => (rng() < 0.3 + 0.4 * s ? 1 : 0));
    expect(rocAuc(scores, labels)).toBeCloseTo(bruteForceAuc(scores, labels), 12);
  });

  it('equals the trapezoid area under rocCurve', () => {
    const { scores, labels } = noisyScores(200, 0.5, 2);
    const rounded = scores.map((s) => Math.round(s * 10) / 10);
    const points = rocCurve(rounded, labels);
    let area = 0;
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1];
      const b = points[i];
      if (a && b) area += ((b.fpr - a.fpr) * (a.tpr + b.tpr)) / 2;
    }
    expect(area).toBeCloseTo(rocAuc(rounded, labels), 12);
  });

  it('rejects mismatched lengths and NaN scores', () => {
    expect(() => rocAuc([1, 2], [1])).toThrow(RangeError);
    expect(() => rocAuc([NaN, 2], [1, 0])).toThrow(/NaN/);
  });
});

describe('rocCurve and tprAtFpr', () => {
  const points = rocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);

  it('gives one point per distinct score from (0,0) to (1,1)', () => {
    expect(points).toEqual([
      { fpr: 0, tpr: 0, threshold: Infinity },
      { fpr: 0, tpr: 0.5, threshold: 0.8 },
      { fpr: 0.5, tpr: 0.5, threshold: 0.4 },
      { fpr: 0.5, tpr: 1, threshold: 0.35 },
      { fpr: 1, tpr: 1, threshold: 0.1 },
    ]);
    // Tied scores move diagonally.
    expect(rocCurve([0.5, 0.5], [1, 0])).toEqual([
      { fpr: 0, tpr: 0, threshold: Infinity },
      { fpr: 1, tpr: 1, threshold: 0.5 },
    ]);
  });

  it('interpolates linearly and takes the top of a vertical step', () => {
    expect(tprAtFpr(points, 0.25)).toBe(0.5);
    expect(tprAtFpr(points, 0.5)).toBe(1);
    expect(tprAtFpr(points, 0)).toBe(0.5);
    const sloped = [
      { fpr: 0, tpr: 0, threshold: Infinity },
      { fpr: 0.2, tpr: 0.6, threshold: 0.7 },
      { fpr: 0.6, tpr: 0.8, threshold: 0.4 },
      { fpr: 1, tpr: 1, threshold: 0 },
    ];
    expect(tprAtFpr(sloped, 0.4)).toBeCloseTo(0.7, 12);
    expect(tprAtFpr(sloped, 0.1)).toBeCloseTo(0.3, 12);
    expect(tprAtFpr(sloped, 1)).toBe(1);
    expect(() => tprAtFpr(sloped, 1.5)).toThrow(RangeError);
  });

  it('thins long curves but keeps both ends', () => {
    const { scores, labels } = noisyScores(1000, 1, 3);
    const full = rocCurve(scores, labels);
    const thin = thinRoc(full, 50);
    expect(thin.length).toBeLessThanOrEqual(51);
    expect(thin[0]).toEqual(full[0]);
    expect(thin[thin.length - 1]).toEqual(full[full.length - 1]);
    expect(thinRoc(points, 50)).toEqual(points);
  });
});

describe('thresholds', () => {
  it('finds the best-accuracy threshold at a midpoint between scores', () => {
    const scores = [0.1, 0.4, 0.35, 0.8];
    const labels = [0, 0, 1, 1];
    const best = bestAccuracyThreshold(scores, labels);
    expect(best.threshold).toBeCloseTo(0.225, 12);
    expect(best.accuracy).toBe(0.75);
    expect(accuracyAt(scores, labels, 0.225)).toBe(0.75);
    expect(accuracyAt(scores, labels, 0.6)).toBe(0.75);
    expect(accuracyAt(scores, labels, 0.375)).toBe(0.5);
  });

  it('separable data reaches accuracy 1; ties and all-negative edges behave', () => {
    expect(bestAccuracyThreshold([0.2, 0.3, 0.7, 0.9], [0, 0, 1, 1])).toEqual({
      threshold: 0.5,
      accuracy: 1,
    });
    expect(bestAccuracyThreshold([0.5, 0.5, 0.9], [1, 0, 1])).toEqual({
      threshold: 0.5,
      accuracy: 2 / 3,
    });
    const allNegative = bestAccuracyThreshold([0.2, 0.9], [0, 0]);
    expect(allNegative.accuracy).toBe(1);
    expect(allNegative.threshold).toBeGreaterThan(0.9);
    expect(accuracyAt([0.2, 0.9], [0, 0], allNegative.threshold)).toBe(1);
  });
});

describe('bootstrapAucCi', () => {
  it('is deterministic for a seed and contains the point estimate', () => {
    const { scores, labels } = noisyScores(300, 0.5, 7);
    const a = bootstrapAucCi(scores, labels, { seed: 1 });
    const b = bootstrapAucCi(scores, labels, { seed: 1 });
    expect(b).toEqual(a);
    expect(a.iterations).toBe(1000);
    expect(a.auc).toBe(rocAuc(scores, labels));
    expect(a.lower).toBeLessThan(a.auc);
    expect(a.upper).toBeGreaterThan(a.auc);
    expect(bootstrapAucCi(scores, labels, { seed: 2 }).lower).not.toBe(a.lower);
  });

  it('narrows with more pairs', () => {
    const small = noisyScores(200, 0.5, 8);
    const large = noisyScores(2000, 0.5, 8);
    const a = bootstrapAucCi(small.scores, small.labels, { seed: 3 });
    const b = bootstrapAucCi(large.scores, large.labels, { seed: 3 });
    expect(b.upper - b.lower).toBeLessThan((a.upper - a.lower) * 0.6);
  });

  it('supports unstratified resampling and rejects too few iterations', () => {
    const { scores, labels } = noisyScores(200, 0.5, 9);
    const ci = bootstrapAucCi(scores, labels, { seed: 4, stratified: false, iterations: 1000 });
    expect(ci.stratified).toBe(false);
    expect(ci.lower).toBeLessThan(ci.auc);
    expect(ci.upper).toBeGreaterThan(ci.auc);
    expect(() => bootstrapAucCi(scores, labels, { iterations: 100 })).toThrow(RangeError);
    expect(bootstrapAucCi([1, 2], [1, 1]).lower).toBeNaN();
  });
});

describe('cosineSimilarity and meanByGroup', () => {
  it('computes cosine similarity', () => {
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 2], [-1, -2])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity(new Float32Array([0, 0]), new Float32Array([1, 1]))).toBe(0);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
  });

  it('averages scores per group', () => {
    expect(Array.from(meanByGroup([1, 2, 3, 10], [0, 0, 0, 2], 3))).toEqual([2, NaN, 10]);
  });
});
