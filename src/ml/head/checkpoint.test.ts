import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { syntheticKinData } from './synthetic';
import { trainHead } from './train';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('training checkpoints', () => {
  it('hands over a complete head after each improved epoch, without leaking tensors', async () => {
    const data = syntheticKinData({
      families: 12,
      validationFamilies: 3,
      bloodMembers: 3,
      photosPerMember: 2,
      dim: 16,
      seed: 3,
    });
    const before = tf.memory().numTensors;
    const checkpoints: Array<{ auc: number | undefined; threshold: number; probability: number }> =
      [];
    const result = await trainHead(
      {
        embeddings: data.embeddings,
        embeddingDim: 16,
        train: data.train,
        validation: data.validation,
        encoderId: 'test',
      },
      { epochs: 4, stepsPerEpoch: 5, batchSize: 16, patience: 0 },
      {
        onCheckpoint: async (head) => {
          const p = await head.predict(
            data.embeddings.subarray(0, 16),
            data.embeddings.subarray(16, 32),
          );
          checkpoints.push({
            auc: head.meta.validation?.imageAuc,
            threshold: head.meta.threshold,
            probability: p[0] ?? NaN,
          });
        },
      },
    );
    const improvedEpochs = result.history.filter((h) => h.improved).length;
    expect(checkpoints).toHaveLength(improvedEpochs);
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const c of checkpoints) {
      expect(c.auc).toBeGreaterThanOrEqual(0);
      expect(c.probability).toBeGreaterThan(0);
      expect(c.probability).toBeLessThan(1);
    }
    // The last checkpoint is the kept epoch: same predictions as the returned head.
    const final = await result.head.predict(
      data.embeddings.subarray(0, 16),
      data.embeddings.subarray(16, 32),
    );
    expect(checkpoints.at(-1)?.probability).toBeCloseTo(final[0] ?? NaN, 6);
    result.head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('repeated training runs', () => {
  it('leave tensor count and bytes unchanged', async () => {
    const data = syntheticKinData({
      families: 10,
      validationFamilies: 2,
      bloodMembers: 3,
      photosPerMember: 2,
      dim: 32,
      seed: 5,
    });
    const input = {
      embeddings: data.embeddings,
      embeddingDim: 32,
      train: data.train,
      validation: data.validation,
      encoderId: 'leak',
    };
    const run = async (): Promise<void> => {
      const r = await trainHead(
        input,
        { epochs: 2, stepsPerEpoch: 3, batchSize: 16, patience: 0 },
        { onCheckpoint: async () => undefined },
      );
      r.head.dispose();
    };
    await run(); // first run may create lasting backend state (kernels); measure after it
    const before = tf.memory();
    for (let i = 0; i < 3; i++) await run();
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
  });
});
