/**
 * Loads a TF.js graph model (model JSON + weight shards) from our own origin (`{ baseUrl }`) or
 * from any file reader (`{ readFile }`: Node reads the npm package's files from disk). The files
 * are read here rather than by `tf.loadGraphModel(url)` so that both sources go one way and the
 * shards can be hashed: the hash is part of the encoder's identity, so new weights never reuse
 * cached embeddings or heads of the old ones.
 */
import { throwIfAborted, type ProgressFn } from '../../lib/abort';
import { KinshipError, errorMessage } from '../../lib/errors';
import { sha256Hex } from '../../lib/hash';
import type { ModelFileReader } from '../face/models';
import { tf } from '../tf';

export type { ModelFileReader };

export type GraphModelSource = { baseUrl: string } | { readFile: ModelFileReader };

export interface LoadGraphOptions {
  signal?: AbortSignal;
  /** One step per file read (the JSON, then each shard). */
  onProgress?: ProgressFn;
}

/** A node of a graph model's `modelTopology.node` list (the fields this app reads). */
export interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, { list?: { i?: string[] }; s?: string; b?: boolean } | undefined>;
}

export interface LoadedGraph {
  model: tf.GraphModel;
  /** The graph's nodes, as in the model JSON. */
  nodes: GraphNode[];
  /** SHA-256 (hex) of the weight shards, concatenated in manifest order. */
  weightsSha256: string;
  /** Bytes read: model JSON plus shards. */
  byteLength: number;
}

/** Reads `<jsonName>` and the shards its weightsManifest names (relative to it), then builds the model. */
export async function loadGraphModelFiles(
  jsonName: string,
  source: GraphModelSource,
  options: LoadGraphOptions = {},
): Promise<LoadedGraph> {
  const { signal, onProgress } = options;
  const read = toReader(source);
  throwIfAborted(signal);
  const jsonBytes = await read(jsonName);
  const json = parseModelJson(jsonName, jsonBytes);
  const dir = jsonName.includes('/') ? jsonName.slice(0, jsonName.lastIndexOf('/') + 1) : '';
  const paths = json.weightsManifest.flatMap((group) => group.paths);
  const total = 1 + paths.length;
  onProgress?.({ phase: 'Loading model files', done: 1, total, message: jsonName });
  const shards: ArrayBuffer[] = [];
  for (const [i, path] of paths.entries()) {
    throwIfAborted(signal);
    shards.push(toArrayBuffer(await read(dir + path)));
    onProgress?.({ phase: 'Loading model files', done: 2 + i, total, message: path });
  }
  throwIfAborted(signal);
  const weightData = tf.io.concatenateArrayBuffers(shards);
  const weightsSha256 = await sha256Hex(weightData);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    ...(json.signature ? { signature: json.signature } : {}),
  };
  let model: tf.GraphModel;
  try {
    model = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
  } catch (e) {
    const why = `is not a TF.js graph model matching its weights: ${errorMessage(e)}`;
    throw new KinshipError('WEIGHTS_FORMAT', why, { file: jsonName, cause: e });
  }
  const topology = json.modelTopology as { node?: unknown };
  return {
    model,
    nodes: Array.isArray(topology.node) ? (topology.node as GraphNode[]) : [],
    weightsSha256,
    byteLength: jsonBytes.byteLength + weightData.byteLength,
  };
}

function parseModelJson(name: string, bytes: ArrayBuffer | Uint8Array): tf.io.ModelJSON {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new KinshipError('WEIGHTS_FORMAT', 'is not valid JSON', { file: name, cause: e });
  }
  const j = json as Partial<tf.io.ModelJSON> | null;
  if (
    typeof j !== 'object' ||
    j === null ||
    j.format !== 'graph-model' ||
    typeof j.modelTopology !== 'object' ||
    !Array.isArray(j.weightsManifest) ||
    j.weightsManifest.some((g) => !Array.isArray(g.paths) || !Array.isArray(g.weights))
  ) {
    throw new KinshipError(
      'WEIGHTS_FORMAT',
      'is not a TF.js graph model (format "graph-model" with modelTopology and weightsManifest)',
      { file: name },
    );
  }
  return j as tf.io.ModelJSON;
}

function toReader(source: GraphModelSource): ModelFileReader {
  if ('readFile' in source) {
    return async (name) => {
      try {
        return await source.readFile(name);
      } catch (e) {
        if (e instanceof KinshipError) throw e;
        throw new KinshipError('WEIGHTS_MISSING', `cannot be read: ${errorMessage(e)}`, {
          file: name,
          cause: e,
        });
      }
    };
  }
  const base = source.baseUrl.endsWith('/') ? source.baseUrl : `${source.baseUrl}/`;
  return async (name) => {
    const url = base + name;
    let response: Response;
    try {
      response = await fetch(url);
    } catch (e) {
      const why = `Cannot fetch model file ${url}: ${errorMessage(e)}`;
      throw new KinshipError('WEIGHTS_MISSING', why, { cause: e });
    }
    if (!response.ok) {
      throw new KinshipError(
        'WEIGHTS_MISSING',
        `Model file ${url} answered HTTP ${response.status}`,
      );
    }
    return response.arrayBuffer();
  };
}

function toArrayBuffer(bytes: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
