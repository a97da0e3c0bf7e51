import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { isKinshipError, type ErrorCode } from '../../lib/errors';
import type { Progress } from '../../lib/abort';
import { loadResNet50FromH5 } from './load-h5';
import { assertWeightsFileSize, MAX_WEIGHTS_FILE_BYTES } from './limits';
import { createH5Bytes, withH5File, type H5File } from './h5-runtime';
import { weightedLayers } from '../resnet50/architecture';
import type { ResNetVariant } from '../resnet50/variants';
import {
  denseHeadLayer,
  findFixtureLayer,
  fixtureLayers,
  makeResNet50H5,
  writeKerasH5,
  type FixtureLayer,
  type ResNet50H5Options,
} from '../../test-support/h5-fixtures';
import { maxAbsDiff, run, testImage, truncatedModel } from '../../test-support/resnet-submodel';
import { dropLastWeight, replaceWeight, swapLayerValues } from '../../test-support/h5-edit';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SEED = 21;
const files = new Map<string, Promise<Uint8Array>>();
/** Each distinct fixture is generated once per test file. */
function h5(variant: ResNetVariant, opts: ResNet50H5Options = {}, key = ''): Promise<Uint8Array> {
  const id = `${variant}|${JSON.stringify(opts)}|${key}`;
  let file = files.get(id);
  if (!file) {
    file = makeResNet50H5(variant, { seed: SEED, ...opts });
    files.set(id, file);
  }
  return file;
}

const expected = new Map<ResNetVariant, FixtureLayer[]>();
/** The values every Keras-2 / Keras-1 file of SEED holds (generated once, read-only). */
function expectedLayers(variant: ResNetVariant): FixtureLayer[] {
  let layers = expected.get(variant);
  if (!layers) {
    layers = fixtureLayers(variant, { seed: SEED });
    expected.set(variant, layers);
  }
  return layers;
}

/** The attribute `name` of the object at `path` (or of the file for path ''), or undefined. */
function attr(file: H5File, path: string, name: string): unknown {
  const obj = path ? file.get(path) : file;
  if (!obj || !('attrs' in obj)) return undefined;
  return obj.attrs[name]?.value;
}

async function expectKinshipError(
  promise: Promise<unknown>,
  code: ErrorCode,
  message: RegExp,
): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isKinshipError(error), String(error)).toBe(true);
  if (!isKinshipError(error)) return;
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
}

/** Every loaded weight equals the fixture value of the same layer and position. */
function expectWeightsEqualFixture(
  model: tf.LayersModel,
  variant: ResNetVariant,
  layers: FixtureLayer[],
): void {
  for (const spec of weightedLayers(variant)) {
    const expected = findFixtureLayer(layers, spec.name).weights;
    const actual = model.getLayer(spec.name).getWeights();
    expect(actual).toHaveLength(expected.length);
    actual.forEach((t, i) => {
      const values = t.dataSync();
      const want = expected[i]?.values;
      if (!want || values.length !== want.length || values.some((x, j) => x !== want[j])) {
        throw new Error(`${spec.name} weight ${i} differs from the file`);
      }
    });
  }
}

describe('Keras weights-only .h5', () => {
  it('vggface: detects the variant, sets all 265 tensors from their own layers, reports progress, leaks nothing', async () => {
    const bytes = await h5('vggface');
    const start = tf.memory().numTensors;
    const progress: Progress[] = [];
    const loaded = await loadResNet50FromH5(bytes, {
      inputSize: 197,
      onProgress: (p) => progress.push(p),
    });
    expect(loaded.variant).toBe('vggface');
    expect(loaded.format).toBe('keras-h5-weights');
    expect(loaded.model.weights).toHaveLength(265);
    expectWeightsEqualFixture(loaded.model, 'vggface', expectedLayers('vggface'));
    expect(progress).toHaveLength(106);
    expect(progress.at(-1)).toMatchObject({ phase: 'weights', done: 106, total: 106 });
    expect(progress.every((p, i) => p.done === i + 1)).toBe(true);
    loaded.model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('writes nested groups exactly as h5py does: /conv1/7x7_s2/bn inside the conv group', async () => {
    await withH5File(await h5('vggface'), async (file) => {
      expect(file.keys()).toContain('conv1');
      const conv1 = file.get('conv1');
      expect(conv1 && 'attrs' in conv1 ? Object.keys(conv1.attrs) : null).toEqual([]);
      expect(attr(file, 'conv1/7x7_s2', 'weight_names')).toEqual(['conv1/7x7_s2/kernel:0']);
      expect(attr(file, 'conv1/7x7_s2/bn', 'weight_names')).toEqual([
        'conv1/7x7_s2/bn/gamma:0',
        'conv1/7x7_s2/bn/beta:0',
        'conv1/7x7_s2/bn/moving_mean:0',
        'conv1/7x7_s2/bn/moving_variance:0',
      ]);
      const gamma = file.get('conv1/7x7_s2/bn/conv1/7x7_s2/bn/gamma:0');
      expect(gamma && 'shape' in gamma ? gamma.shape : null).toEqual([64]);
      const names = file.attrs.layer_names;
      expect(names?.metadata.vlen).toBe(false);
      expect((names?.value as string[]).slice(0, 5)).toEqual([
        'input_1',
        'conv1/7x7_s2',
        'conv1/7x7_s2/bn',
        'activation_1',
        'max_pooling2d_1',
      ]);
      expect(attr(file, 'activation_1', 'weight_names')).toEqual(new Float64Array(0));
    });
  });

  it('keras-new: loads _0_/_3_ conv-block layers by name, all 318 tensors', async () => {
    const loaded = await loadResNet50FromH5(await h5('keras-new'), { inputSize: 32 });
    expect(loaded.variant).toBe('keras-new');
    expectWeightsEqualFixture(loaded.model, 'keras-new', expectedLayers('keras-new'));
    loaded.model.dispose();
  });

  it('keras-old with Keras-1 names (conv1_W:0, bn_conv1_running_std:0) maps by position (trap 8)', async () => {
    const bytes = await h5('keras-old', { naming: 'keras1' });
    await withH5File(bytes, async (file) => {
      expect(attr(file, '', 'keras_version')).toBeUndefined();
      expect(attr(file, 'bn_conv1', 'weight_names')).toEqual([
        'bn_conv1_gamma:0',
        'bn_conv1_beta:0',
        'bn_conv1_running_mean:0',
        'bn_conv1_running_std:0',
      ]);
    });
    const loaded = await loadResNet50FromH5(bytes, { inputSize: 32 });
    expect(loaded.variant).toBe('keras-old');
    const layers = expectedLayers('keras-old');
    // running_std held the variance: it must land in moving_variance, position 3.
    expect(findFixtureLayer(layers, 'bn_conv1').weights[3]?.param).toBe('moving_variance');
    expectWeightsEqualFixture(loaded.model, 'keras-old', layers);
    loaded.model.dispose();
  });

  it('keras-old with `_1` scope suffixes, chunked layer_names0… and an fc1000 head loads the same weights', async () => {
    const bytes = await h5('keras-old', {
      scopeSuffix: '_1',
      layerNameChunks: 3,
      edit: (layers) => layers.push(denseHeadLayer('fc1000', 1000)),
    });
    await withH5File(bytes, async (file) => {
      expect(Object.keys(file.attrs)).toEqual(
        expect.arrayContaining(['layer_names0', 'layer_names2']),
      );
      expect(attr(file, 'conv1', 'weight_names')).toEqual(['conv1_1/kernel:0', 'conv1_1/bias:0']);
    });
    const loaded = await loadResNet50FromH5(bytes, { inputSize: 32 });
    expectWeightsEqualFixture(loaded.model, 'keras-old', expectedLayers('keras-old'));
    loaded.model.dispose();
  });
});

describe('Keras full-model .h5 (model.save)', () => {
  it('descends into model_weights and loads every nested …/bn layer (trap 9)', async () => {
    const bytes = await h5('vggface', { layout: 'full-model' });
    await withH5File(bytes, async (file) => {
      expect(attr(file, '', 'layer_names')).toBeUndefined();
      expect(attr(file, 'model_weights', 'layer_names')).toHaveLength(174);
      expect(JSON.parse(attr(file, '', 'model_config') as string)).toMatchObject({
        class_name: 'Model',
      });
    });
    const loaded = await loadResNet50FromH5(bytes, { inputSize: 197 });
    expect(loaded.format).toBe('keras-h5-full-model');
    expectWeightsEqualFixture(loaded.model, 'vggface', expectedLayers('vggface'));
    loaded.model.dispose();
  });
});

describe('silent-swap hazard (trap 7)', () => {
  it('swapping conv2_1_1x1_increase/bn and conv2_1_1x1_proj/bn in the file changes the output', async () => {
    const base = await h5('vggface');
    const swappedBytes = await swapLayerValues(
      base,
      'conv2_1_1x1_increase/bn',
      'conv2_1_1x1_proj/bn',
    );
    const original = await loadResNet50FromH5(base, { inputSize: 197 });
    const swapped = await loadResNet50FromH5(swappedBytes, { inputSize: 197 });
    // Same shapes, so the load succeeds; name-based loading puts each group's values in its layer.
    const gamma = (m: tf.LayersModel, name: string): Float32Array =>
      m.getLayer(name).getWeights()[0]?.dataSync() as Float32Array;
    expect(gamma(swapped.model, 'conv2_1_1x1_proj/bn')).toEqual(
      gamma(original.model, 'conv2_1_1x1_increase/bn'),
    );
    const x = testImage(32, 9);
    const outputs: Float32Array[] = [];
    for (const m of [original.model, swapped.model]) {
      const sub = truncatedModel(m, 'vggface', 32, 'add_1');
      outputs.push(await run(sub, x));
      sub.dispose();
    }
    const [a, b] = outputs as [Float32Array, Float32Array];
    expect(maxAbsDiff(a, b)).toBeGreaterThan(0.01);
    x.dispose();
    original.model.dispose();
    swapped.model.dispose();
  });
});

describe('strict rejection', () => {
  it('a missing tensor names its layer (WEIGHTS_MISSING) and leaks nothing', async () => {
    const bytes = await dropLastWeight(await h5('vggface'), 'conv3_2_3x3/bn');
    const start = tf.memory().numTensors;
    await expectKinshipError(
      loadResNet50FromH5(bytes, { inputSize: 197, fileName: 'x.h5' }),
      'WEIGHTS_MISSING',
      /^x\.h5: layer "conv3_2_3x3\/bn" has 3 weight tensors, expected 4 \(gamma, beta, moving_mean, moving_variance\)/,
    );
    expect(tf.memory().numTensors).toBe(start);
  });

  it('a mis-shaped tensor names the layer, the expected and the found shape (WEIGHTS_MISMATCH)', async () => {
    const bytes = await replaceWeight(await h5('vggface'), 'conv2_1_1x1_proj', 0, [1, 1, 64, 128]);
    await expectKinshipError(
      loadResNet50FromH5(bytes, { inputSize: 197 }),
      'WEIGHTS_MISMATCH',
      /layer "conv2_1_1x1_proj" weight 0 \(kernel\): expected shape \[1, 1, 64, 256\], found \[1, 1, 64, 128\]/,
    );
  });

  it('a layer group that is absent is named', async () => {
    // A file cut short: its layers end right before conv2_block1_2_bn.
    const layers = expectedLayers('keras-new');
    const cut = layers.slice(
      0,
      layers.findIndex((l) => l.name === 'conv2_block1_2_bn'),
    );
    await expectKinshipError(
      loadResNet50FromH5(await writeKerasH5(cut), { inputSize: 32 }),
      'WEIGHTS_MISSING',
      /layer "conv2_block1_2_bn" is not in the file/,
    );
  });

  it('an unknown architecture is refused naming what was found (WEIGHTS_UNKNOWN_ARCH)', async () => {
    const bytes = await writeKerasH5([
      denseHeadLayer('dense_1', 4),
      { name: 'dropout_1', className: 'Dropout', weights: [] },
    ]);
    await expectKinshipError(
      loadResNet50FromH5(bytes),
      'WEIGHTS_UNKNOWN_ARCH',
      /first layers: dense_1, dropout_1/,
    );
  });

  it('Theano-ordered files and non-HDF5 bytes are refused (WEIGHTS_FORMAT)', async () => {
    const theano = await writeKerasH5([{ name: 'conv1', className: 'Conv2D', weights: [] }], {
      backend: 'theano',
    });
    await expectKinshipError(loadResNet50FromH5(theano), 'WEIGHTS_FORMAT', /Theano/);
    await expectKinshipError(
      loadResNet50FromH5(new TextEncoder().encode('{"not": "hdf5"}')),
      'WEIGHTS_FORMAT',
      /not an HDF5 file/,
    );
    const plainHdf5 = await createH5Bytes((file) => {
      file.create_group('data').create_dataset({ name: 'x', data: new Float32Array(4) });
    });
    await expectKinshipError(
      loadResNet50FromH5(plainHdf5),
      'WEIGHTS_FORMAT',
      /not a Keras weights file: no "layer_names"/,
    );
  });

  it('refuses files over 1 GB before reading them (FILE_TOO_LARGE)', async () => {
    expect(() => assertWeightsFileSize(MAX_WEIGHTS_FILE_BYTES)).not.toThrow();
    // Untouched zero pages: the allocation costs no real memory.
    const huge = new ArrayBuffer(MAX_WEIGHTS_FILE_BYTES + 1);
    await expectKinshipError(
      loadResNet50FromH5(huge, { fileName: 'big.h5' }),
      'FILE_TOO_LARGE',
      /^big\.h5: .*1 GB/,
    );
  });

  it('stops on abort between layers, disposing the partial model', async () => {
    const controller = new AbortController();
    const start = tf.memory().numTensors;
    await expectKinshipError(
      loadResNet50FromH5(await h5('vggface'), {
        inputSize: 197,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.done === 3) controller.abort();
        },
      }),
      'ABORTED',
      /Cancelled/,
    );
    expect(tf.memory().numTensors).toBe(start);
  });
});
