import * as Comlink from 'comlink';
import type { ProgressFn } from '../lib/abort';
import { KinshipError, type SerializedError } from '../lib/errors';
import type { MlApi, Result } from './api';

/** The one worker that owns tfjs. The UI thread never imports tfjs. */
let remote: Comlink.Remote<MlApi> | null = null;
let nextJobId = 1;

export function mlWorker(): Comlink.Remote<MlApi> {
  if (!remote) {
    const worker = new Worker(new URL('./ml.worker.ts', import.meta.url), {
      type: 'module',
      name: 'kinlens-ml',
    });
    remote = Comlink.wrap<MlApi>(worker);
  }
  return remote;
}

export function errorFromSerialized(e: SerializedError): KinshipError {
  // The message already carries the file prefix; keep it as is.
  const err = new KinshipError(e.code, e.message);
  return Object.assign(err, { file: e.file });
}

export function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw errorFromSerialized(r.error);
}

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

/**
 * Runs a long worker call with cancellation and progress: `start` receives the job context to
 * pass to the worker method. Aborting the signal asks the worker to stop that job.
 */
export async function job<T>(
  start: (jobId: number, onProgress: ProgressFn | null) => Promise<Result<T>>,
  opts: CallOptions = {},
): Promise<T> {
  const jobId = nextJobId++;
  const { signal, onProgress } = opts;
  if (signal?.aborted) throw new KinshipError('ABORTED', 'Cancelled');
  const onAbort = (): void => {
    void mlWorker().cancel(jobId);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return unwrap(await start(jobId, onProgress ? Comlink.proxy(onProgress) : null));
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Wraps a callback so the worker can call it back (Comlink proxies must be top-level args). */
export function callback<F extends (...args: never[]) => unknown>(fn: F): F {
  return Comlink.proxy(fn);
}
