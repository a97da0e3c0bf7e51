import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainOptions } from '../ml/head/config';
import { KinshipHead } from '../ml/head/head';
import { minimalMeta } from '../ml/head/meta';
import { initHeadWeights } from '../ml/head/network';
import { tf } from '../ml/tf';
import { syntheticDataset } from '../test-support/synthetic-dataset';
import { flipIdentityOf } from './dataset';
import { submissionCsv } from './submission';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ARCH = { embeddingDim: 16, hiddenUnits: 6, dropout: 0, diffSquares: true };

function headWith(flipTta: boolean): KinshipHead {
  const meta = minimalMeta('synthetic@test/crop', ARCH);
  return new KinshipHead(initHeadWeights(ARCH, 9), {
    ...meta,
    training: resolveTrainOptions({ flipTta }),
  });
}

/** is_related of each row, by img_pair. */
function rows(csv: string): Map<string, number> {
  const lines = csv.trim().split('\n').slice(1);
  return new Map(lines.map((l) => [l.split(',')[0] as string, Number(l.split(',')[1])]));
}

describe('submissionCsv', () => {
  const { ds, identity } = syntheticDataset({
    families: 6,
    validationFamilies: 1,
    bloodMembers: 3,
    photosPerMember: 2,
    dim: 16,
    seed: 8,
    testPairs: 12,
  });
  const vectors = ds.embeddings.get(identity) as Map<string, Float32Array>;
  const flips = new Map(ds.embeddings.get(flipIdentityOf(identity)));
  const signal = new AbortController().signal;
  const expected = async (head: KinshipHead, pathA: string, pathB: string, mirrored: boolean) => {
    const [p] = await head.predict(
      vectors.get(pathA) as Float32Array,
      vectors.get(pathB) as Float32Array,
    );
    if (!mirrored) return p as number;
    const [q] = await head.predict(
      flips.get(pathA) as Float32Array,
      flips.get(pathB) as Float32Array,
    );
    return ((p as number) + (q as number)) / 2;
  };

  it('averages over mirrored photos for a head trained with flip TTA, and counts the pairs', async () => {
    const head = headWith(true);
    // Pair 0 loses one mirrored vector: it is scored plainly, and counted as such.
    const first = ds.dataset.testPairs[0];
    const partial = new Map(flips);
    partial.delete(first?.pathB as string);
    const before = tf.memory().numTensors;
    const result = await submissionCsv(ds, head, { vectors, flips: partial }, signal);
    expect(tf.memory().numTensors).toBe(before);
    expect(result.flipTta).toEqual({ requested: true, pairs: 11, plainPairs: 1 });
    const written = rows(result.csv);
    for (const [i, pair] of ds.dataset.testPairs.entries()) {
      const want = await expected(head, pair.pathA, pair.pathB, i !== 0);
      expect(written.get(pair.imgPair)).toBeCloseTo(want, 5);
    }
    // The mirrored photos change the scores: TTA is not a no-op here.
    const plain = await submissionCsv(ds, head, { vectors }, signal);
    expect(plain.flipTta).toEqual({ requested: true, pairs: 0, plainPairs: 12 });
    expect(plain.csv).not.toBe(result.csv);
    head.dispose();
  });

  it('scores plainly for a head trained without flip TTA, even with mirrored vectors', async () => {
    const head = headWith(false);
    const result = await submissionCsv(ds, head, { vectors, flips }, signal);
    expect(result.flipTta).toEqual({ requested: false, pairs: 0, plainPairs: 0 });
    const written = rows(result.csv);
    for (const pair of ds.dataset.testPairs) {
      const want = await expected(head, pair.pathA, pair.pathB, false);
      expect(written.get(pair.imgPair)).toBeCloseTo(want, 5);
    }
    head.dispose();
  });
});
