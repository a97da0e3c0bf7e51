import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { createResNetEncoder } from './encoder';
import { modelFromFixture } from '../../test-support/fixture-model';
import { maxAbsDiff } from '../../test-support/resnet-submodel';
import { mulberry32, uniformArray } from '../../test-support/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ResNet encoder embed', () => {
  it('RGBA pixels → [N, 4096] = max ‖ mean of the final map of the BGR − mean input; dispose frees all', async () => {
    const start = tf.memory().numTensors;
    // 40 px gives a 2×2 final map in the Keras graph, so max and mean differ.
    const encoder = createResNetEncoder(
      modelFromFixture('keras-old', 40, { seed: 8 }),
      'keras-old',
    );
    expect(encoder.id).toBe('resnet50-imagenet');
    expect(encoder.info.embeddingDim).toBe(4096);
    const rgba = uniformArray(mulberry32(3), 40 * 40 * 4, 0, 255);
    const pixels = tf.tensor3d(rgba, [40, 40, 4]);
    const embedding = encoder.embed(pixels);
    expect(embedding.shape).toEqual([1, 4096]);
    const e = (await embedding.data()) as Float32Array;

    // The same computation by hand: drop alpha, reverse to BGR, subtract the caffe mean.
    const bgr = new Float32Array(40 * 40 * 3);
    const mean = [103.939, 116.779, 123.68];
    for (let p = 0; p < 40 * 40; p++) {
      for (let c = 0; c < 3; c++) bgr[p * 3 + c] = (rgba[p * 4 + (2 - c)] ?? 0) - (mean[c] ?? 0);
    }
    const input = tf.tensor4d(bgr, [1, 40, 40, 3]);
    const map = encoder.model.predict(input) as tf.Tensor4D;
    expect(map.shape).toEqual([1, 2, 2, 2048]);
    const m = (await map.data()) as Float32Array;
    const expected = new Float32Array(4096);
    for (let c = 0; c < 2048; c++) {
      const cell = [0, 1, 2, 3].map((i) => m[i * 2048 + c] ?? 0);
      expected[c] = Math.max(...cell);
      expected[2048 + c] = cell.reduce((a, b) => a + b, 0) / 4;
    }
    expect(maxAbsDiff(e, expected)).toBeLessThanOrEqual(1e-4);
    expect(maxAbsDiff(e.subarray(0, 2048), e.subarray(2048))).toBeGreaterThan(0);

    tf.dispose([pixels, embedding, input, map]);
    encoder.dispose();
    expect(tf.memory().numTensors).toBe(start);
    expect(() => encoder.embed(pixels)).toThrow(/after dispose/);
  });
});
