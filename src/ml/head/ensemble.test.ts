import { beforeAll, describe, expect, it } from 'vitest';
import { poolsForSplit } from '../../data/pairs';
import { ensembleSplits, splitFamilies } from '../../data/splits';
import { mulberry32 } from '../../lib/random';
import { rocAuc } from '../metrics/roc';
import { tf } from '../tf';
import { buildHeadLayersModel, toLayersModel } from './layers-model';
import { KinshipHead } from './head';
import { exportHead, importHead } from './io';
import { minimalMeta } from './meta';
import { initHeadWeights } from './network';
import { stackHeadWeights, trainHeadEnsemble, unstackHead, type EnsembleFold } from './ensemble';
import { syntheticKinData } from './synthetic';
import type { HeadArchitecture } from './config';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ARCH: HeadArchitecture = {
  embeddingDim: 8,
  hiddenUnits: 5,
  dropout: 0.01,
  diffSquares: true,
};

function randomRows(n: number, d: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n * d }, () => rng() * 2 - 1);
}

describe('stacked heads', () => {
  it('score the mean of their members, and survive export, stock loading and import', async () => {
    const heads = [1, 2, 3].map(
      (seed) => new KinshipHead(initHeadWeights(ARCH, seed), minimalMeta('test@1', ARCH)),
    );
    const left = randomRows(40, 8, 5);
    const right = randomRows(40, 8, 6);
    const each = await Promise.all(heads.map((h) => h.predict(left, right)));
    const { arch, weights } = stackHeadWeights(heads);
    expect(arch.members).toBe(3);
    const stacked = new KinshipHead(weights, minimalMeta('test@1', arch));
    const got = await stacked.predict(left, right);
    for (let i = 0; i < 40; i++) {
      const mean = ((each[0]?.[i] ?? 0) + (each[1]?.[i] ?? 0) + (each[2]?.[i] ?? 0)) / 3;
      expect(got[i]).toBeCloseTo(mean, 6);
    }
    // Members differ, so the mean is not any one of them.
    expect(Math.abs((got[0] ?? 0) - (each[0]?.[0] ?? 0))).toBeGreaterThan(1e-4);

    // The stock layers graph computes the same numbers.
    const model = toLayersModel(arch, weights);
    const out = model.predict([
      tf.tensor2d(left, [40, 8]),
      tf.tensor2d(right, [40, 8]),
    ]) as tf.Tensor;
    const stock = await out.data();
    for (let i = 0; i < 40; i++) expect(stock[i]).toBeCloseTo(got[i] ?? 0, 6);
    expect(model.countParams()).toBe(buildHeadLayersModel(arch).countParams());

    const files = await exportHead(stacked);
    const back = await importHead({
      modelJson: files.modelJson,
      weightsBin: files.weightsBin,
      meta: files.meta,
    });
    expect(back.arch.members).toBe(3);
    expect(Array.from(await back.predict(left, right))).toEqual(Array.from(got));
    [...heads, stacked, back].forEach((h) => h.dispose());
    model.dispose();
    out.dispose();
  });

  it('unstack back into plain heads that score exactly as the members did', async () => {
    const heads = [4, 5, 6].map(
      (seed) => new KinshipHead(initHeadWeights(ARCH, seed), minimalMeta('test@1', ARCH)),
    );
    const left = randomRows(30, 8, 7);
    const right = randomRows(30, 8, 8);
    const { arch, weights } = stackHeadWeights(heads);
    const stacked = new KinshipHead(weights, minimalMeta('test@1', arch));
    const before = tf.memory().numTensors;
    for (const [i, head] of heads.entries()) {
      const member = unstackHead(stacked, i);
      expect(member.arch.members).toBeUndefined();
      expect(member.parameterCount).toBe(head.parameterCount);
      expect(Array.from(await member.predict(left, right))).toEqual(
        Array.from(await head.predict(left, right)),
      );
      member.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(() => unstackHead(stacked, 3)).toThrow(/member 3 of a head with 3 members/);
    [...heads, stacked].forEach((h) => h.dispose());
  });

  it('refuses members of different shapes', () => {
    const a = new KinshipHead(initHeadWeights(ARCH, 1), minimalMeta('t', ARCH));
    const wide = { ...ARCH, hiddenUnits: 6 };
    const b = new KinshipHead(initHeadWeights(wide, 2), minimalMeta('t', wide));
    expect(() => stackHeadWeights([a, b])).toThrow(/one architecture/);
    expect(() => stackHeadWeights([a])).toThrow(/at least 2/);
    a.dispose();
    b.dispose();
  });
});

describe('trainHeadEnsemble', () => {
  it('trains one member per family fold and reports pooled out-of-fold AUCs', async () => {
    const dim = 16;
    const data = syntheticKinData({
      families: 24,
      validationFamilies: 4,
      bloodMembers: 4,
      photosPerMember: 3,
      dim,
      seed: 5,
    });
    const families = data.dataset.families.map((f) => f.id);
    const splits = ensembleSplits(families, 3);
    const folds: EnsembleFold[] = splits.map((split) => {
      const familySplit = splitFamilies(families, split);
      const pools = poolsForSplit(data.dataset, familySplit, data.rowOf);
      return {
        split,
        input: {
          embeddings: data.embeddings,
          embeddingDim: dim,
          train: pools.train,
          validation: pools.validation,
          encoderId: 'synthetic@test',
          split,
          validationFamilies: familySplit.validation.length,
        },
      };
    });
    const started: number[] = [];
    const before = tf.memory().numTensors;
    const result = await trainHeadEnsemble(
      folds,
      { epochs: 3, stepsPerEpoch: 15, batchSize: 32, patience: 0, seed: 2 },
      { onMember: (i) => started.push(i) },
    );
    expect(started).toEqual([0, 1, 2]);
    expect(result.members).toHaveLength(3);
    expect(result.members.map((m) => m.validationFamilies).reduce((a, b) => a + b)).toBe(24);
    expect(result.head.arch.members).toBe(3);
    // Every fold's validation pairs, pooled; the AUC is over the pooled scores.
    const v = result.validation;
    expect(v.imageScores.length).toBe(result.head.meta.validation?.imagePairs);
    expect(result.valImageAuc).toBeCloseTo(rocAuc(v.imageScores, v.imageLabels), 12);
    expect(result.valMemberAuc).toBeCloseTo(rocAuc(v.memberScores, v.memberLabels), 12);
    expect(result.valImageAuc).toBeGreaterThan(0.8);
    expect(result.head.meta.validation?.families).toBe(24);
    expect(result.head.meta.ensemble?.members.map((m) => m.split)).toEqual(splits);
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    result.head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
