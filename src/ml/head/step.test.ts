import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/random';
import { tf } from '../tf';
import { bceWithLogits, dropoutMask, summedGradients } from './step';

describe.each(['cpu', 'wasm'])('summedGradients on %s', (backend) => {
  it('sums the stable BCE and counts wrong pairs, also for logits of ±100', async () => {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      // One input feature, identity-like weights: the logit is features·W1·W2 + b2.
      const logits = [-100, -30, -2, -0.5, 0.5, 2, 30, 100];
      const labels = [1, 0, 0, 1, 1, 0, 1, 0];
      const features = tf
        .tensor2d(
          logits.map((z) => Math.max(z, 0)).concat(logits.map((z) => Math.max(-z, 0))),
          [2, 8],
        )
        .transpose() as tf.Tensor2D;
      const p = {
        kernel1: tf.tensor2d([1, 0, 0, 1], [2, 2]),
        bias1: tf.zeros([2]) as tf.Tensor1D,
        kernel2: tf.tensor2d([1, -1], [2, 1]),
        bias2: tf.zeros([1]) as tf.Tensor1D,
      };
      const y = tf.tensor2d(labels, [8, 1]);
      const s = summedGradients(p, features, y);
      const z = tf.tensor2d(logits, [8, 1]);
      const expected = (bceWithLogits(z, y).dataSync()[0] as number) * 8;
      expect(Number.isFinite(expected)).toBe(true);
      expect(s.lossSum.dataSync()[0]).toBeCloseTo(expected, 3);
      // Wrong: −100 (y 1), −0.5 (y 1), 2 (y 0), 100 (y 0).
      expect(s.wrong.dataSync()[0]).toBe(4);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('dropoutMask', () => {
  it('drops i.i.d. entries at the seed rate of 0.01 (gap sampling)', async () => {
    await tf.setBackend('cpu');
    const mask = dropoutMask(1000, 100, 0.01, mulberry32(5));
    const values = mask.dataSync();
    mask.dispose();
    let dropped = 0;
    let other = 0;
    const kept = Math.fround(1 / 0.99);
    const perColumn = new Array<number>(100).fill(0);
    values.forEach((v, i) => {
      if (v === 0) {
        dropped++;
        perColumn[i % 100] = (perColumn[i % 100] ?? 0) + 1;
      } else if (v !== kept) other++;
    });
    expect(other).toBe(0);
    // Binomial(100000, 0.01): mean 1000, sd ≈ 31.
    expect(Math.abs(dropped - 1000)).toBeLessThan(130);
    // Spread over every column, not clustered: each column expects 10 ± 3.
    expect(Math.max(...perColumn)).toBeLessThan(30);
    expect(perColumn.filter((c) => c === 0).length).toBeLessThan(3);
  });
});
