/**
 * Typed errors shared by the worker, the CLI and the UI. Every failure the user can act on
 * carries a `code` and, where it concerns a file, the file's name, so the UI can say
 * "<file>: <problem>" in plain words.
 */
export type ErrorCode =
  | 'ABORTED'
  | 'BACKEND_INIT'
  | 'IMAGE_DECODE'
  | 'IMAGE_TOO_LARGE'
  | 'NO_FACE'
  | 'FILE_TOO_LARGE'
  | 'WEIGHTS_FORMAT'
  | 'WEIGHTS_MISMATCH'
  | 'WEIGHTS_MISSING'
  | 'WEIGHTS_UNKNOWN_ARCH'
  | 'DATASET_FORMAT'
  | 'CSV_FORMAT'
  | 'NOT_READY'
  | 'STORAGE_QUOTA'
  | 'STORAGE'
  | 'WORKER'
  | 'INTERNAL';

export interface KinshipErrorInit {
  file?: string;
  cause?: unknown;
}

export class KinshipError extends Error {
  readonly code: ErrorCode;
  readonly file: string | undefined;

  constructor(code: ErrorCode, message: string, init: KinshipErrorInit = {}) {
    super(init.file ? `${init.file}: ${message}` : message, { cause: init.cause });
    this.name = 'KinshipError';
    this.code = code;
    this.file = init.file;
  }
}

/** A plain-data form of an error that survives structured cloning across the worker boundary. */
export interface SerializedError {
  name: string;
  code: ErrorCode;
  message: string;
  file?: string;
}

export function isKinshipError(e: unknown): e is KinshipError {
  return e instanceof KinshipError;
}

export function toSerializedError(e: unknown): SerializedError {
  if (e instanceof KinshipError) {
    return { name: e.name, code: e.code, message: e.message, ...(e.file ? { file: e.file } : {}) };
  }
  if (isAbortError(e)) return { name: 'AbortError', code: 'ABORTED', message: 'Cancelled' };
  const message = e instanceof Error ? e.message : String(e);
  return { name: 'Error', code: 'INTERNAL', message };
}

export function isAbortError(e: unknown): boolean {
  if (e instanceof KinshipError) return e.code === 'ABORTED';
  return (
    typeof e === 'object' &&
    e !== null &&
    'name' in e &&
    (e as { name: unknown }).name === 'AbortError'
  );
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
