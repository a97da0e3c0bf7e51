import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/random';
import { bestAccuracyThreshold, rocAuc } from '../metrics';
import { normalQuantile } from '../metrics/normal';
import {
  bandOf,
  bandsFromScores,
  estimateScoring,
  fractionBelow,
  measuredScoring,
  placement,
  quantilesOf,
} from './bands';
import { minimalMeta, type HeadMeta } from './meta';
import { headScoring } from './scoring';

const ARCH = { embeddingDim: 128, hiddenUnits: 100, dropout: 0.01, diffSquares: true };

describe('bandsFromScores', () => {
  // Ten unrelated pairs 0.05 … 0.95 and ten kin pairs 0.10 … 1.00 (step 0.1).
  const unrelated = Array.from({ length: 10 }, (_, i) => 0.05 + i * 0.1);
  const kin = Array.from({ length: 10 }, (_, i) => 0.1 + i * 0.1);
  const scores = [...unrelated, ...kin];
  const labels = [...unrelated.map(() => 0), ...kin.map(() => 1)];

  it('puts "likely related" above the second-highest of ten unrelated scores (FPR 1/10)', () => {
    const bands = bandsFromScores(scores, labels);
    expect(bands?.relatedAbove).toBeCloseTo(0.85, 12);
    // 10 % of 10 kin pairs may fall below: the lowest one (0.1) is at the boundary, not below.
    expect(bands?.unlikelyBelow).toBeCloseTo(0.2, 12);
    const fpr = unrelated.filter((u) => u > (bands?.relatedAbove ?? 0)).length / unrelated.length;
    expect(fpr).toBeLessThanOrEqual(0.1);
    const missed = kin.filter((k) => k < (bands?.unlikelyBelow ?? 0)).length / kin.length;
    expect(missed).toBeLessThanOrEqual(0.1);
  });

  it('is strict at both edges: a score on a boundary is "can\'t tell"', () => {
    const bands = bandsFromScores(scores, labels);
    if (!bands) throw new Error('no bands');
    expect(bandOf(bands.relatedAbove, bands)).toBe('cant-tell');
    expect(bandOf(bands.relatedAbove + 1e-9, bands)).toBe('related');
    expect(bandOf(bands.unlikelyBelow, bands)).toBe('cant-tell');
    expect(bandOf(bands.unlikelyBelow - 1e-9, bands)).toBe('unlikely');
    expect(bandOf(0.5, bands)).toBe('cant-tell');
  });

  it('keeps ties on the safe side: equal top unrelated scores never count as related', () => {
    const tied = [0.9, 0.9, 0.9, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2];
    const bands = bandsFromScores([...tied, 0.95], [...tied.map(() => 0), 1]);
    expect(bands?.relatedAbove).toBe(0.9);
    expect(bandOf(0.9, bands as NonNullable<typeof bands>)).not.toBe('related');
  });

  it('lets "related" win when a strong head leaves no room for "can\'t tell"', () => {
    const bands = bandsFromScores([0.1, 0.2, 0.3, 0.8, 0.9, 0.95], [0, 0, 0, 1, 1, 1]);
    if (!bands) throw new Error('no bands');
    expect(bands.unlikelyBelow).toBeGreaterThan(bands.relatedAbove);
    expect(bandOf(0.5, bands)).toBe('related');
    expect(bandOf(0.25, bands)).toBe('unlikely');
  });

  it('gives no bands without both classes', () => {
    expect(bandsFromScores([0.2, 0.4], [1, 1])).toBeNull();
    expect(bandsFromScores([], [])).toBeNull();
    expect(measuredScoring([0.2], [0])).toBeNull();
  });
});

describe('quantiles and placement', () => {
  it('reads shares back off the quantiles', () => {
    const values = Array.from({ length: 1001 }, (_, i) => i / 1000);
    const q = quantilesOf(values);
    expect(q).toHaveLength(101);
    expect(q[0]).toBe(0);
    expect(q[50]).toBeCloseTo(0.5, 12);
    expect(fractionBelow(q, 0.25)).toBeCloseTo(0.25, 6);
    expect(fractionBelow(q, -1)).toBe(0);
    expect(fractionBelow(q, 2)).toBe(1);
  });

  it('places a score against both classes', () => {
    const s = measuredScoring([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], [0, 0, 0, 0, 1, 1, 1, 1]);
    if (!s) throw new Error('no scoring');
    const p = placement(0.55, s.distributions);
    expect(p.aboveUnrelated).toBe(1);
    expect(p.aboveRelated).toBeCloseTo(1 / 6, 6);
  });
});

/** Calibrated binormal scores: logit ~ N(±d'²/2 + c, d'), the model estimateScoring assumes. */
function binormalScores(dPrime: number, centre: number, n: number, seed: number) {
  const rng = mulberry32(seed);
  const scores: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const kin = i % 2;
    const z = normalQuantile(Math.min(1 - 1e-9, Math.max(1e-9, rng())));
    const logit = centre + ((kin ? 1 : -1) * (dPrime * dPrime)) / 2 + dPrime * z;
    scores.push(1 / (1 + Math.exp(-logit)));
    labels.push(kin);
  }
  return { scores, labels };
}

describe('estimateScoring (heads that saved only AUC, ROC and threshold)', () => {
  it('recovers measured bands within 0.03 on data that follows its model', () => {
    const { scores, labels } = binormalScores(1.08, 0.18, 20000, 3);
    const measured = measuredScoring(scores, labels);
    const { threshold } = bestAccuracyThreshold(scores, labels);
    const estimated = estimateScoring(rocAuc(scores, labels), threshold, 10000, 10000);
    if (!measured || !estimated) throw new Error('no scoring');
    expect(estimated.source).toBe('estimated');
    expect(Math.abs(estimated.bands.relatedAbove - measured.bands.relatedAbove)).toBeLessThan(0.03);
    expect(Math.abs(estimated.bands.unlikelyBelow - measured.bands.unlikelyBelow)).toBeLessThan(
      0.03,
    );
    // At the estimated boundary, close to 10 % of the unrelated pairs score above it.
    const fpr =
      scores.filter((s, i) => labels[i] === 0 && s > estimated.bands.relatedAbove).length / 10000;
    expect(fpr).toBeGreaterThan(0.07);
    expect(fpr).toBeLessThan(0.13);
  });

  it("gives the built-in head's figures sensible bands (AUC 0.778, threshold 0.544)", () => {
    const s = estimateScoring(0.778, 0.544, 1108, 1108);
    if (!s) throw new Error('no scoring');
    expect(s.bands.relatedAbove).toBeGreaterThan(0.544);
    expect(s.bands.unlikelyBelow).toBeLessThan(0.544);
    expect(fractionBelow(s.distributions.unrelated, s.bands.relatedAbove)).toBeCloseTo(0.9, 2);
    expect(fractionBelow(s.distributions.kin, s.bands.unlikelyBelow)).toBeCloseTo(0.1, 2);
  });

  it('refuses figures no model fits', () => {
    expect(estimateScoring(0.5, 0.5, 10, 10)).toBeNull();
    expect(estimateScoring(0.8, 1, 10, 10)).toBeNull();
  });
});

describe('headScoring', () => {
  const withValidation = (extra: Partial<NonNullable<HeadMeta['validation']>>): HeadMeta => ({
    ...minimalMeta('face-descriptor/x', ARCH),
    threshold: 0.55,
    validation: {
      imageAuc: 0.78,
      memberAuc: 0.8,
      accuracy: 0.71,
      imagePairs: 2000,
      memberPairs: 500,
      bestEpoch: 3,
      epochsRun: 5,
      roc: [],
      memberRoc: [],
      ...extra,
    },
  });

  it('is null for a head without validation data', () => {
    expect(headScoring(minimalMeta('x', ARCH), 'image')).toBeNull();
  });

  it('uses recorded scoring when the head has it, per level', () => {
    const image = measuredScoring([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]);
    const meta = withValidation({ scoring: { image, member: null } });
    expect(headScoring(meta, 'image')).toEqual(image);
    expect(headScoring(meta, 'member')?.source).toBe('estimated');
  });

  it('estimates from the AUC of the level when nothing was recorded', () => {
    const meta = withValidation({});
    const image = headScoring(meta, 'image');
    const member = headScoring(meta, 'member');
    expect(image?.source).toBe('estimated');
    expect(member?.bands).toEqual(estimateScoring(0.8, 0.55, 250, 250)?.bands);
    expect(image?.bands).toEqual(estimateScoring(0.78, 0.55, 1000, 1000)?.bands);
  });

  it('ignores malformed recorded scoring instead of trusting it', () => {
    const broken = { bands: { relatedAbove: 'x' }, distributions: {} } as never;
    expect(
      headScoring(withValidation({ scoring: { image: broken, member: null } }), 'image')?.source,
    ).toBe('estimated');
  });
});
