/**
 * The ML worker's RPC surface (exposed by ml.worker.ts through Comlink): backend, photos, pair and
 * family scoring, encoders, benchmark; the fine-tuning calls come from api-finetune.ts.
 */
import type { BackendPreference, BackendReport } from '../ml/backend/types';
import type { SelfCheckResult } from '../ml/backend/self-check';
import { tf } from '../ml/tf';
import { cancelJob, runJob } from './jobs';
import { onStorageLost } from '../lib/idb';
import { ENCODER_DB_NAME } from '../ml/weights/encoder-store';
import * as Comlink from 'comlink';
import type { DetectorKind } from '../ml/face/detect';
import type { GroupScores } from '../ml/pair/score';
import type { HeadSource } from '../ml/pair/head-choice';
import type { EncoderInfo } from '../ml/encoders/types';
import {
  availableEncoders,
  currentHeads,
  encoderById,
  ensureFaceStack,
  infoOf,
  setHeadPreferences,
} from './encoders';
import { warmUpFaceStack, type WarmUpTimes } from '../ml/face/warmup';
import { builtInStatuses, ensureBuiltInEncoders, type BuiltInStatus } from './builtins';
import { analyzePhoto, releasePhoto, type FaceRef, type PhotoAnalysis } from './photos';
import { scoreFamily, scorePeople, type FamilyMatrix } from './people';
import { loadBuiltInHeads, type BuiltInHeadInfo } from './builtin-heads';
import * as models from './models';
import { runBenchmark, type BenchResult, type BenchSpec } from './bench';
import {
  backendJob,
  configure,
  currentBackend,
  initBackend,
  requireBackend,
  requireConfig,
  wrap,
  type Progress,
  type Result,
  type WorkerConfig,
} from './api-runtime';
import { finetuneApi } from './api-finetune';

export type { Progress, Result, WorkerConfig } from './api-runtime';
import type { EncoderId } from '../ml/encoders/types';

export interface ComputeCheck {
  backend: string;
  values: number[];
  expected: number[];
  ok: boolean;
  ms: number;
}

export interface MemoryInfo {
  numTensors: number;
  numBytes: number;
  backend: string;
  /** Size of the WASM backend's heap: it grows to the largest working set and never shrinks. */
  wasmHeapBytes: number | null;
}

function wasmHeapBytes(): number | null {
  if (tf.getBackend() !== 'wasm') return null;
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.buffer.byteLength ?? null;
}

/** Bench encoders that are the background-loaded built-ins (the ensemble needs them too). */
const BUILT_IN_BENCH: readonly string[] = ['faceres', 'faceres-deep', 'face-ensemble'];

export const api = {
  ...finetuneApi,

  configure(next: WorkerConfig): void {
    configure(next);
  },

  /** Chooses and initialises a tfjs backend; safe to call again to switch. */
  initBackend(
    preference: BackendPreference,
    cachedSelfCheck: SelfCheckResult | null = null,
  ): Promise<Result<BackendReport>> {
    return wrap(() => initBackend(preference, cachedSelfCheck));
  },

  backend(): BackendReport | null {
    return currentBackend();
  },

  /**
   * A small but real computation on the active backend (conv + matmul + reduction) checked
   * against values computed in plain JS, so "the backend works" is a fact, not a label.
   */
  computeCheck(jobId: number, _onProgress: Progress): Promise<Result<ComputeCheck>> {
    return wrap(() =>
      runJob(jobId, async () => {
        await requireBackend();
        const started = performance.now();
        const n = 16;
        const a = Array.from({ length: n * n }, (_, i) => ((i * 7) % 13) / 13 - 0.5);
        const b = Array.from({ length: n * n }, (_, i) => ((i * 5) % 11) / 11 - 0.5);
        const expected: number[] = [];
        for (let r = 0; r < n; r++) {
          let rowSum = 0;
          for (let c = 0; c < n; c++) {
            let dot = 0;
            for (let k = 0; k < n; k++) dot += (a[r * n + k] ?? 0) * (b[k * n + c] ?? 0);
            rowSum += Math.max(0, dot);
          }
          expected.push(rowSum);
        }
        const out = tf.tidy(() =>
          tf.relu(tf.matMul(tf.tensor2d(a, [n, n]), tf.tensor2d(b, [n, n]))).sum(1),
        );
        const values = Array.from(await out.data());
        out.dispose();
        const ok = values.every((v, i) => Math.abs(v - (expected[i] ?? NaN)) < 1e-3);
        return { backend: tf.getBackend(), values, expected, ok, ms: performance.now() - started };
      }),
    );
  },

  /** Loads the built-in face stack (detector, landmarks, descriptor) from our origin. */
  prepareFaceStack(jobId: number, onProgress: Progress): Promise<Result<EncoderInfo[]>> {
    return backendJob(jobId, async (signal) => {
      await ensureFaceStack(requireConfig().baseUrl, signal, onProgress ?? undefined);
      return availableEncoders().map(infoOf);
    });
  },

  /**
   * Loads faceres, faceres-deep and the face ensemble from our origin (after the face stack; the
   * app starts it in the background once start-up is done). Returns their statuses.
   */
  prepareBuiltInEncoders(jobId: number, onProgress: Progress): Promise<Result<BuiltInStatus[]>> {
    return backendJob(jobId, async (signal) => {
      const { baseUrl } = requireConfig();
      await ensureFaceStack(baseUrl, signal);
      return ensureBuiltInEncoders(baseUrl, signal, onProgress ?? undefined);
    });
  },

  builtInStatuses(): BuiltInStatus[] {
    return builtInStatuses();
  },

  /** Loads installed and preinstalled ResNet50 encoders (after a reload). */
  restoreModels(jobId: number, _onProgress: Progress): Promise<Result<models.ModelStatus[]>> {
    return backendJob(jobId, async (signal) => {
      return models.restoreModels(requireConfig().baseUrl, signal);
    });
  },

  /** Installs dropped weights (one .h5, or model.json + shards) into IndexedDB. */
  installWeights(
    jobId: number,
    onProgress: Progress,
    files: File[],
  ): Promise<Result<models.ModelStatus>> {
    return backendJob(jobId, async (signal) => {
      return models.installWeights(files, signal, onProgress ?? undefined);
    });
  },

  removeModel(id: 'resnet50-vggface' | 'resnet50-imagenet'): Promise<Result<models.ModelStatus[]>> {
    return wrap(() => models.removeModel(id));
  },

  /**
   * Calls `onLost(databaseName)` whenever the browser closes one of our databases by force
   * (site data cleared, storage evicted). Installed encoders then count as this-session-only.
   */
  watchStorage(onLost: (databaseName: string) => void): void {
    onStorageLost((name) => {
      if (name === ENCODER_DB_NAME) models.forgetSavedCopies();
      onLost(name);
    });
  },

  modelStatuses(): models.ModelStatus[] {
    return models.modelStatuses();
  },

  encoders(): EncoderInfo[] {
    return availableEncoders().map(infoOf);
  },

  /** Decodes a dropped photo, finds its faces and returns thumbnails and a preview bitmap. */
  async analyzePhoto(
    jobId: number,
    onProgress: Progress,
    file: Blob,
    name: string,
    detector: DetectorKind,
  ): Promise<Result<PhotoAnalysis>> {
    const result = await wrap(() =>
      runJob(jobId, async (signal) => {
        await requireBackend();
        await ensureFaceStack(requireConfig().baseUrl, signal, onProgress ?? undefined);
        return analyzePhoto(file, name, detector, signal, onProgress ?? undefined);
      }),
    );
    // Comlink transfers only what is registered on the top-level return value.
    return result.ok ? Comlink.transfer(result, [result.value.preview]) : result;
  },

  releasePhoto(photoId: number): void {
    releasePhoto(photoId);
  },

  /**
   * Scores person A against person B (each one or more chosen faces of analysed photos) with
   * every available encoder (or those in `only`), over all A×B face pairs.
   */
  scorePeople(
    jobId: number,
    _onProgress: Progress,
    a: FaceRef[],
    b: FaceRef[],
    tta: boolean,
    only?: EncoderId[],
  ): Promise<Result<GroupScores>> {
    return backendJob(jobId, async (signal) => {
      return scorePeople(a, b, tta, signal, only);
    });
  },

  /** Every pair of people of a group photo (each person one or more faces), as a matrix. */
  scoreFamily(
    jobId: number,
    onProgress: Progress,
    people: FaceRef[][],
    tta: boolean,
  ): Promise<Result<FamilyMatrix>> {
    return backendJob(jobId, async (signal) => {
      return scoreFamily(people, tta, signal, onProgress ?? undefined);
    });
  },

  /**
   * One pass of the face nets and of every head on synthetic input, while the page idles: the
   * first photo then runs at full speed.
   */
  warmUp(jobId: number, _onProgress: Progress): Promise<Result<WarmUpTimes & { headsMs: number }>> {
    return wrap(() =>
      runJob(jobId, async () => {
        await requireBackend();
        await ensureFaceStack(requireConfig().baseUrl);
        const times = await warmUpFaceStack();
        const started = performance.now();
        for (const [id, resolved] of Object.entries(currentHeads())) {
          const dim = encoderById(id as EncoderId)?.dim;
          if (resolved && dim)
            await resolved.head.predict(new Float32Array(dim), new Float32Array(dim));
        }
        return { ...times, headsMs: performance.now() - started };
      }),
    );
  },

  /** Loads the kinship heads that ship with the app (after the face stack). */
  loadBuiltInHeads(jobId: number, _onProgress: Progress): Promise<Result<BuiltInHeadInfo[]>> {
    return backendJob(jobId, async (signal) => {
      return loadBuiltInHeads(requireConfig().baseUrl, signal);
    });
  },

  /** The user's choice of head per encoder ('built-in' or 'user'), remembered by the UI. */
  setHeadPreferences(choice: Partial<Record<EncoderId, HeadSource>>): void {
    setHeadPreferences(choice);
  },

  /** `npm run bench`: encoder, pipeline and head-training throughput on the active backend. */
  benchmark(
    jobId: number,
    onLine: ((line: string) => void) | null,
    spec: BenchSpec,
  ): Promise<Result<BenchResult>> {
    return backendJob(jobId, async (signal) => {
      const { baseUrl } = requireConfig();
      // The dataset-encode measurement runs the face descriptor and the aligner.
      const faces =
        (spec.faceCrops?.length ?? 0) > 0 ||
        spec.encoders.some((e) => e === 'face-descriptor' || BUILT_IN_BENCH.includes(e));
      if (faces) await ensureFaceStack(baseUrl, signal);
      if (spec.encoders.some((e) => BUILT_IN_BENCH.includes(e)))
        await ensureBuiltInEncoders(baseUrl, signal);
      return runBenchmark(spec, signal, (line) => onLine?.(line));
    });
  },

  memory(): MemoryInfo {
    const m = tf.memory();
    return {
      numTensors: m.numTensors,
      numBytes: m.numBytes,
      backend: tf.getBackend(),
      wasmHeapBytes: wasmHeapBytes(),
    };
  },

  cancel(jobId: number): boolean {
    return cancelJob(jobId);
  },
};

export type MlApi = typeof api;
