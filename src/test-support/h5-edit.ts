/**
 * In-place edits of a Keras-layout .h5 (a copy of it), for tests that need one thing wrong in
 * an otherwise valid 94 MB file without regenerating it: swapped values, a weight left out of
 * `weight_names`, a weight of the wrong shape.
 */
import {
  editH5Bytes,
  isH5Dataset,
  isH5Group,
  type H5File,
  type H5Group,
  type H5Runtime,
} from '../ml/weights/h5-runtime';

function layerGroup(file: H5File, rt: H5Runtime, layer: string): H5Group {
  const group = file.get(layer);
  if (!isH5Group(rt, group)) throw new Error(`no layer group ${layer}`);
  return group;
}

function weightNames(group: H5Group): string[] {
  const value = group.attrs.weight_names?.value;
  if (!Array.isArray(value)) throw new Error(`${group.path} has no weight_names`);
  return value.map(String);
}

function setWeightNames(group: H5Group, names: string[]): void {
  group.delete_attribute('weight_names');
  const width = Math.max(...names.map((n) => n.length));
  group.create_attribute('weight_names', names, [names.length], `S${width}`);
}

/** Swaps the values of two layers' weights, position by position (shapes must match). */
export function swapLayerValues(
  bytes: Uint8Array,
  layerA: string,
  layerB: string,
): Promise<Uint8Array> {
  return editH5Bytes(bytes, (file, rt) => {
    const a = layerGroup(file, rt, layerA);
    const b = layerGroup(file, rt, layerB);
    const namesB = weightNames(b);
    weightNames(a).forEach((nameA, i) => {
      const da = a.get(nameA);
      const db = b.get(namesB[i] ?? '');
      if (!isH5Dataset(rt, da) || !isH5Dataset(rt, db)) throw new Error('missing dataset');
      const va = da.value as Float32Array;
      const vb = db.value as Float32Array;
      const all = (da.shape ?? []).map((d): [number, number] => [0, d]);
      da.write_slice(all, vb);
      db.write_slice(all, va);
    });
  });
}

/** Leaves the last weight of `layer` out of its `weight_names` (the dataset stays, unlisted). */
export function dropLastWeight(bytes: Uint8Array, layer: string): Promise<Uint8Array> {
  return editH5Bytes(bytes, (file, rt) => {
    const group = layerGroup(file, rt, layer);
    setWeightNames(group, weightNames(group).slice(0, -1));
  });
}

/** Points weight `index` of `layer` at a new dataset of another shape. */
export function replaceWeight(
  bytes: Uint8Array,
  layer: string,
  index: number,
  shape: number[],
): Promise<Uint8Array> {
  return editH5Bytes(bytes, (file, rt) => {
    const group = layerGroup(file, rt, layer);
    const names = weightNames(group);
    const name = `replaced_${index}:0`;
    const size = shape.reduce((a, b) => a * b, 1);
    group.create_dataset({ name, data: new Float32Array(size).fill(0.01), shape, dtype: '<f' });
    names[index] = name;
    setWeightNames(group, names);
  });
}
