/**
 * The TF.js layers-model `model.json` (ENCODERS.md §4.2): validation, and resolution of manifest
 * weight names to (layer, param). Names are `<layer>/<param>` from Keras-2 files, or Keras-1
 * `<layer>_W` / `<layer>_running_std` when tensorflowjs_converter read an old file.
 */
import { KinshipError } from '../../lib/errors';
import type { WeightParam } from '../resnet50/architecture';

export type QuantizationDtype = 'uint8' | 'uint16' | 'float16';

export interface TfjsWeightEntry {
  name: string;
  shape: number[];
  /** Original dtype; ResNet50 weights are all 'float32' (checked by entryByteLength). */
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  quantization?: {
    dtype: QuantizationDtype;
    min?: number;
    scale?: number;
    original_dtype?: string;
  };
}

export interface TfjsWeightGroup {
  paths: string[];
  weights: TfjsWeightEntry[];
}

export interface TfjsModelJson {
  format?: string;
  generatedBy?: string | null;
  convertedBy?: string | null;
  /** The Keras/tfjs model config, or null in tensorflowjs_converter's weights-only output. */
  modelTopology: unknown;
  weightsManifest: TfjsWeightGroup[];
  userDefinedMetadata?: Record<string, unknown>;
}

function formatError(message: string): KinshipError {
  return new KinshipError('WEIGHTS_FORMAT', message);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseEntry(raw: unknown, where: string): TfjsWeightEntry {
  if (!isRecord(raw) || typeof raw.name !== 'string' || !Array.isArray(raw.shape)) {
    throw formatError(`${where} needs a name and a shape`);
  }
  const shape = raw.shape;
  if (!shape.every((d): d is number => Number.isInteger(d) && (d as number) >= 0)) {
    throw formatError(`weight "${raw.name}" has an invalid shape`);
  }
  const dtype = raw.dtype ?? 'float32';
  if (!['float32', 'int32', 'bool', 'string', 'complex64'].includes(String(dtype))) {
    throw formatError(`weight "${raw.name}" has an unknown dtype ${String(dtype)}`);
  }
  const entry: TfjsWeightEntry = {
    name: raw.name,
    shape,
    dtype: dtype as TfjsWeightEntry['dtype'],
  };
  if (raw.quantization !== undefined) {
    const q = raw.quantization;
    if (!isRecord(q) || !['uint8', 'uint16', 'float16'].includes(String(q.dtype))) {
      throw formatError(`weight "${raw.name}" has an unsupported quantization`);
    }
    const qdtype = q.dtype as QuantizationDtype;
    if (qdtype !== 'float16' && (typeof q.min !== 'number' || typeof q.scale !== 'number')) {
      throw formatError(`weight "${raw.name}": ${qdtype} quantization needs min and scale`);
    }
    entry.quantization = {
      dtype: qdtype,
      ...(typeof q.min === 'number' ? { min: q.min } : {}),
      ...(typeof q.scale === 'number' ? { scale: q.scale } : {}),
      ...(typeof q.original_dtype === 'string' ? { original_dtype: q.original_dtype } : {}),
    };
  }
  return entry;
}

/** Validates a parsed (or JSON-text) model.json of a TF.js layers model. */
export function parseTfjsModelJson(input: unknown): TfjsModelJson {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input) as unknown;
    } catch (e) {
      throw formatError(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (!isRecord(json)) throw formatError('not a JSON object');
  if (json.format !== undefined && json.format !== 'layers-model') {
    throw formatError(`format "${String(json.format)}" is not a TF.js layers model`);
  }
  if (!Array.isArray(json.weightsManifest) || json.weightsManifest.length === 0) {
    throw formatError('no weightsManifest');
  }
  const weightsManifest = json.weightsManifest.map((g, gi): TfjsWeightGroup => {
    if (!isRecord(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
      throw formatError(`weightsManifest[${gi}] needs paths and weights`);
    }
    if (!g.paths.every((p): p is string => typeof p === 'string')) {
      throw formatError(`weightsManifest[${gi}].paths must be file names`);
    }
    const weights = g.weights.map((w, wi) =>
      parseEntry(w, `weightsManifest[${gi}].weights[${wi}]`),
    );
    return { paths: g.paths, weights };
  });
  return {
    format: 'layers-model',
    generatedBy: typeof json.generatedBy === 'string' ? json.generatedBy : null,
    convertedBy: typeof json.convertedBy === 'string' ? json.convertedBy : null,
    modelTopology: json.modelTopology ?? null,
    weightsManifest,
    ...(isRecord(json.userDefinedMetadata)
      ? { userDefinedMetadata: json.userDefinedMetadata }
      : {}),
  };
}

const BYTES_PER_VALUE: Record<QuantizationDtype | 'float32', number> = {
  float32: 4,
  float16: 2,
  uint16: 2,
  uint8: 1,
};

/** Bytes one manifest entry occupies in its group's concatenated shards. */
export function entryByteLength(entry: TfjsWeightEntry): number {
  if (entry.dtype !== 'float32') {
    throw formatError(
      `weight "${entry.name}" has dtype ${entry.dtype}; ResNet50 weights are float32`,
    );
  }
  const size = entry.shape.reduce((a, b) => a * b, 1);
  return size * BYTES_PER_VALUE[entry.quantization?.dtype ?? 'float32'];
}

const PARAMS: ReadonlySet<string> = new Set<WeightParam>([
  'kernel',
  'bias',
  'gamma',
  'beta',
  'moving_mean',
  'moving_variance',
]);

/** Keras 1 variable suffixes; `running_std` held the variance (ENCODERS.md §2.6). */
const KERAS1_PARAMS: Record<string, WeightParam> = {
  W: 'kernel',
  b: 'bias',
  gamma: 'gamma',
  beta: 'beta',
  running_mean: 'moving_mean',
  running_std: 'moving_variance',
};
const KERAS1_NAME = /^(.+)_(W|b|gamma|beta|running_mean|running_std)(?:_\d+)?$/;

/**
 * Maps a manifest weight name to the layer and parameter it belongs to, trying the name as given
 * and then without a TF scope-uniquifying `_N` suffix. Returns null when nothing matches.
 */
export function resolveWeightName(
  rawName: string,
  isKnownLayer: (layer: string) => boolean,
): { layer: string; param: WeightParam } | null {
  const name = rawName.replace(/:0$/, '');
  const candidates = (layer: string): string[] => [layer, layer.replace(/_\d+$/, '')];
  const slash = name.lastIndexOf('/');
  if (slash > 0) {
    const param = name.slice(slash + 1).replace(/_\d+$/, '');
    if (PARAMS.has(param)) {
      const layer = candidates(name.slice(0, slash)).find(isKnownLayer);
      if (layer) return { layer, param: param as WeightParam };
    }
  }
  const m = KERAS1_NAME.exec(name);
  const suffix = m?.[2];
  const param = suffix === undefined ? undefined : KERAS1_PARAMS[suffix];
  if (m?.[1] && param) {
    const layer = candidates(m[1]).find(isKnownLayer);
    if (layer) return { layer, param };
  }
  return null;
}

/** The layer part of a manifest name, for architecture detection. */
export function layerPartOf(rawName: string): string {
  const name = rawName.replace(/:0$/, '');
  const slash = name.lastIndexOf('/');
  if (slash > 0) return name.slice(0, slash);
  return KERAS1_NAME.exec(name)?.[1] ?? name;
}
