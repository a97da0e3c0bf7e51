/**
 * The one place that touches @vladmandic/face-api, narrowed to the four nets we use and typed
 * with our own tfjs types (its .d.ts bundles a copy of tfjs's).
 *
 * The library is imported lazily, on the first model load, in the build that shares our tfjs
 * engine and backends:
 * - browser and worker: the "nobundle" ESM build, which imports `@tensorflow/tfjs/dist/index.js`
 *   — the very file `@tensorflow/tfjs` resolves to there;
 * - Node (tests, CLI): the CommonJS wasm build, which requires `@tensorflow/tfjs` and
 *   `@tensorflow/tfjs-backend-wasm` like the rest of our code does in Node. The nobundle build
 *   would load second copies of tfjs's backend modules there (whose re-registered wasm kernels
 *   break a wasm backend that is already running), and plain Node ESM (tsx) cannot load it.
 * `setFaceApiBuild` overrides the choice before the first load.
 */
import { KinshipError } from '../../lib/errors';
import type { Tensor, Tensor2D, Tensor3D } from '../tf';

/** Weight name → tensor, as tf.io's weight loaders produce. */
export type WeightMap = Record<string, Tensor>;

export type FaceNetName =
  'ssdMobilenetv1' | 'tinyFaceDetector' | 'faceLandmark68Net' | 'faceRecognitionNet';

/** File stem of each net's `<stem>-weights_manifest.json` and shards in face-api's model folder. */
export const FACE_NET_FILES: Record<FaceNetName, string> = {
  ssdMobilenetv1: 'ssd_mobilenetv1_model',
  tinyFaceDetector: 'tiny_face_detector_model',
  faceLandmark68Net: 'face_landmark_68_model',
  faceRecognitionNet: 'face_recognition_model',
};

export interface RawDetection {
  score: number;
  box: { x: number; y: number; width: number; height: number };
}

/** The subset of face-api we call, in our types (face-api's .d.ts bundles its own tfjs types). */
interface FaceApiNets {
  ssdMobilenetv1: {
    isLoaded: boolean;
    loadFromWeightMap(weights: WeightMap): void;
    locateFaces(
      input: Tensor3D,
      options: { minConfidence: number; maxResults: number },
    ): Promise<RawDetection[]>;
  };
  tinyFaceDetector: {
    isLoaded: boolean;
    loadFromWeightMap(weights: WeightMap): void;
    locateFaces(
      input: Tensor3D,
      options: { inputSize: number; scoreThreshold: number },
    ): Promise<RawDetection[]>;
  };
  faceLandmark68Net: {
    isLoaded: boolean;
    loadFromWeightMap(weights: WeightMap): void;
    detectLandmarks(input: Tensor3D[]): Promise<{ positions: { x: number; y: number }[] }[]>;
    /** [n, 136]: x, y interleaved per point, as fractions of each (square) input's side. */
    forward(input: Tensor3D[]): Promise<Tensor2D>;
  };
}

/**
 * The nets face-api itself runs. faceRecognitionNet is not one: its weights go straight into our
 * fused net (descriptor-net.ts, loaded by models.ts), and face-api's copy stays unloaded.
 */
export type FaceApiNetName = keyof FaceApiNets;

/** Either face-api build (they share one .d.ts). */
export type FaceApiBuild = typeof import('@vladmandic/face-api/dist/face-api.esm-nobundle.js');

let build: FaceApiBuild | null = null;
let importing: Promise<FaceApiBuild> | null = null;

/** Chooses the face-api build before the first load; later calls are ignored. */
export function setFaceApiBuild(chosen: FaceApiBuild): void {
  if (!build) {
    build = chosen;
    prepareEnvironment(chosen);
  }
}

/** Imports the default build once; resolves to whichever build is in use. */
export async function importFaceApi(): Promise<FaceApiBuild> {
  if (build) return build;
  importing ??= importDefaultBuild();
  const imported = await importing;
  setFaceApiBuild(imported);
  return build ?? imported;
}

function importDefaultBuild(): Promise<FaceApiBuild> {
  const runtime = globalThis as { process?: { versions?: { node?: string } } };
  if (typeof runtime.process?.versions?.node === 'string') {
    // A variable specifier keeps bundlers from pulling the Node build into the app.
    const nodeBuild = '@vladmandic/face-api/dist/face-api.node-wasm.js';
    return import(/* @vite-ignore */ nodeBuild) as Promise<FaceApiBuild>;
  }
  return import('@vladmandic/face-api/dist/face-api.esm-nobundle.js');
}

/**
 * face-api consults its "environment" (DOM classes, fetch) even for tensor inputs, and only
 * detects a browser window or Node. In a Web Worker there is neither, so give it one whose
 * media classes never match: every input we pass is a tensor.
 */
function prepareEnvironment(faceapi: FaceApiBuild): void {
  if (!faceapi.env.isBrowser() && !faceapi.env.isNodejs()) {
    class NotAMediaElement {}
    const unsupported = (): never => {
      throw new Error('face-api: DOM media are not available in a worker');
    };
    const workerEnv = {
      Canvas: NotAMediaElement,
      CanvasRenderingContext2D: NotAMediaElement,
      Image: NotAMediaElement,
      ImageData: NotAMediaElement,
      Video: NotAMediaElement,
      createCanvasElement: unsupported,
      createImageElement: unsupported,
      createVideoElement: unsupported,
      fetch: (url: string, init?: RequestInit) => fetch(url, init),
      readFile: unsupported,
    };
    faceapi.env.setEnv(workerEnv as unknown as Parameters<typeof faceapi.env.setEnv>[0]);
  }
}

/** True once face-api is imported and the net has its weights. */
export function isFaceNetLoaded(name: FaceApiNetName): boolean {
  return build !== null && (build.nets as unknown as FaceApiNets)[name].isLoaded;
}

/** A face-api net; throws NOT_READY before face-api is imported (see loadFaceModels). */
export function faceNet<N extends FaceApiNetName>(name: N): FaceApiNets[N] {
  if (!build) throw new KinshipError('NOT_READY', 'The face models are not loaded yet');
  return (build.nets as unknown as FaceApiNets)[name];
}
