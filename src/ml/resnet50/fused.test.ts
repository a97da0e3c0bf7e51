import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PixelImage } from '../face/pixels';
import { pixelsToBatch } from '../face/pixels';
import { tf } from '../tf';
import { modelFromFixture } from '../../test-support/fixture-model';
import { mulberry32 } from '../../test-support/rng';
import { fuseResNet50 } from './fused';
import { preprocessForVariant } from './preprocess';
import { RESNET_VARIANTS, type ResNetVariant } from './variants';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

/** Random but non-trivial BN statistics, so folding has something to get wrong. */
function randomiseBatchNorm(model: tf.LayersModel, seed: number): void {
  let s = seed;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const [gamma, beta, mean, variance] = layer.getWeights() as tf.Tensor1D[];
    const c = gamma?.shape[0] ?? 0;
    layer.setWeights([
      tf.randomUniform([c], 0.5, 1.5, 'float32', s++),
      tf.randomUniform([c], -0.2, 0.2, 'float32', s++),
      tf.randomUniform([c], -0.2, 0.2, 'float32', s++),
      tf.randomUniform([c], 0.5, 2, 'float32', s++),
    ]);
    void beta;
    void mean;
    void variance;
  }
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    na += (a[i] ?? 0) ** 2;
    nb += (b[i] ?? 0) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

describe('BN-folded ResNet50', () => {
  it.each(RESNET_VARIANTS.map((v) => [v]))(
    '%s: same feature map as the layers model (cosine ≥ 0.9999), no leaks',
    async (variant: ResNetVariant) => {
      const size = variant === 'vggface' ? 197 : 64;
      // Fixture kernels (buildResNet50's are zeros) and random BN statistics.
      const model = modelFromFixture(variant, size, { seed: 13 });
      randomiseBatchNorm(model, 11);
      const x = tf.randomUniform([2, size, size, 3], -120, 120, 'float32', 5) as tf.Tensor4D;
      const reference = model.predict(x) as tf.Tensor4D;
      const fused = fuseResNet50(model, variant);
      const before = tf.memory().numTensors;
      const out = fused.run(x);
      expect(out.shape).toEqual(reference.shape);
      const [a, b] = await Promise.all([reference.data(), out.data()]);
      expect(cosine(a as Float32Array, b as Float32Array)).toBeGreaterThanOrEqual(0.9999);
      let maxRel = 0;
      const scale = Math.max(...Array.from(a, Math.abs));
      for (let i = 0; i < a.length; i++)
        maxRel = Math.max(maxRel, Math.abs((a[i] ?? 0) - (b[i] ?? 0)) / scale);
      expect(maxRel).toBeLessThan(1e-3);
      out.dispose();
      expect(tf.memory().numTensors).toBe(before);
      fused.dispose();
      reference.dispose();
      x.dispose();
      model.dispose();
    },
    120_000,
  );
});

/** Bright-ish random RGBA crops: a border mistake in the folded stem would show at once. */
function crops(n: number, size: number, seed: number): PixelImage[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const data = new Uint8ClampedArray(size * size * 4);
    for (let i = 0; i < data.length; i++) data[i] = Math.floor(60 + 196 * rand());
    return { width: size, height: size, channels: 4 as const, data };
  });
}

describe('preprocessing folded into the stem (runPixels)', () => {
  it.each(RESNET_VARIANTS.map((v) => [v]))(
    '%s: same map as the layers model on the preprocessed batch (cosine ≥ 0.9999), no leaks',
    async (variant: ResNetVariant) => {
      // Small inputs make the padded border a large share of every later map.
      const size = variant === 'vggface' ? 197 : 40;
      const model = modelFromFixture(variant, size, { seed: 21 });
      const images = crops(2, size, 3);
      const reference = tf.tidy(
        () => model.predict(preprocessForVariant(pixelsToBatch(images), variant)) as tf.Tensor4D,
      );
      const fused = fuseResNet50(model, variant);
      const before = tf.memory().numTensors;
      const out = fused.runPixels(images);
      expect(tf.memory().numTensors).toBe(before + 1);
      expect(out.shape).toEqual(reference.shape);
      const [a, b] = (await Promise.all([reference.data(), out.data()])) as Float32Array[];
      expect(cosine(a as Float32Array, b as Float32Array)).toBeGreaterThanOrEqual(0.9999);
      const scale = Math.max(...Array.from(a as Float32Array, Math.abs));
      let maxAbs = 0;
      for (let i = 0; i < (a as Float32Array).length; i++)
        maxAbs = Math.max(
          maxAbs,
          Math.abs(((a as Float32Array)[i] ?? 0) - ((b as Float32Array)[i] ?? 0)),
        );
      expect(maxAbs / scale).toBeLessThan(1e-4);
      out.dispose();
      expect(tf.memory().numTensors).toBe(before);
      fused.dispose();
      tf.dispose([reference]);
      model.dispose();
      expect(() => fused.runPixels(images)).toThrow(/after dispose/);
    },
    120_000,
  );
});
