import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { buildResNet50 } from './build';
import { maxAbsDiff, run, testImage, truncatedModel } from '../../test-support/resnet-submodel';
import type { ResNetVariant } from './variants';
import { mulberry32, uniformArray } from '../../test-support/rng';

const models = new Map<ResNetVariant, tf.LayersModel>();
let kernel: tf.Tensor4D;
let image: tf.Tensor4D;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const rand = mulberry32(11);
  kernel = tf.tensor4d(uniformArray(rand, 7 * 7 * 3 * 64, -0.1, 0.1), [7, 7, 3, 64]);
  image = testImage(16, 5);
  for (const v of ['vggface', 'keras-old', 'keras-new'] as const) {
    const m = buildResNet50(v, { inputSize: v === 'vggface' ? 197 : 32 });
    const conv = m.getLayer(
      v === 'vggface' ? 'conv1/7x7_s2' : v === 'keras-old' ? 'conv1' : 'conv1_conv',
    );
    conv.setWeights(v === 'vggface' ? [kernel] : [kernel, tf.zeros([64])]);
    models.set(v, m);
  }
});

afterAll(() => {
  for (const m of models.values()) m.dispose();
  tf.dispose([kernel, image]);
});

function get(v: ResNetVariant): tf.LayersModel {
  const m = models.get(v);
  if (!m) throw new Error('missing');
  return m;
}

/** conv1 7×7/2 with explicit (before, after) zero padding. */
async function paddedConv(before: number, after: number): Promise<Float32Array> {
  const y = tf.tidy(() =>
    tf.conv2d(
      tf.pad(image, [
        [0, 0],
        [before, after],
        [before, after],
        [0, 0],
      ]),
      kernel,
      2,
      'valid',
    ),
  );
  const values = (await y.data()) as Float32Array;
  y.dispose();
  return values;
}

async function stemConv(v: ResNetVariant, layer: string): Promise<Float32Array> {
  const sub = truncatedModel(get(v), v, 16, layer);
  const out = await run(sub, image);
  sub.dispose();
  return out;
}

describe('conv1 padding on an asymmetric image (trap 2)', () => {
  it("vggface 'same' equals TF padding (2 before, 3 after) and differs from symmetric (3, 3)", async () => {
    const same = await stemConv('vggface', 'conv1/7x7_s2');
    expect(maxAbsDiff(same, await paddedConv(2, 3))).toBeLessThan(1e-5);
    expect(maxAbsDiff(same, await paddedConv(3, 3))).toBeGreaterThan(0.1);
  });

  it('Keras ZeroPadding(3) + valid equals symmetric (3, 3) and differs from (2, 3)', async () => {
    const keras = await stemConv('keras-old', 'conv1');
    expect(maxAbsDiff(keras, await paddedConv(3, 3))).toBeLessThan(1e-5);
    expect(maxAbsDiff(keras, await paddedConv(2, 3))).toBeGreaterThan(0.1);
    expect(maxAbsDiff(await stemConv('keras-new', 'conv1_conv'), keras)).toBe(0);
  });
});

describe('BN epsilon values (trap 4)', () => {
  // With moving_variance = 0, BN output is conv / sqrt(eps): the epsilon is read off directly.
  it.each([
    ['keras-new', 'conv1_conv', 'conv1_bn', 1.001e-5],
    ['keras-old', 'conv1', 'bn_conv1', 1e-3],
    ['vggface', 'conv1/7x7_s2', 'conv1/7x7_s2/bn', 1e-3],
  ] as const)('%s normalises with epsilon %s', async (v, convName, bnName, eps) => {
    const m = get(v);
    const bn = m.getLayer(bnName);
    const before = bn.getWeights().map((w) => w.clone());
    bn.setWeights([tf.ones([64]), tf.zeros([64]), tf.zeros([64]), tf.zeros([64])]);
    const conv = await stemConv(v, convName);
    const normed = await stemConv(v, bnName);
    bn.setWeights(before);
    tf.dispose(before);
    const i = conv.findIndex((x) => Math.abs(x) > 0.05);
    const ratio = (normed[i] ?? 0) / (conv[i] ?? 1);
    expect(ratio).toBeCloseTo(1 / Math.sqrt(eps), 0);
    // A 1e-3 epsilon in tf.keras would give 31.6 instead of 316.
    expect(Math.abs(ratio * Math.sqrt(eps) - 1)).toBeLessThan(1e-3);
  });
});
