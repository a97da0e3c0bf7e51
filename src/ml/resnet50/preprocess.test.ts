import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { preprocessBatch, preprocessForVariant, VGGFACE2_MEAN_BGR } from './preprocess';
import { poolFeatureMap } from './embed';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('preprocessing (trap 10)', () => {
  // Two pixels, RGBA, with distinct channel values so any channel mix-up shows.
  const rgba = [
    [10, 20, 30, 255],
    [200, 100, 50, 0],
  ];

  it('drops alpha, reverses RGB→BGR and subtracts the VGGFace2 mean, with no scaling', async () => {
    const start = tf.memory().numTensors;
    const img = tf.tensor3d([rgba], [1, 2, 4]);
    const out = preprocessForVariant(img, 'vggface');
    expect(out.shape).toEqual([1, 1, 2, 3]);
    const v = await out.data();
    const expected = [
      30 - 91.4953,
      20 - 103.8827,
      10 - 131.0912,
      50 - 91.4953,
      100 - 103.8827,
      200 - 131.0912,
    ];
    expected.forEach((e, i) => expect(v[i]).toBeCloseTo(e, 4));
    tf.dispose([img, out]);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('uses the ImageNet caffe mean for both Keras namings', async () => {
    const img = tf.tensor4d([[[[10, 20, 30]]]]);
    for (const v of ['keras-old', 'keras-new'] as const) {
      const out = preprocessForVariant(img, v);
      const values = Array.from(await out.data());
      expect(values[0]).toBeCloseTo(30 - 103.939, 4);
      expect(values[1]).toBeCloseTo(20 - 116.779, 4);
      expect(values[2]).toBeCloseTo(10 - 123.68, 4);
      out.dispose();
    }
    img.dispose();
  });

  it('accepts int32 pixels and keeps a batch', async () => {
    const img = tf.tensor4d([0, 0, 0, 255, 255, 255], [2, 1, 1, 3], 'int32');
    const out = preprocessBatch(img, VGGFACE2_MEAN_BGR);
    expect(out.dtype).toBe('float32');
    expect(Array.from(await out.data()).map((x) => +x.toFixed(4))).toEqual([
      -91.4953,
      -103.8827,
      -131.0912,
      255 - 91.4953,
      255 - 103.8827,
      +(255 - 131.0912).toFixed(4),
    ]);
    tf.dispose([img, out]);
  });

  it('rejects images that are neither RGB nor RGBA', () => {
    const gray = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    expect(() => preprocessBatch(gray, VGGFACE2_MEAN_BGR)).toThrow(/3 \(RGB\) or 4 \(RGBA\)/);
    gray.dispose();
  });
});

describe('embedding pooling', () => {
  it('is GlobalMaxPool ‖ GlobalAvgPool over H×W', async () => {
    // [1, 2, 2, 2]: channel 0 = 1,2,3,4; channel 1 = -1,5,0,2
    const map = tf.tensor4d([1, -1, 2, 5, 3, 0, 4, 2], [1, 2, 2, 2]);
    const pooled = poolFeatureMap(map);
    expect(pooled.shape).toEqual([1, 4]);
    expect(Array.from(await pooled.data())).toEqual([4, 5, 2.5, 1.5]);
    tf.dispose([map, pooled]);
  });

  it('gives two equal halves on a 1×1 map, as for the vggface notop output (trap 1)', async () => {
    const map = tf.tensor4d([0.5, -2, 7], [1, 1, 1, 3]);
    const pooled = poolFeatureMap(map);
    expect(Array.from(await pooled.data())).toEqual([0.5, -2, 7, 0.5, -2, 7]);
    tf.dispose([map, pooled]);
  });
});
