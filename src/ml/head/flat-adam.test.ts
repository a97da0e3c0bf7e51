import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { FlatAdamHead } from './flat-adam';
import { initHeadWeights, weightList } from './network';
import type { HeadArchitecture } from './config';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ARCH: HeadArchitecture = { embeddingDim: 6, hiddenUnits: 5, dropout: 0, diffSquares: false };

describe('FlatAdamHead', () => {
  it('takes the same steps as tf.train.adam on the mean gradients, and leaks nothing', async () => {
    const batch = 32;
    const reference = initHeadWeights(ARCH, 7);
    const ours = initHeadWeights(ARCH, 7);
    const before = tf.memory().numTensors;
    const optimizer = tf.train.adam(0.01);
    const flat = new FlatAdamHead(ARCH, ours, 0.01, batch);
    for (let step = 0; step < 6; step++) {
      tf.tidy(() => {
        // Batch-summed gradients of growing size, so the moments change every step.
        const summed = weightList(reference).map((v, i) =>
          tf.randomNormal(v.shape, 0, 1 + step, 'float32', 10 * step + i),
        );
        optimizer.applyGradients(
          Object.fromEntries(
            weightList(reference).map((v, i) => [v.name, tf.div(summed[i] as tf.Tensor, batch)]),
          ),
        );
        const [k1, b1, k2, b2] = summed as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        flat.step({
          kernel1: k1 as tf.Tensor2D,
          bias1: b1 as tf.Tensor1D,
          kernel2: k2 as tf.Tensor2D,
          bias2: b2 as tf.Tensor1D,
        });
      });
    }
    flat.writeTo(ours);
    for (const [i, v] of weightList(ours).entries()) {
      const r = weightList(reference)[i] as tf.Variable;
      expect(v.shape).toEqual(r.shape);
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(v, r))).dataSync()[0] as number);
      const moved = tf.tidy(() => tf.max(tf.abs(r)).dataSync()[0] as number);
      expect(moved).toBeGreaterThan(0.01);
      expect(diff).toBeLessThan(1e-5);
    }
    flat.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    [...weightList(reference), ...weightList(ours)].forEach((v) => v.dispose());
  });
});
