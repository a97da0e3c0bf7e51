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
    remote = failFastWhenUnstarted(worker, Comlink.wrap<MlApi>(worker));
  }
  return remote;
}

/**
 * A worker whose script cannot load (blocked, missing, a browser without module workers) never
 * answers, so every call would wait forever. Until it has answered once, an `error` event makes
 * every pending and later call reject with a message that says so. After that, a stray error in
 * the running worker leaves calls alone: each call reports its own failures.
 */
function failFastWhenUnstarted(
  worker: Worker,
  calls: Comlink.Remote<MlApi>,
): Comlink.Remote<MlApi> {
  let answered = false;
  worker.addEventListener('message', () => (answered = true), { once: true });
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => {
      if (answered) return;
      event.preventDefault();
      const detail = event.message ? ` (${event.message})` : '';
      reject(
        new KinshipError(
          'WORKER',
          `The ML worker could not start${detail}. Reload the page; if this persists, the ` +
            'browser may block or not support module workers.',
        ),
      );
    });
  });
  failed.catch(() => undefined); // Only calls observe it.
  // Comlink's remote is itself a Proxy: wrap each method so its promise races the failure.
  return new Proxy(calls, {
    get(target, prop, receiver) {
      const member: unknown = Reflect.get(target, prop, receiver);
      if (prop === 'then' || typeof member !== 'function') return member;
      return (...args: unknown[]) =>
        Promise.race([(member as (...a: unknown[]) => Promise<unknown>)(...args), failed]);
    },
  });
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
