import { beforeAll, describe, expect, it } from 'vitest';
import { SEED_SPLIT } from '../data/splits';
import { tf } from '../ml/tf';
import { syntheticDataset } from '../test-support/synthetic-dataset';
import { flipIdentityOf } from './dataset';
import { evaluateHead } from './evaluate';
import { trainOnDataset } from './train';
import { trainEnsembleOnDataset } from './train-ensemble';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const OPTIONS = { epochs: 3, stepsPerEpoch: 15, batchSize: 32, patience: 0, seed: 5 };
const run = () => ({ signal: new AbortController().signal });
const synthetic = () =>
  syntheticDataset({
    families: 15,
    validationFamilies: 3,
    bloodMembers: 4,
    photosPerMember: 3,
    dim: 16,
    seed: 4,
  });

describe('evaluateHead', () => {
  it('evaluates an ensemble out-of-fold, giving exactly the AUCs and scores of its training', async () => {
    const { ds, encoder, identity } = synthetic();
    const { head, summary } = await trainEnsembleOnDataset(ds, encoder, 3, OPTIONS, false, run());
    const vectors = ds.embeddings.get(identity) as Map<string, Float32Array>;
    try {
      const before = tf.memory().numTensors;
      const e = await evaluateHead(ds, head, vectors);
      expect(tf.memory().numTensors).toBe(before);
      expect(e.outOfFold).toBe(true);
      expect(e.imageAuc).toBe(summary.valImageAuc);
      expect(e.memberAuc).toBe(summary.valMemberAuc);
      expect(e.validationFamilies).toBe(15);
      expect(e.pairs.map((p) => p.probability)).toEqual(summary.validation.scores);
      expect(e.pairs.map((p) => p.left)).toEqual(summary.validation.left);
      expect(e.members.map((m) => [m.imageAuc, m.memberAuc])).toEqual(
        summary.ensemble?.members.map((m) => [m.imageAuc, m.memberAuc]),
      );
      expect(e.flipTta).toEqual({ requested: false, pairs: 0, plainPairs: 0 });

      // Without the record of which families each member held out, no honest figure exists.
      const ensemble = head.meta.ensemble;
      head.meta = { ...head.meta, ensemble: null };
      await expect(evaluateHead(ds, head, vectors)).rejects.toThrow(/no out-of-fold evaluation/);
      head.meta = { ...head.meta, ensemble: ensemble ?? null };
    } finally {
      head.dispose();
    }
  });

  it('scores a head trained with flip TTA as training did, and says when mirrored vectors are missing', async () => {
    const { ds, encoder, identity } = synthetic();
    const { head, summary } = await trainOnDataset(
      ds,
      encoder,
      SEED_SPLIT,
      { ...OPTIONS, flipTta: true },
      false,
      run(),
    );
    const vectors = ds.embeddings.get(identity) as Map<string, Float32Array>;
    const flips = ds.embeddings.get(flipIdentityOf(identity)) as Map<string, Float32Array>;
    try {
      const withTta = await evaluateHead(ds, head, vectors, { flips });
      expect(withTta.outOfFold).toBe(false);
      expect(withTta.imageAuc).toBe(summary.valImageAuc);
      expect(withTta.memberAuc).toBe(summary.valMemberAuc);
      expect(withTta.pairs.map((p) => p.probability)).toEqual(summary.validation.scores);
      expect(withTta.flipTta).toEqual({
        requested: true,
        pairs: withTta.imagePairs,
        plainPairs: 0,
      });

      const plain = await evaluateHead(ds, head, vectors);
      expect(plain.flipTta).toEqual({ requested: true, pairs: 0, plainPairs: plain.imagePairs });
      expect(plain.pairs.map((p) => p.probability)).not.toEqual(summary.validation.scores);
    } finally {
      head.dispose();
    }
  });
});
