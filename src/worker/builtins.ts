/**
 * The built-in encoders that load after start-up: faceres and faceres-deep from our origin
 * (models/human/), and the face ensemble once they and the face descriptor are ready. Loaded in
 * the background after the face stack, so they never delay the first descriptor verdict; the
 * statuses let the Encoders tab show "loading…" until they are registered.
 */
import { raceAbort, throwIfAborted, type ProgressFn } from '../lib/abort';
import { errorMessage } from '../lib/errors';
import { createFaceEnsembleEncoder } from '../ml/encoders/ensemble';
import {
  FACERES_DIM,
  createFaceresEncoder,
  type FaceresEncoder,
  type FaceresVariant,
} from '../ml/encoders/faceres';
import { ENCODER_LABELS } from '../ml/encoders/types';
import { encoderById, setEncoder } from './encoders';

export type BuiltInId = FaceresVariant | 'face-ensemble';

export interface BuiltInStatus {
  id: BuiltInId;
  label: string;
  state: 'waiting' | 'loading' | 'ready' | 'error';
  dim: number;
  /** Bytes of the model files (the ensemble: null, it has no files of its own). */
  byteLength: number | null;
  weightsSha256: string | null;
  identity: string | null;
  /** Fetch + build time in this session. */
  loadMs: number | null;
  error: string | null;
}

const VARIANTS: readonly FaceresVariant[] = ['faceres', 'faceres-deep'];
const ORDER: readonly BuiltInId[] = [...VARIANTS, 'face-ensemble'];

const statuses = new Map<BuiltInId, BuiltInStatus>(
  ORDER.map((id) => [
    id,
    {
      id,
      label: ENCODER_LABELS[id],
      state: 'waiting',
      dim: id === 'face-ensemble' ? 128 + 2 * FACERES_DIM : FACERES_DIM,
      byteLength: null,
      weightsSha256: null,
      identity: null,
      loadMs: null,
      error: null,
    },
  ]),
);

let loading: Promise<void> | null = null;

export function builtInStatuses(): BuiltInStatus[] {
  return ORDER.map((id) => statuses.get(id) as BuiltInStatus);
}

function patch(id: BuiltInId, next: Partial<BuiltInStatus>): void {
  statuses.set(id, { ...(statuses.get(id) as BuiltInStatus), ...next });
}

/**
 * Loads both faceres models once and registers them and the ensemble (the face descriptor must
 * be registered already: call after ensureFaceStack). Later calls share the load; a failed load
 * is forgotten so the next call retries. Aborting stops this caller's wait, not the shared load.
 */
export function ensureBuiltInEncoders(
  baseUrl: string,
  signal?: AbortSignal,
  onProgress?: ProgressFn,
): Promise<BuiltInStatus[]> {
  throwIfAborted(signal);
  loading ??= loadAll(new URL('models/human/', baseUrl).href, onProgress).catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return raceAbort(loading, signal).then(builtInStatuses);
}

async function loadAll(baseUrl: string, onProgress: ProgressFn | undefined): Promise<void> {
  const loaded: FaceresEncoder[] = [];
  for (const [i, id] of VARIANTS.entries()) {
    const existing = encoderById(id);
    if (existing) {
      loaded.push(existing as FaceresEncoder);
      continue;
    }
    patch(id, { state: 'loading', error: null });
    onProgress?.({
      phase: 'Loading built-in encoders',
      done: i,
      total: VARIANTS.length,
      message: id,
    });
    const started = performance.now();
    try {
      const encoder = await createFaceresEncoder(id, { baseUrl });
      setEncoder(encoder);
      loaded.push(encoder);
      patch(id, {
        state: 'ready',
        byteLength: encoder.byteLength,
        weightsSha256: encoder.weightsSha256,
        identity: encoder.identity,
        loadMs: performance.now() - started,
      });
    } catch (e) {
      patch(id, { state: 'error', error: errorMessage(e) });
      patch('face-ensemble', { state: 'error', error: `${ENCODER_LABELS[id]} did not load` });
      throw e;
    }
  }
  onProgress?.({
    phase: 'Loading built-in encoders',
    done: VARIANTS.length,
    total: VARIANTS.length,
  });
  const descriptor = encoderById('face-descriptor');
  const [faceres, faceresDeep] = loaded;
  if (!descriptor || !faceres || !faceresDeep) {
    patch('face-ensemble', { state: 'error', error: 'the face descriptor is not loaded' });
    return;
  }
  const ensemble = createFaceEnsembleEncoder(descriptor, faceres, faceresDeep);
  setEncoder(ensemble);
  patch('face-ensemble', { state: 'ready', identity: ensemble.identity, error: null, loadMs: 0 });
}
