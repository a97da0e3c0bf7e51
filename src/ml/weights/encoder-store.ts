/**
 * IndexedDB store of installed encoders, on the plain indexedDB API so it runs in the worker
 * (and in Node tests with fake-indexeddb). Metadata and the ~94 MB weights live in separate
 * object stores, so listing encoders never reads weights.
 */
import { KinshipError } from '../../lib/errors';
import { formatBytes } from '../../lib/format';
import { Database, DB_NAMES, isQuotaError } from '../../lib/idb';
import { encoderIdForVariant, type EncoderId } from '../resnet50/encoders';
import type { ResNetVariant } from '../resnet50/variants';
import type { InstalledWeights } from './installed';

export const ENCODER_DB_NAME = DB_NAMES.encoders;
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

/**
 * Opens the store. Weights are written in one transaction with their metadata, so a failed
 * write (full quota) never leaves a listed encoder without weights.
 */
export async function openEncoderStore(dbName: string = ENCODER_DB_NAME): Promise<EncoderStore> {
  const db = await Database.open({
    name: dbName,
    version: DB_VERSION,
    upgrade: (d) => {
      if (!d.objectStoreNames.contains(META)) d.createObjectStore(META, { keyPath: 'id' });
      if (!d.objectStoreNames.contains(WEIGHTS)) d.createObjectStore(WEIGHTS);
    },
  });

  return {
    async put(meta, weights) {
      try {
        await db.run([META, WEIGHTS], 'readwrite', 'the encoder weights', (tx) => {
          tx.objectStore(META).put(meta);
          tx.objectStore(WEIGHTS).put(weights, meta.id);
        });
      } catch (e) {
        if (!isQuotaError(e)) throw e;
        throw new KinshipError(
          'STORAGE_QUOTA',
          `The browser has no room left to store the encoder weights (about ${formatBytes(weights.data.byteLength)} are ` +
            'needed), so they were not saved. Free space by clearing cached embeddings ' +
            '(Fine-tune tab) or removing another encoder.',
          { cause: e },
        );
      }
    },
    async getWeights(id) {
      const req = await db.run(WEIGHTS, 'readonly', 'installed encoder weights', (tx) =>
        tx.objectStore(WEIGHTS).get(id),
      );
      return req.result as InstalledWeights | undefined;
    },
    async getMeta(id) {
      const req = await db.run(META, 'readonly', 'installed encoders', (tx) =>
        tx.objectStore(META).get(id),
      );
      return req.result as InstalledEncoderMeta | undefined;
    },
    async delete(id) {
      await db.run([META, WEIGHTS], 'readwrite', `the encoder ${id}`, (tx) => {
        tx.objectStore(META).delete(id);
        tx.objectStore(WEIGHTS).delete(id);
      });
    },
    async list() {
      const req = await db.run(META, 'readonly', 'installed encoders', (tx) =>
        tx.objectStore(META).getAll(),
      );
      return req.result as InstalledEncoderMeta[];
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
