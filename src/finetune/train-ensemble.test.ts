import { beforeAll, describe, expect, it } from 'vitest';
import { buildValidationPairs, poolsForSplit } from '../data/pairs';
import { splitFamilies } from '../data/splits';
import { deriveSeed } from '../lib/random';
import { resolveTrainOptions } from '../ml/head/config';
import { unstackHead } from '../ml/head/ensemble';
import { meanByGroup, rocAuc } from '../ml/metrics';
import { tf } from '../ml/tf';
import { syntheticDataset } from '../test-support/synthetic-dataset';
import { embeddingRows } from './embeddings';
import { trainEnsembleOnDataset, type MemberStart } from './train-ensemble';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const OPTIONS = { epochs: 3, stepsPerEpoch: 15, batchSize: 32, patience: 0, seed: 3 };
const synthetic = () =>
  syntheticDataset({
    families: 18,
    validationFamilies: 3,
    bloodMembers: 4,
    photosPerMember: 3,
    dim: 16,
    seed: 11,
  });

/** Row-major [n, d] rows of `table`. */
function gather(table: Float32Array, rows: Int32Array, d: number): Float32Array {
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => out.set(table.subarray(r * d, (r + 1) * d), i * d));
  return out;
}

describe('trainEnsembleOnDataset', () => {
  it('trains one head per family fold; its AUC is the pooled out-of-fold AUC, each pair scored by the head that held it out', async () => {
    const { ds, encoder, identity } = synthetic();
    const started: MemberStart[] = [];
    const before = tf.memory().numTensors;
    const { head, summary } = await trainEnsembleOnDataset(ds, encoder, 3, OPTIONS, false, {
      signal: new AbortController().signal,
      onMember: (m) => started.push(m),
    });
    try {
      expect(started.map((m) => `${m.index + 1}/${m.count} ${m.heldOut}`)).toEqual([
        '1/3 validation: family fold 1 of 3',
        '2/3 validation: family fold 2 of 3',
        '3/3 validation: family fold 3 of 3',
      ]);
      expect(head.arch.members).toBe(3);
      expect(head.meta.split).toBeNull();
      expect(head.meta.ensemble?.members.map((m) => m.split)).toEqual(started.map((m) => m.split));
      const ensemble = summary.ensemble;
      if (!ensemble) throw new Error('no ensemble summary');
      expect(ensemble.requested).toBe(3);
      expect(ensemble.members.map((m) => m.validationFamilies).reduce((a, b) => a + b)).toBe(18);
      expect(summary.trainFamilies).toBe(18);
      expect(summary.validationFamilies).toBe(18);
      expect(summary.validationKinPairs).toBe(ds.dataset.kinPairs.length);
      for (const m of ensemble.members) expect(m.trainFamilies + m.validationFamilies).toBe(18);

      // Recompute the pool independently: each fold's validation pairs scored by its member.
      const rows = embeddingRows(ds, ds.embeddings.get(identity) as Map<string, Float32Array>, 16);
      const opts = resolveTrainOptions(OPTIONS);
      const images: number[] = [];
      const imageLabels: number[] = [];
      const members: number[] = [];
      const memberLabels: number[] = [];
      const inSample: number[] = [];
      for (const [i, m] of ensemble.members.entries()) {
        const split = splitFamilies(
          ds.dataset.families.map((f) => f.id),
          m.split,
        );
        const pools = poolsForSplit(ds.dataset, split, (p) => rows.index.get(p));
        const pairs = buildValidationPairs(pools.validation, {
          seed: deriveSeed(opts.seed, 'validation-set'),
          photoPairsPerMemberPair: opts.validationPhotoPairs,
          photosPerPersonForMembers: opts.memberPhotosPerPerson,
        });
        const member = unstackHead(head, i);
        const left = gather(rows.table, pairs.images.left, 16);
        const right = gather(rows.table, pairs.images.right, 16);
        const scores = await member.predict(left, right);
        const photoScores = await member.predict(
          gather(rows.table, pairs.memberPhotos.left, 16),
          gather(rows.table, pairs.memberPhotos.right, 16),
        );
        member.dispose();
        expect(m.imageAuc).toBe(rocAuc(scores, pairs.images.labels));
        images.push(...scores);
        imageLabels.push(...pairs.images.labels);
        members.push(
          ...meanByGroup(photoScores, pairs.memberPhotos.memberPair, pairs.members.labels.length),
        );
        memberLabels.push(...pairs.members.labels);
        inSample.push(...(await head.predict(left, right)));
      }
      expect(summary.valImageAuc).toBe(rocAuc(images, imageLabels));
      expect(summary.valMemberAuc).toBe(rocAuc(members, memberLabels));
      expect(summary.validation.scores).toEqual(images);
      expect(summary.valImageAuc).toBeGreaterThan(0.7);
      // The whole ensemble scores these pairs otherwise: it trained on most of their families.
      expect(inSample).not.toEqual(images);
      expect(summary.validation.left.every((p) => p.startsWith('train/'))).toBe(true);
    } finally {
      head.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('Stop keeps the finished heads (two or more) and rejects with fewer', async () => {
    const { ds, encoder } = synthetic();
    const before = tf.memory().numTensors;
    const stopIn = async (memberIndex: number) => {
      const controller = new AbortController();
      let current = -1;
      return trainEnsembleOnDataset(ds, encoder, 3, OPTIONS, false, {
        signal: controller.signal,
        onMember: (m) => (current = m.index),
        onEpoch: (s) => {
          if (current === memberIndex && s.epoch === 1) controller.abort();
        },
      });
    };
    const stopped = await stopIn(1);
    expect(stopped.summary.ensemble?.members).toHaveLength(2);
    expect(stopped.summary.ensemble?.requested).toBe(3);
    expect(stopped.summary.stopReason).toBe('aborted');
    expect(stopped.head.arch.members).toBe(2);
    // Only the two finished folds are in the out-of-fold pool.
    expect(stopped.summary.validationFamilies).toBe(
      stopped.summary.ensemble?.members.reduce((n, m) => n + m.validationFamilies, 0),
    );
    expect(stopped.summary.validationFamilies).toBeLessThan(18);
    stopped.head.dispose();
    await expect(stopIn(0)).rejects.toMatchObject({ code: 'ABORTED' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('needs two heads and enough families', async () => {
    const { ds, encoder } = synthetic();
    const run = { signal: new AbortController().signal };
    await expect(trainEnsembleOnDataset(ds, encoder, 1, OPTIONS, false, run)).rejects.toThrow(
      /at least 2 members/,
    );
    await expect(trainEnsembleOnDataset(ds, encoder, 19, OPTIONS, false, run)).rejects.toThrow(
      /needs at least 19 families/,
    );
  });
});
