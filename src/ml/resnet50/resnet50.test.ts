/**
 * ResNet50 encoders: architecture, counts and shapes. This is the main test file of the encoder
 * port; every pitfall of ENCODERS.md §9 has a test that fails if the port falls into it:
 *
 *  1. vggface keeps its 7×7 avg_pool (1×1 notop map; max = avg; ≥229 px averages the top-left
 *     window): here "notop output: vggface 1×1×2048 …" and "avg_pool at 256 px …";
 *     preprocess.test.ts "gives two equal halves on a 1×1 map".
 *  2. conv1 padding ('same' = 2/3 vs ZeroPadding 3): stem.test.ts "conv1 padding on an
 *     asymmetric image" (both tests).
 *  3. pool1 padding (55 vs 56): here "pool1: vggface 55×55 (no padding), Keras 56×56".
 *  4. BN epsilon (1e-3 / 1.001e-5): stem.test.ts "BN epsilon values" (numeric, per variant);
 *     here "BN epsilon: …" (config of all 53 BN layers).
 *  5. stride-2 placement: here "stride 2 on the first 1×1 and the projection …" and "stage
 *     outputs follow ENCODERS.md §1.4".
 *  6. conv bias: here "parameter and tensor counts" (23,561,152 / 23,587,712; 265 / 318) and
 *     "conv bias: none in vggface, all 53 in Keras".
 *  7. order-based loading: weights/load-h5.test.ts "swapping conv2_1_1x1_increase/bn and
 *     conv2_1_1x1_proj/bn in the file changes the output" and "keras-new: loads _0_/_3_
 *     conv-block layers by name"; here "Appendix A order …".
 *  8. weight-name sources: weights/load-h5.test.ts "keras-old with Keras-1 names …" and "… `_1`
 *     scope suffixes …"; weights/load-tfjs.test.ts "Keras-1 manifest names …".
 *  9. TF.js conversion of keras-vggface: weights/load-h5.test.ts "descends into model_weights and
 *     loads every nested …/bn layer"; weights/load-tfjs.test.ts "modelTopology null …" and "a
 *     converted full-model vggface file that lost every …/bn weight is refused …".
 * 10. preprocessing and quantization: preprocess.test.ts "drops alpha, reverses RGB→BGR …" and
 *     "uses the ImageNet caffe mean …"; encoder.test.ts (end to end); weights/load-tfjs.test.ts
 *     "float16 touches conv kernels only …" and "uint8 kernels …"; cli/convert.test.ts
 *     "--quantize float16 … leaves BN statistics in float32".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { buildResNet50 } from './build';
import { resnet50Plan, weightedLayers, weightSpecs } from './architecture';
import { RESNET_VARIANTS, VARIANT_SPECS, type ResNetVariant } from './variants';
import { ENCODER_IDS, ENCODERS, encoderIdForVariant, getEncoderInfo } from './encoders';

type Config = Record<string, unknown>;

const models = new Map<ResNetVariant, tf.LayersModel>();
function model(variant: ResNetVariant): tf.LayersModel {
  const m = models.get(variant);
  if (!m) throw new Error('not built');
  return m;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const v of RESNET_VARIANTS) models.set(v, buildResNet50(v));
});
afterAll(() => {
  for (const m of models.values()) m.dispose();
});

function countOf(variables: tf.LayerVariable[]): number {
  return variables.reduce((n, v) => n + v.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);
}

describe('parameter and tensor counts (ENCODERS.md §5)', () => {
  it.each([
    ['vggface', 23_561_152, 23_508_032, 265],
    ['keras-old', 23_587_712, 23_534_592, 318],
    ['keras-new', 23_587_712, 23_534_592, 318],
  ] as const)(
    '%s: %i params, %i trainable, 53,120 non-trainable, %i tensors',
    (v, total, trainable, tensors) => {
      const m = model(v);
      expect(m.countParams()).toBe(total);
      expect(VARIANT_SPECS[v].paramCount).toBe(total);
      expect(countOf(m.trainableWeights)).toBe(trainable);
      expect(countOf(m.nonTrainableWeights)).toBe(53_120);
      expect(m.weights).toHaveLength(tensors);
      expect(weightSpecs(v)).toHaveLength(tensors);
      expect(VARIANT_SPECS[v].weightTensorCount).toBe(tensors);
      expect(weightedLayers(v)).toHaveLength(106);
    },
  );

  it('layer counts match the Keras models (174 vggface, 175 Keras)', () => {
    expect(model('vggface').layers).toHaveLength(174);
    expect(model('keras-old').layers).toHaveLength(175);
    expect(model('keras-new').layers).toHaveLength(175);
  });

  it('tfjs sorts layers exactly as the plan (Keras model.layers order)', () => {
    for (const v of RESNET_VARIANTS) {
      expect(model(v).layers.map((l) => l.name)).toEqual(resnet50Plan(v).map((l) => l.name));
    }
  });
});

describe('shapes at 224', () => {
  it('notop output: vggface 1×1×2048 (avg_pool kept), Keras 7×7×2048', () => {
    expect(model('vggface').outputShape).toEqual([null, 1, 1, 2048]);
    expect(model('vggface').getLayer('avg_pool').getConfig()).toMatchObject({
      poolSize: [7, 7],
      strides: [7, 7],
      padding: 'valid',
    });
    expect(model('keras-old').outputShape).toEqual([null, 7, 7, 2048]);
    expect(model('keras-new').outputShape).toEqual([null, 7, 7, 2048]);
  });

  it('pool1: vggface 55×55 (no padding), Keras 56×56 (pool1_pad)', () => {
    expect(model('vggface').getLayer('max_pooling2d_1').outputShape).toEqual([null, 55, 55, 64]);
    expect(model('keras-old').getLayer('max_pooling2d_1').outputShape).toEqual([null, 56, 56, 64]);
    expect(model('keras-new').getLayer('pool1_pool').outputShape).toEqual([null, 56, 56, 64]);
    expect(model('vggface').getLayer('conv1/7x7_s2').outputShape).toEqual([null, 112, 112, 64]);
    expect(model('keras-old').getLayer('conv1_pad').outputShape).toEqual([null, 230, 230, 3]);
  });

  it('stage outputs follow ENCODERS.md §1.4', () => {
    const m = model('vggface');
    expect(m.getLayer('conv2_3_1x1_increase/bn').outputShape).toEqual([null, 55, 55, 256]);
    expect(m.getLayer('conv3_4_1x1_increase/bn').outputShape).toEqual([null, 28, 28, 512]);
    expect(m.getLayer('conv4_6_1x1_increase/bn').outputShape).toEqual([null, 14, 14, 1024]);
    expect(m.getLayer('conv5_3_1x1_increase/bn').outputShape).toEqual([null, 7, 7, 2048]);
  });

  it('avg_pool at 256 px averages only the top-left 7×7 window of the 8×8 map (trap 1)', async () => {
    const avgPool = model('vggface').getLayer('avg_pool');
    const map = tf.tidy(() => tf.range(0, 64).reshape([1, 8, 8, 1]).tile([1, 1, 1, 2]));
    const out = avgPool.apply(map) as tf.Tensor;
    expect(out.shape).toEqual([1, 1, 1, 2]);
    // Mean of r·8 + c over r, c in 0…6 = 3·8 + 3 = 27 (the global mean would be 31.5).
    expect(Array.from(await out.data())).toEqual([27, 27]);
    tf.dispose([map, out]);
  });

  it('vggface refuses inputs below 197 px (its 7×7 avg_pool would fail)', () => {
    expect(() => buildResNet50('vggface', { inputSize: 196 })).toThrow(/at least 197/);
  });
});

describe('layer configuration per variant', () => {
  it('BN epsilon: 1e-3 vggface and old Keras, 1.001e-5 tf.keras, on all 53 BN layers', () => {
    const expected: Record<ResNetVariant, number> = {
      vggface: 1e-3,
      'keras-old': 1e-3,
      'keras-new': 1.001e-5,
    };
    for (const v of RESNET_VARIANTS) {
      const bns = model(v).layers.filter((l) => l.getClassName() === 'BatchNormalization');
      expect(bns).toHaveLength(53);
      for (const bn of bns) expect((bn.getConfig() as Config).epsilon).toBe(expected[v]);
    }
  });

  it('conv bias: none in vggface, all 53 in Keras', () => {
    for (const v of RESNET_VARIANTS) {
      const convs = model(v).layers.filter((l) => l.getClassName() === 'Conv2D');
      expect(convs).toHaveLength(53);
      for (const c of convs) expect((c.getConfig() as Config).useBias).toBe(v !== 'vggface');
    }
  });

  it('stride 2 on the first 1×1 and the projection of stages 3–5, never on the 3×3', () => {
    const m = model('vggface');
    const strides = (name: string): unknown => (m.getLayer(name).getConfig() as Config).strides;
    expect(strides('conv1/7x7_s2')).toEqual([2, 2]);
    expect((m.getLayer('conv1/7x7_s2').getConfig() as Config).padding).toBe('same');
    for (const b of [1, 2, 3]) expect(strides(`conv2_${b}_1x1_reduce`)).toEqual([1, 1]);
    expect(strides('conv2_1_1x1_proj')).toEqual([1, 1]);
    for (const s of [3, 4, 5]) {
      expect(strides(`conv${s}_1_1x1_reduce`)).toEqual([2, 2]);
      expect(strides(`conv${s}_1_1x1_proj`)).toEqual([2, 2]);
      expect(strides(`conv${s}_1_3x3`)).toEqual([1, 1]);
      expect(strides(`conv${s}_2_1x1_reduce`)).toEqual([1, 1]);
    }
    const k = model('keras-new');
    expect((k.getLayer('conv3_block1_1_conv').getConfig() as Config).strides).toEqual([2, 2]);
    expect((k.getLayer('conv3_block1_0_conv').getConfig() as Config).strides).toEqual([2, 2]);
    expect((k.getLayer('conv3_block1_2_conv').getConfig() as Config).strides).toEqual([1, 1]);
    const o = model('keras-old');
    expect((o.getLayer('res4a_branch2a').getConfig() as Config).strides).toEqual([2, 2]);
    expect((o.getLayer('res4a_branch1').getConfig() as Config).strides).toEqual([2, 2]);
    expect((o.getLayer('res4a_branch2b').getConfig() as Config).strides).toEqual([1, 1]);
  });

  it('Add operand order: [main, shortcut] in vggface/old Keras, [shortcut, main] in tf.keras', () => {
    const addOf = (v: ResNetVariant, name: string): string[] => {
      const spec = resnet50Plan(v).find((l) => l.name === name);
      if (spec?.kind !== 'add') throw new Error(`${name} is not an add`);
      return spec.inputs;
    };
    expect(addOf('vggface', 'add_1')).toEqual(['conv2_1_1x1_increase/bn', 'conv2_1_1x1_proj/bn']);
    expect(addOf('keras-old', 'add_1')).toEqual(['bn2a_branch2c', 'bn2a_branch1']);
    expect(addOf('keras-new', 'conv2_block1_add')).toEqual([
      'conv2_block1_0_bn',
      'conv2_block1_3_bn',
    ]);
  });
});

describe('Appendix A order of the 106 weighted layers', () => {
  it('starts like the table for each naming, with the conv-block reorder in tf.keras', () => {
    const first = (v: ResNetVariant): string[] =>
      weightedLayers(v)
        .slice(0, 10)
        .map((l) => l.name);
    expect(first('vggface')).toEqual([
      'conv1/7x7_s2',
      'conv1/7x7_s2/bn',
      'conv2_1_1x1_reduce',
      'conv2_1_1x1_reduce/bn',
      'conv2_1_3x3',
      'conv2_1_3x3/bn',
      'conv2_1_1x1_increase',
      'conv2_1_1x1_proj',
      'conv2_1_1x1_increase/bn',
      'conv2_1_1x1_proj/bn',
    ]);
    expect(first('keras-old')).toEqual([
      'conv1',
      'bn_conv1',
      'res2a_branch2a',
      'bn2a_branch2a',
      'res2a_branch2b',
      'bn2a_branch2b',
      'res2a_branch2c',
      'res2a_branch1',
      'bn2a_branch2c',
      'bn2a_branch1',
    ]);
    expect(first('keras-new').slice(6)).toEqual([
      'conv2_block1_0_conv',
      'conv2_block1_3_conv',
      'conv2_block1_0_bn',
      'conv2_block1_3_bn',
    ]);
  });

  it('ends with conv5_3 and has the table weight shapes', () => {
    const v = weightedLayers('vggface');
    expect(v.at(-1)?.name).toBe('conv5_3_1x1_increase/bn');
    const shapes = new Map(weightSpecs('keras-old').map((w) => [w.name, w.shape]));
    expect(shapes.get('conv1/kernel')).toEqual([7, 7, 3, 64]);
    expect(shapes.get('conv1/bias')).toEqual([64]);
    expect(shapes.get('res3a_branch1/kernel')).toEqual([1, 1, 256, 512]);
    expect(shapes.get('res5a_branch2b/kernel')).toEqual([3, 3, 512, 512]);
    expect(shapes.get('bn5c_branch2c/moving_variance')).toEqual([2048]);
    expect(
      weightSpecs('vggface')
        .slice(0, 5)
        .map((w) => w.name),
    ).toEqual([
      'conv1/7x7_s2/kernel',
      'conv1/7x7_s2/bn/gamma',
      'conv1/7x7_s2/bn/beta',
      'conv1/7x7_s2/bn/moving_mean',
      'conv1/7x7_s2/bn/moving_variance',
    ]);
  });
});

describe('encoder registry', () => {
  it('describes both encoders with their preprocessing and a 4096-d embedding', () => {
    expect(ENCODER_IDS).toEqual(['resnet50-vggface', 'resnet50-imagenet']);
    expect(ENCODERS['resnet50-vggface'].meanBgr).toEqual([91.4953, 103.8827, 131.0912]);
    expect(ENCODERS['resnet50-imagenet'].meanBgr).toEqual([103.939, 116.779, 123.68]);
    for (const id of ENCODER_IDS) {
      expect(ENCODERS[id].embeddingDim).toBe(4096);
      expect(ENCODERS[id].inputSize).toBe(224);
    }
    expect(ENCODERS['resnet50-imagenet'].officialWeights.md5).toBe(
      'a268eb855778b3df3c7506639542a6af',
    );
    expect(encoderIdForVariant('keras-new')).toBe('resnet50-imagenet');
    expect(encoderIdForVariant('vggface')).toBe('resnet50-vggface');
    expect(() => getEncoderInfo('resnet101')).toThrow(/resnet50-vggface, resnet50-imagenet/);
  });
});
