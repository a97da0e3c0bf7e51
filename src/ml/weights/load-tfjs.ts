/**
 * TF.js layers model (model.json + shards) → built, fully loaded ResNet50. The topology is
 * always built here from the detected variant, so tensorflowjs_converter's weights-only output
 * (`modelTopology: null`) loads, and a converted full-model keras-vggface file that lost its
 * `…/bn` weights (trap 9) fails loudly, naming the first layer without weights.
 * float16 / uint8 / uint16 entries are dequantized by tf.io.decodeWeights (w = q·scale + min).
 */
import { tf } from '../tf';
import { KinshipError } from '../../lib/errors';
import { weightedLayers } from '../resnet50/architecture';
import type { WeightParam } from '../resnet50/architecture';
import { detectVariant, KNOWN_HEAD_LAYERS } from './detect';
import { assertWeightsFileSize } from './limits';
import { fillResNet50, withFileName } from './load-loop';
import {
  entryByteLength,
  layerPartOf,
  parseTfjsModelJson,
  resolveWeightName,
  type TfjsWeightEntry,
} from './tfjs-manifest';
import type { LoadedResNet50, WeightsLoadOptions } from './types';

/** Returns the bytes of one shard named in the manifest (a path relative to model.json). */
export type ShardReader = (path: string) => Promise<ArrayBuffer>;

/** A ShardReader over files the user dropped, matched by exact path, then by base name. */
export function shardsFromFiles(files: ReadonlyMap<string, ArrayBuffer>): ShardReader {
  const byBase = new Map<string, ArrayBuffer>();
  for (const [name, data] of files) byBase.set(name.split('/').pop() ?? name, data);
  return (path) => {
    const data = files.get(path) ?? byBase.get(path.split('/').pop() ?? path);
    if (!data) {
      return Promise.reject(
        new KinshipError('WEIGHTS_MISSING', `shard "${path}" named in model.json was not provided`),
      );
    }
    return Promise.resolve(data);
  };
}

/** A ShardReader fetching shards relative to the model.json URL, as tf.io.http does. */
export function urlShardReader(modelJsonUrl: string, fetchFn: typeof fetch = fetch): ShardReader {
  return async (path) => {
    const url = new URL(path, modelJsonUrl).href;
    const response = await fetchFn(url);
    if (!response.ok) {
      throw new KinshipError('WEIGHTS_MISSING', `shard ${url} answered HTTP ${response.status}`);
    }
    return response.arrayBuffer();
  };
}

/** Loads a served TF.js layers model, e.g. a preinstalled `models/<id>/model.json`. */
export async function loadResNet50FromUrl(
  modelJsonUrl: string,
  options: WeightsLoadOptions = {},
  fetchFn: typeof fetch = fetch,
): Promise<LoadedResNet50> {
  const response = await fetchFn(modelJsonUrl);
  if (!response.ok) {
    throw new KinshipError('WEIGHTS_MISSING', `${modelJsonUrl} answered HTTP ${response.status}`);
  }
  const json = parseTfjsModelJson(await response.text());
  return loadResNet50FromTfjs(json, urlShardReader(modelJsonUrl, fetchFn), options);
}

interface Located {
  entry: TfjsWeightEntry;
  group: number;
  offset: number;
  byteLength: number;
}

export async function loadResNet50FromTfjs(
  modelJson: unknown,
  readShard: ShardReader,
  options: WeightsLoadOptions = {},
): Promise<LoadedResNet50> {
  try {
    const json = parseTfjsModelJson(modelJson);
    const variant = detectVariant(
      json.weightsManifest.flatMap((g) => g.weights.map((w) => layerPartOf(w.name))),
    );
    const known = new Set(weightedLayers(variant).map((l) => l.name));
    const byLayer = new Map<string, Map<WeightParam, Located>>();
    const groupBytes: number[] = [];
    json.weightsManifest.forEach((group, gi) => {
      let offset = 0;
      for (const entry of group.weights) {
        const byteLength = entryByteLength(entry);
        const located: Located = { entry, group: gi, offset, byteLength };
        offset += byteLength;
        const target = resolveWeightName(entry.name, (l) => known.has(l));
        if (!target) {
          if (KNOWN_HEAD_LAYERS.has(layerPartOf(entry.name))) continue;
          throw new KinshipError(
            'WEIGHTS_MISMATCH',
            `weight "${entry.name}" belongs to no layer of ResNet50 (${variant})`,
          );
        }
        const params = byLayer.get(target.layer) ?? new Map<WeightParam, Located>();
        if (params.has(target.param)) {
          throw new KinshipError(
            'WEIGHTS_MISMATCH',
            `layer "${target.layer}" has two "${target.param}" weights in model.json`,
          );
        }
        params.set(target.param, located);
        byLayer.set(target.layer, params);
      }
      groupBytes.push(offset);
    });
    assertWeightsFileSize(groupBytes.reduce((a, b) => a + b, 0));
    const groups = await readGroups(json.weightsManifest, groupBytes, readShard);

    const model = await fillResNet50(variant, options, (layer) =>
      layer.weights.map((w) => {
        const located = byLayer.get(layer.name)?.get(w.param);
        if (!located) {
          throw new KinshipError(
            'WEIGHTS_MISSING',
            `layer "${layer.name}": weight "${w.param}" is not in model.json`,
          );
        }
        const bytes = groups[located.group]?.slice(
          located.offset,
          located.offset + located.byteLength,
        );
        if (!bytes) throw new Error('unreachable: shard group not read');
        const decoded = tf.io.decodeWeights(bytes, [located.entry]);
        const tensor = decoded[located.entry.name];
        if (!tensor)
          throw new Error(`tf.io.decodeWeights returned nothing for ${located.entry.name}`);
        return tensor;
      }),
    );
    return { variant, model, format: 'tfjs-layers' };
  } catch (e) {
    throw withFileName(e, options.fileName);
  }
}

async function readGroups(
  manifest: { paths: string[] }[],
  expectedBytes: number[],
  readShard: ShardReader,
): Promise<tf.io.CompositeArrayBuffer[]> {
  const out: tf.io.CompositeArrayBuffer[] = [];
  for (const [gi, group] of manifest.entries()) {
    const shards: ArrayBuffer[] = [];
    for (const path of group.paths) shards.push(await readShard(path));
    const composite = new tf.io.CompositeArrayBuffer(shards);
    const expected = expectedBytes[gi] ?? 0;
    if (composite.byteLength < expected) {
      throw new KinshipError(
        'WEIGHTS_FORMAT',
        `the ${group.paths.length} shard file(s) hold ${composite.byteLength} bytes but the ` +
          `manifest needs ${expected}: a shard is truncated or an older download was mixed in`,
      );
    }
    out.push(composite);
  }
  return out;
}
