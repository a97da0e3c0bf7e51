/**
 * Once-only loading of the face-api weights (detectors, landmarks, descriptor) from our own
 * origin (`{ baseUrl }`, e.g. `<base>models/face-api/`) or from any file reader (Node: the
 * package's `model/` folder on disk).
 */
import { raceAbort, throwIfAborted, type ProgressFn } from '../../lib/abort';
import { KinshipError, errorMessage } from '../../lib/errors';
import { tf } from '../tf';
import {
  descriptorParamsFromWeightMap,
  fuseDescriptorNet,
  type DescriptorNet,
} from './descriptor-net';
import {
  FACE_NET_FILES,
  faceNet,
  importFaceApi,
  isFaceNetLoaded,
  type FaceNetName,
} from './faceApi';

/** Returns the bytes of one model file, named as in face-api's model folder. */
export type ModelFileReader = (fileName: string) => Promise<ArrayBuffer | Uint8Array>;

export type FaceModelSource = { baseUrl: string } | { readFile: ModelFileReader };

export interface LoadFaceModelsOptions {
  signal?: AbortSignal;
  /** Reported per net, to the call that starts the load. */
  onProgress?: ProgressFn;
}

const ALL_NETS: readonly FaceNetName[] = [
  'ssdMobilenetv1',
  'tinyFaceDetector',
  'faceLandmark68Net',
  'faceRecognitionNet',
];

let loading: Promise<void> | null = null;
/**
 * faceRecognitionNet as fused ops (descriptor-net.ts), built from its weight map. face-api's own
 * copy of that net is never loaded: the app does not run it, and it would hold another ~25 MB.
 */
let descriptorNet: DescriptorNet | null = null;

function isLoaded(name: FaceNetName): boolean {
  return name === 'faceRecognitionNet' ? descriptorNet !== null : isFaceNetLoaded(name);
}

/**
 * Loads every face net once; later calls share the same promise. A failed load is forgotten so
 * the next call retries. Aborting stops this caller's wait, not a load others may share.
 */
export function loadFaceModels(
  source: FaceModelSource,
  options: LoadFaceModelsOptions = {},
): Promise<void> {
  throwIfAborted(options.signal);
  if (!loading) {
    loading = loadAll(toReader(source), options.onProgress).catch((e: unknown) => {
      loading = null;
      throw e;
    });
  }
  return raceAbort(loading, options.signal);
}

/** True when every net is ready for inference. */
export function faceModelsLoaded(): boolean {
  return ALL_NETS.every(isLoaded);
}

/** The built-in descriptor as fused ops (descriptor-net.ts); NOT_READY before the models load. */
export function fusedDescriptorNet(): DescriptorNet {
  if (!descriptorNet) throw new KinshipError('NOT_READY', 'The face models are not loaded yet');
  return descriptorNet;
}

/** Throws NOT_READY unless loadFaceModels has finished. */
export function assertFaceModelsLoaded(): void {
  if (!faceModelsLoaded()) {
    throw new KinshipError('NOT_READY', 'The face models are not loaded yet');
  }
}

async function loadAll(
  readFile: ModelFileReader,
  onProgress: ProgressFn | undefined,
): Promise<void> {
  let done = 0;
  onProgress?.({ phase: 'Loading face models', done, total: ALL_NETS.length });
  // Weights become tensors: the backend must be initialised (no-op when it is).
  await Promise.all([importFaceApi(), tf.ready()]);
  for (const name of ALL_NETS) {
    if (!isLoaded(name)) {
      const weights = await readWeightMap(FACE_NET_FILES[name], readFile);
      try {
        if (name === 'faceRecognitionNet') {
          descriptorNet = fuseDescriptorNet(descriptorParamsFromWeightMap(weights));
          // The fused net holds its own (folded) copies.
          tf.dispose(Object.values(weights));
        } else {
          faceNet(name).loadFromWeightMap(weights);
        }
      } catch (e) {
        tf.dispose(Object.values(weights));
        const why = `Face model ${name} does not match its weights: ${errorMessage(e)}`;
        throw new KinshipError('WEIGHTS_MISMATCH', why, { cause: e });
      }
    }
    done += 1;
    onProgress?.({ phase: 'Loading face models', done, total: ALL_NETS.length, message: name });
  }
}

/** Reads `<stem>-weights_manifest.json` and its shards into named tensors. */
export async function readWeightMap(
  stem: string,
  readFile: ModelFileReader,
): Promise<Record<string, tf.Tensor>> {
  const manifestName = `${stem}-weights_manifest.json`;
  const manifestText = new TextDecoder().decode(await readFile(manifestName));
  let manifest: tf.io.WeightsManifestConfig;
  try {
    manifest = JSON.parse(manifestText) as tf.io.WeightsManifestConfig;
  } catch (e) {
    throw new KinshipError('WEIGHTS_FORMAT', `${manifestName} is not valid JSON`, { cause: e });
  }
  if (
    !Array.isArray(manifest) ||
    manifest.some((g) => !Array.isArray(g.paths) || !Array.isArray(g.weights))
  ) {
    throw new KinshipError('WEIGHTS_FORMAT', `${manifestName} is not a weights manifest`);
  }
  const specs = manifest.flatMap((group) => group.weights);
  const shards = await Promise.all(
    manifest
      .flatMap((group) => group.paths)
      .map(async (path) => toArrayBuffer(await readFile(path))),
  );
  try {
    // Shards hold the weights back to back in manifest order, across groups too.
    return tf.io.decodeWeights(shards, specs);
  } catch (e) {
    const why = `Cannot decode the weights of ${stem}: ${errorMessage(e)}`;
    throw new KinshipError('WEIGHTS_FORMAT', why, { cause: e });
  }
}

function toReader(source: FaceModelSource): ModelFileReader {
  if ('readFile' in source) return source.readFile;
  const base = source.baseUrl.endsWith('/') ? source.baseUrl : `${source.baseUrl}/`;
  return async (fileName) => {
    const url = base + fileName;
    let response: Response;
    try {
      response = await fetch(url);
    } catch (e) {
      const why = `Cannot fetch face model file ${url}: ${errorMessage(e)}`;
      throw new KinshipError('WEIGHTS_MISSING', why, { cause: e });
    }
    if (!response.ok) {
      throw new KinshipError(
        'WEIGHTS_MISSING',
        `Face model file ${url} answered HTTP ${response.status}`,
      );
    }
    return response.arrayBuffer();
  };
}

function toArrayBuffer(bytes: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
