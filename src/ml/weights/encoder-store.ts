/**
 * IndexedDB store of installed encoders, on the plain indexedDB API so it runs in the worker
 * (and in Node tests with fake-indexeddb). Metadata and the ~94 MB weights live in separate
 * object stores, so listing encoders never reads weights.
 */
import { KinshipError } from '../../lib/errors';
import { encoderIdForVariant, type EncoderId } from '../resnet50/encoders';
import type { ResNetVariant } from '../resnet50/variants';
import type { InstalledWeights } from './installed';

export const ENCODER_DB_NAME = 'kinlens-encoders';
const DB_VERSION = 1;
const META = 'meta';
const WEIGHTS = 'weights';

export interface InstalledEncoderMeta {
  id: EncoderId;
  variant: ResNetVariant;
  /** Identity of the weights (SHA-256 of the float32 data). */
  sha256: string;
  byteLength: number;
  /** The file the weights came from, for display. */
  sourceName: string;
  installedAt: number;
}

export interface EncoderStore {
  put(meta: InstalledEncoderMeta, weights: InstalledWeights): Promise<void>;
  getWeights(id: EncoderId): Promise<InstalledWeights | undefined>;
  getMeta(id: EncoderId): Promise<InstalledEncoderMeta | undefined>;
  delete(id: EncoderId): Promise<void>;
  list(): Promise<InstalledEncoderMeta[]>;
  close(): void;
}

function storageError(op: string, error: DOMException | null): KinshipError {
  if (error?.name === 'QuotaExceededError') {
    return new KinshipError(
      'STORAGE_QUOTA',
      'The browser has no room left to store the encoder weights (about 94 MB are needed), so they were not saved. Free space by clearing cached embeddings (Fine-tune tab) or removing another encoder.',
      { cause: error },
    );
  }
  return new KinshipError(
    'STORAGE',
    `Encoder store ${op} failed: ${error?.message ?? 'unknown error'}`,
    {
      cause: error,
    },
  );
}

function request<T>(req: IDBRequest<T>, op: string): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(storageError(op, req.error));
  });
}

function done(tx: IDBTransaction, op: string): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(storageError(op, tx.error));
    tx.onabort = () => reject(storageError(op, tx.error));
  });
}

export async function openEncoderStore(dbName: string = ENCODER_DB_NAME): Promise<EncoderStore> {
  const open = indexedDB.open(dbName, DB_VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains(META)) db.createObjectStore(META, { keyPath: 'id' });
    if (!db.objectStoreNames.contains(WEIGHTS)) db.createObjectStore(WEIGHTS);
  };
  const db = await request(open, 'open');

  return {
    async put(meta, weights) {
      const tx = db.transaction([META, WEIGHTS], 'readwrite');
      const finished = done(tx, 'write');
      tx.objectStore(META).put(meta);
      tx.objectStore(WEIGHTS).put(weights, meta.id);
      await finished;
    },
    async getWeights(id) {
      const tx = db.transaction(WEIGHTS, 'readonly');
      return (await request(tx.objectStore(WEIGHTS).get(id), 'read')) as
        InstalledWeights | undefined;
    },
    async getMeta(id) {
      const tx = db.transaction(META, 'readonly');
      return (await request(tx.objectStore(META).get(id), 'read')) as
        InstalledEncoderMeta | undefined;
    },
    async delete(id) {
      const tx = db.transaction([META, WEIGHTS], 'readwrite');
      const finished = done(tx, 'delete');
      tx.objectStore(META).delete(id);
      tx.objectStore(WEIGHTS).delete(id);
      await finished;
    },
    async list() {
      const tx = db.transaction(META, 'readonly');
      return (await request(tx.objectStore(META).getAll(), 'list')) as InstalledEncoderMeta[];
    },
    close() {
      db.close();
    },
  };
}

/** The metadata record for weights about to be stored. */
export function describeInstalled(
  weights: InstalledWeights,
  sourceName: string,
  now: number = Date.now(),
): InstalledEncoderMeta {
  return {
    id: encoderIdForVariant(weights.variant),
    variant: weights.variant,
    sha256: weights.sha256,
    byteLength: weights.data.byteLength,
    sourceName,
    installedAt: now,
  };
}
