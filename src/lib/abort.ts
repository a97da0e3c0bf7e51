import { KinshipError } from './errors';

/** Throws an ABORTED KinshipError when the signal has fired. Call between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new KinshipError('ABORTED', 'Cancelled');
}

/**
 * Waits for `promise`, or rejects with ABORTED as soon as `signal` fires: stops this caller's
 * wait for work that others may share (a once-only model load), not the work itself.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new KinshipError('ABORTED', 'Cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new KinshipError('ABORTED', 'Cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Lets other tasks (messages, abort events) run; keeps long loops cancellable. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Resolves after `ms`, rejects early with ABORTED when the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new KinshipError('ABORTED', 'Cancelled'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new KinshipError('ABORTED', 'Cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Progress reported by long calls: `done` of `total` units, with an optional phase label. */
export interface Progress {
  phase: string;
  done: number;
  total: number;
  /** Units per second over the recent window, when meaningful. */
  rate?: number;
  /** Estimated seconds left, when meaningful. */
  etaSeconds?: number;
  message?: string;
}

export type ProgressFn = (p: Progress) => void;
