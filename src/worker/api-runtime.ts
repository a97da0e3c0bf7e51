/**
 * The worker's shared runtime state and call helpers: its configuration, the backend
 * initialisation that every ML call waits for, and the Result wrapper that carries typed errors
 * across the RPC boundary. Used by the RPC objects in api.ts and api-finetune.ts.
 */
import { KinshipError, toSerializedError, type SerializedError } from '../lib/errors';
import type { ProgressFn } from '../lib/abort';
import { selectBackend } from '../ml/backend/select';
import type { BackendPreference, BackendReport } from '../ml/backend/types';
import type { SelfCheckResult } from '../ml/backend/self-check';
import { runJob } from './jobs';

/**
 * Long calls take `(jobId, onProgress, ...args)`: the id lets the client cancel, and the progress
 * sink is a Comlink proxy (it must be a top-level argument for Comlink to proxy it).
 */
export type Progress = ProgressFn | null;

export interface WorkerConfig {
  /** Absolute URL of the app's base folder, so the worker finds assets on our origin. */
  baseUrl: string;
}

/** Results cross the boundary as a tagged union so typed errors keep their code and file. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

export async function wrap<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (e) {
    return { ok: false, error: toSerializedError(e) };
  }
}

let config: WorkerConfig | null = null;
let backendReport: BackendReport | null = null;
/**
 * Settles when the latest backend initialisation has finished (either way). ML calls wait for it,
 * so a photo dropped while the app is still starting waits instead of running on tfjs's default.
 */
let settleFirstBackend: () => void = () => undefined;
let backendSettled: Promise<void> = new Promise<void>((resolve) => {
  settleFirstBackend = resolve;
});

/** Serialises backend initialisations. */
let initChain: Promise<void> = Promise.resolve();

export async function requireBackend(): Promise<void> {
  await backendSettled;
  if (!backendReport) throw new KinshipError('NOT_READY', 'No compute backend could be started');
}

export function requireConfig(): WorkerConfig {
  if (!config) throw new Error('worker not configured: call configure() first');
  return config;
}

/**
 * A cancellable job (see jobs.ts) that computes: it waits for the backend first, and its result
 * or typed error crosses as a Result.
 */
export function backendJob<T>(
  jobId: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<Result<T>> {
  return wrap(() =>
    runJob(jobId, async (signal) => {
      await requireBackend();
      return work(signal);
    }),
  );
}

export function configure(next: WorkerConfig): void {
  config = next;
}

export function currentBackend(): BackendReport | null {
  return backendReport;
}

/**
 * Chooses and initialises a tfjs backend. One initialisation at a time: a second call (a
 * double-mounted effect, a quick switch) waits for the first instead of racing it inside tfjs's
 * engine.
 */
export async function initBackend(
  preference: BackendPreference,
  cachedSelfCheck: SelfCheckResult | null,
): Promise<BackendReport> {
  const { baseUrl } = requireConfig();
  const previous = initChain;
  let release: () => void = () => undefined;
  initChain = new Promise<void>((resolve) => (release = resolve));
  await previous;
  const selecting = selectBackend({
    preference,
    cachedSelfCheck,
    wasmBaseUrl: new URL('vendor/tfjs-wasm/', baseUrl).href,
  }).then((report) => {
    backendReport = report;
    return report;
  });
  const settled = selecting.then(
    () => undefined,
    () => undefined,
  );
  backendSettled = settled;
  void settled.then(settleFirstBackend).then(release);
  return await selecting;
}
