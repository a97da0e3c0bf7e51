import { toSerializedError, type SerializedError } from '../lib/errors';
import type { ProgressFn } from '../lib/abort';
import { selectBackend } from '../ml/backend/select';
import type { BackendPreference, BackendReport } from '../ml/backend/types';
import { tf } from '../ml/tf';
import { cancelJob, runJob } from './jobs';

/**
 * Long calls take `(jobId, onProgress, ...args)`: the id lets the client cancel, and the progress
 * sink is a Comlink proxy (it must be a top-level argument for Comlink to proxy it).
 */
export type Progress = ProgressFn | null;

export interface WorkerConfig {
  /** Absolute URL of the app's base folder, so the worker finds assets on our origin. */
  baseUrl: string;
}

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
}

/** Results cross the boundary as a tagged union so typed errors keep their code and file. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

async function wrap<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (e) {
    return { ok: false, error: toSerializedError(e) };
  }
}

let config: WorkerConfig | null = null;
let backendReport: BackendReport | null = null;

function requireConfig(): WorkerConfig {
  if (!config) throw new Error('worker not configured: call configure() first');
  return config;
}

export const api = {
  configure(next: WorkerConfig): void {
    config = next;
  },

  /** Chooses and initialises a tfjs backend; safe to call again to switch. */
  initBackend(preference: BackendPreference): Promise<Result<BackendReport>> {
    return wrap(async () => {
      const { baseUrl } = requireConfig();
      backendReport = await selectBackend({
        preference,
        wasmBaseUrl: new URL('vendor/tfjs-wasm/', baseUrl).href,
      });
      return backendReport;
    });
  },

  backend(): BackendReport | null {
    return backendReport;
  },

  /**
   * A small but real computation on the active backend (conv + matmul + reduction) checked
   * against values computed in plain JS, so "the backend works" is a fact, not a label.
   */
  computeCheck(jobId: number, _onProgress: Progress): Promise<Result<ComputeCheck>> {
    return wrap(() =>
      runJob(jobId, async () => {
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

  memory(): MemoryInfo {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes, backend: tf.getBackend() };
  },

  cancel(jobId: number): boolean {
    return cancelJob(jobId);
  },
};

export type MlApi = typeof api;
