/**
 * Writes ResNet50 weight files in the exact Keras HDF5 layouts (ENCODERS.md §3) with h5wasm,
 * for tests and for `cli/make-test-weights.ts`:
 *
 * - weights-only (`save_weights`): root attrs `layer_names`, `backend`, `keras_version`;
 * - full-model (`model.save`): root `model_config` + a `model_weights` group holding the same;
 * - one group per layer, found by its full name, so `conv1/7x7_s2/bn` is the group `bn` nested
 *   in `/conv1/7x7_s2`, exactly as h5py writes it; datasets at `weight_names` paths relative to
 *   the layer group (`conv1/7x7_s2/kernel:0` → nested groups again);
 * - Keras-2 names (`<layer>/kernel:0`) or Keras-1 names (`conv1_W:0`, `bn_conv1_running_std:0`);
 * - string lists as fixed-length byte strings; an empty list as a float64 array of shape (0,),
 *   which is what NumPy makes of `[]`.
 *
 * Values are small and seeded: conv kernels ~U(±√3/√fan_in), BN γ∈[0.5,1), β,μ∈[−0.1,0.1),
 * σ²∈[0.5,1.5), so activations stay O(1) through all 16 blocks.
 */
import { resnet50Plan, layerWeightSpecs, type WeightParam } from '../ml/resnet50/architecture';
import type { ResNetVariant } from '../ml/resnet50/variants';
import { createH5Bytes, type H5Group, type H5Runtime } from '../ml/weights/h5-runtime';
import { mulberry32, uniformArray } from './rng';

export type FixtureNaming = 'keras2' | 'keras1';

export interface FixtureTensor {
  /** Dataset path relative to the layer group, as listed in `weight_names`. */
  datasetName: string;
  param: WeightParam;
  shape: number[];
  values: Float32Array;
}

export interface FixtureLayer {
  name: string;
  /** Keras class name, for `model_config`. */
  className: string;
  weights: FixtureTensor[];
}

export interface FixtureWeightsOptions {
  seed?: number;
  naming?: FixtureNaming;
  /** TF scope-uniquifying suffix on the layer scope: `conv1_1/kernel:0` inside group `conv1`. */
  scopeSuffix?: string;
}

const KERAS1_SUFFIX: Record<WeightParam, string> = {
  kernel: 'W',
  bias: 'b',
  gamma: 'gamma',
  beta: 'beta',
  moving_mean: 'running_mean',
  moving_variance: 'running_std',
};

const CLASS_NAMES: Record<string, string> = {
  input: 'InputLayer',
  conv: 'Conv2D',
  bn: 'BatchNormalization',
  relu: 'Activation',
  zeropad: 'ZeroPadding2D',
  maxpool: 'MaxPooling2D',
  avgpool: 'AveragePooling2D',
  add: 'Add',
};

function datasetName(layer: string, param: WeightParam, opts: FixtureWeightsOptions): string {
  if (opts.naming === 'keras1') return `${layer}_${KERAS1_SUFFIX[param]}:0`;
  return `${layer}${opts.scopeSuffix ?? ''}/${param}:0`;
}

function fixtureValues(rand: () => number, param: WeightParam, shape: number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  switch (param) {
    case 'kernel': {
      const [kh = 1, kw = 1, cin = 1] = shape;
      const a = Math.sqrt(3 / (kh * kw * cin));
      return uniformArray(rand, n, -a, a);
    }
    case 'bias':
      return uniformArray(rand, n, -0.05, 0.05);
    case 'gamma':
      return uniformArray(rand, n, 0.5, 1);
    case 'beta':
    case 'moving_mean':
      return uniformArray(rand, n, -0.1, 0.1);
    case 'moving_variance':
      return uniformArray(rand, n, 0.5, 1.5);
  }
}

/**
 * Every layer of the notop model in Keras order with seeded values. The values depend only on
 * `seed` (not on the naming), so a Keras-1 and a Keras-2 file of one seed hold the same model.
 */
export function fixtureLayers(
  variant: ResNetVariant,
  opts: FixtureWeightsOptions = {},
): FixtureLayer[] {
  const rand = mulberry32(opts.seed ?? 1);
  return resnet50Plan(variant).map((layer) => ({
    name: layer.name,
    className: CLASS_NAMES[layer.kind] ?? 'Layer',
    weights: layerWeightSpecs(layer).map((w) => ({
      datasetName: datasetName(layer.name, w.param, opts),
      param: w.param,
      shape: [...w.shape],
      values: fixtureValues(rand, w.param, w.shape),
    })),
  }));
}

export function findFixtureLayer(layers: FixtureLayer[], name: string): FixtureLayer {
  const layer = layers.find((l) => l.name === name);
  if (!layer) throw new Error(`fixture has no layer ${name}`);
  return layer;
}

/** A Dense classifier head like the include_top files carry (ignored by notop loading). */
export function denseHeadLayer(name: string, units: number, seed = 7): FixtureLayer {
  const rand = mulberry32(seed);
  return {
    name,
    className: 'Dense',
    weights: [
      {
        datasetName: `${name}/kernel:0`,
        param: 'kernel',
        shape: [2048, units],
        values: uniformArray(rand, 2048 * units, -0.01, 0.01),
      },
      {
        datasetName: `${name}/bias:0`,
        param: 'bias',
        shape: [units],
        values: uniformArray(rand, units, -0.01, 0.01),
      },
    ],
  };
}

export interface KerasH5Options {
  layout?: 'weights-only' | 'full-model';
  /** Root `keras_version`; null omits it (Keras 1 files have none). Default '2.2.4'. */
  kerasVersion?: string | null;
  /** Split `layer_names` into this many attributes layer_names0…, as Keras does for long lists. */
  layerNameChunks?: number;
  /** Root `backend` attribute (default 'tensorflow'). */
  backend?: string;
}

function writeStringList(obj: H5Group, name: string, strings: readonly string[]): void {
  if (strings.length === 0) {
    obj.create_attribute(name, new Float64Array(0), [0], '<d');
    return;
  }
  const width = Math.max(...strings.map((s) => new TextEncoder().encode(s).length));
  obj.create_attribute(name, [...strings], [strings.length], `S${width}`);
}

function writeString(obj: H5Group, name: string, value: string): void {
  obj.create_attribute(name, value, [], `S${new TextEncoder().encode(value).length}`);
}

/** Creates `path` (relative to `parent`) and any missing intermediate groups, like h5py. */
function ensureGroup(rt: H5Runtime, parent: H5Group, path: string): H5Group {
  let current = parent;
  for (const part of path.split('/')) {
    const existing = current.get(part);
    current = existing instanceof rt.h5.Group ? existing : current.create_group(part);
  }
  return current;
}

function chunk<T>(items: readonly T[], parts: number): T[][] {
  const size = Math.ceil(items.length / parts);
  return Array.from({ length: parts }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** Serialises `layers` into a Keras-layout .h5 and returns its bytes. */
export function writeKerasH5(
  layers: FixtureLayer[],
  opts: KerasH5Options = {},
): Promise<Uint8Array> {
  const kerasVersion = opts.kerasVersion === undefined ? '2.2.4' : opts.kerasVersion;
  const payload = layers.reduce(
    (n, l) => n + l.weights.reduce((m, w) => m + w.values.byteLength, 0),
    0,
  );
  return createH5Bytes(
    (file, rt) => {
      let root: H5Group = file;
      if (opts.layout === 'full-model') {
        const config = {
          class_name: 'Model',
          config: {
            name: 'resnet50',
            layers: layers.map((l) => ({
              class_name: l.className,
              name: l.name,
              config: { name: l.name },
            })),
          },
        };
        writeString(file, 'model_config', JSON.stringify(config));
        writeString(file, 'backend', opts.backend ?? 'tensorflow');
        if (kerasVersion) writeString(file, 'keras_version', kerasVersion);
        root = file.create_group('model_weights');
      }
      const names = layers.map((l) => l.name);
      if (opts.layerNameChunks && opts.layerNameChunks > 1) {
        chunk(names, opts.layerNameChunks).forEach((part, i) =>
          writeStringList(root, `layer_names${i}`, part),
        );
      } else {
        writeStringList(root, 'layer_names', names);
      }
      writeString(root, 'backend', opts.backend ?? 'tensorflow');
      if (kerasVersion) writeString(root, 'keras_version', kerasVersion);

      for (const layer of layers) {
        const group = ensureGroup(rt, root, layer.name);
        writeStringList(
          group,
          'weight_names',
          layer.weights.map((w) => w.datasetName),
        );
        for (const w of layer.weights) {
          const slash = w.datasetName.lastIndexOf('/');
          const parent = slash > 0 ? ensureGroup(rt, group, w.datasetName.slice(0, slash)) : group;
          parent.create_dataset({
            name: w.datasetName.slice(slash + 1),
            data: w.values,
            shape: w.shape,
            dtype: '<f',
          });
        }
      }
    },
    payload + 4 * 1024 * 1024,
  );
}

export interface ResNet50H5Options extends FixtureWeightsOptions, KerasH5Options {
  /** Changes the layers before writing: swap, drop or reshape tensors, add a head. */
  edit?: (layers: FixtureLayer[]) => void;
}

/** A full-size ResNet50 notop weight file of `variant` in Keras layout. */
export async function makeResNet50H5(
  variant: ResNetVariant,
  opts: ResNet50H5Options = {},
): Promise<Uint8Array> {
  const layers = fixtureLayers(variant, opts);
  opts.edit?.(layers);
  const kerasVersion =
    opts.naming === 'keras1' && opts.kerasVersion === undefined ? null : opts.kerasVersion;
  return writeKerasH5(layers, { ...opts, kerasVersion });
}
