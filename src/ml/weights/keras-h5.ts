/**
 * Reads the Keras HDF5 weight layout (ENCODERS.md §3): the root (or `model_weights`) lists
 * `layer_names`; each layer is a group found by its FULL name as a path (a '/' in a layer name
 * is a nested group, e.g. /conv1/7x7_s2/bn inside /conv1/7x7_s2) with a `weight_names`
 * attribute whose entries are dataset paths relative to that group. Nothing here recurses into
 * sub-groups, so a nested `…/bn` layer is never mistaken for its conv's weights.
 */
import { KinshipError } from '../../lib/errors';
import { decodeFloat16 } from './float16';
import {
  isH5Dataset,
  isH5Group,
  type H5Dataset,
  type H5File,
  type H5Group,
  type H5Runtime,
} from './h5-runtime';

export type KerasH5Layout = 'weights-only' | 'full-model';

export interface KerasWeightsRoot {
  layout: KerasH5Layout;
  /** The group holding `layer_names` and the layer groups: the root or `/model_weights`. */
  group: H5Group;
  /** Every layer of the saved model, in `model.layers` order. */
  layerNames: string[];
  kerasVersion: string | null;
  backend: string | null;
}

export interface FileTensor {
  /** The dataset path as listed in `weight_names` (informative only). */
  datasetName: string;
  shape: number[];
  values: Float32Array;
}

/** Reads a string-list attribute, joining the chunked form name0, name1, … Keras uses when long. */
export function readStringListAttribute(obj: H5Group, name: string): string[] | null {
  const attrs = obj.attrs;
  if (name in attrs) return attributeStrings(obj, name);
  if (!(`${name}0` in attrs)) return null;
  const out: string[] = [];
  for (let i = 0; `${name}${i}` in attrs; i++) out.push(...attributeStrings(obj, `${name}${i}`));
  return out;
}

function attributeStrings(obj: H5Group, name: string): string[] {
  const value = obj.get_attribute(name, false);
  // An empty list is saved by NumPy as a float64 array of shape (0,).
  if (ArrayBuffer.isView(value) && value.byteLength === 0) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    if (typeof item !== 'string') {
      throw new KinshipError('WEIGHTS_FORMAT', `attribute "${name}" is not a list of strings`);
    }
    return trimPadding(item);
  });
}

/** Fixed-length HDF5 strings may come back space- or NUL-padded. */
function trimPadding(s: string): string {
  return s.replace(/[\0 ]+$/, '');
}

function readStringAttribute(obj: H5Group, name: string): string | null {
  if (!(name in obj.attrs)) return null;
  const list = attributeStrings(obj, name);
  return list[0] ?? null;
}

/**
 * Finds `layer_names`: on the root for `save_weights` files, in `model_weights` for `model.save`
 * files (the rule Keras's own `load_weights` uses).
 */
export function openKerasWeightsRoot(file: H5File, rt: H5Runtime): KerasWeightsRoot {
  const rootNames = readStringListAttribute(file, 'layer_names');
  if (rootNames) return describeRoot(file, rootNames, 'weights-only');
  const modelWeights = file.get('model_weights');
  if (isH5Group(rt, modelWeights)) {
    const names = readStringListAttribute(modelWeights, 'layer_names');
    if (names) return describeRoot(modelWeights, names, 'full-model');
  }
  throw new KinshipError(
    'WEIGHTS_FORMAT',
    'not a Keras weights file: no "layer_names" attribute at the root or in "model_weights"',
  );
}

function describeRoot(
  group: H5Group,
  layerNames: string[],
  layout: KerasH5Layout,
): KerasWeightsRoot {
  return {
    layout,
    group,
    layerNames,
    kerasVersion: readStringAttribute(group, 'keras_version'),
    backend: readStringAttribute(group, 'backend'),
  };
}

/** The `weight_names` of one layer, or null when the file has no group for it. */
export function readLayerWeightNames(
  root: KerasWeightsRoot,
  rt: H5Runtime,
  layerName: string,
): string[] | null {
  const group = root.group.get(layerName);
  if (!isH5Group(rt, group)) return null;
  return readStringListAttribute(group, 'weight_names') ?? [];
}

/** Reads every weight of one layer, in `weight_names` order, as float32. */
export function readLayerTensors(
  root: KerasWeightsRoot,
  rt: H5Runtime,
  layerName: string,
  weightNames: readonly string[],
): FileTensor[] {
  const group = root.group.get(layerName);
  if (!isH5Group(rt, group)) {
    throw new KinshipError('WEIGHTS_MISSING', `layer "${layerName}" is not in the file`);
  }
  return weightNames.map((datasetName) => {
    const dataset = group.get(datasetName);
    if (!isH5Dataset(rt, dataset)) {
      throw new KinshipError(
        'WEIGHTS_MISSING',
        `layer "${layerName}": weight "${datasetName}" listed in weight_names is not in the file`,
      );
    }
    return { datasetName, shape: dataset.shape ?? [], values: datasetFloat32(dataset, layerName) };
  });
}

function datasetFloat32(dataset: H5Dataset, layerName: string): Float32Array {
  const { type, size } = dataset.metadata;
  const value = dataset.value;
  // H5T_FLOAT is class 1. float16 arrives as raw little-endian bytes.
  if (type === 1 && value instanceof Float32Array) return value;
  if (type === 1 && value instanceof Float64Array) return Float32Array.from(value);
  if (type === 1 && size === 2 && value instanceof Uint8Array) {
    return decodeFloat16(new Uint16Array(value.slice().buffer));
  }
  throw new KinshipError(
    'WEIGHTS_FORMAT',
    `layer "${layerName}": dataset ${dataset.path} is not a float array (HDF5 class ${type}, ${size} bytes)`,
  );
}
