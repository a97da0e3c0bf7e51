import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { buildResNet50 } from './build';
import { fuseResNet50 } from './fused';
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
      const model = buildResNet50(variant, { inputSize: size });
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
