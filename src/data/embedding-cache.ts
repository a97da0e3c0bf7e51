/**
 * IndexedDB cache of per-image embeddings, so a dataset is encoded once per encoder.
 *
 * Key: [encoderId, imageHash]. `encoderId` must identify everything that changes the vector
 * (architecture, weights hash, preprocessing version), e.g. "vggface2-resnet50@3f2a…/pp2";
 * `imageHash` is the SHA-256 hex of the file bytes (see lib/hash.ts), so renamed or moved
 * files still hit the cache. Plain IndexedDB API: works on the main thread, in workers and,
 * with fake-indexeddb, in Node tests.
 */
import { throwIfAborted } from '../lib/abort';
import { KinshipError } from '../lib/errors';

export const EMBEDDING_DB_NAME = 'kinlens-embeddings';
const STORE = 'embeddings';
const DB_VERSION = 1;

export interface CachedEmbedding {
  hash: string;
  vector: Float32Array;
}

interface EmbeddingRecord {
  encoderId: string;
  hash: string;
  vector: Float32Array;
}

export interface EncoderCacheStats {
  encoderId: string;
  count: number;
  /** Embedding length, from one stored record; null when the encoder has none. */
  dim: number | null;
  /** count × (4·dim + key size); IndexedDB's own overhead is not included. */
  approxBytes: number;
}

export interface EmbeddingCacheOptions {
  dbName?: string;
  /** Defaults to the global `indexedDB`. */
  factory?: IDBFactory;
  /** Records per transaction in putMany/getMany. Default 500. */
  chunkSize?: number;
}

export class EmbeddingCache {
  private constructor(
    private readonly db: IDBDatabase,
    private readonly chunkSize: number,
  ) {
    // Let another tab upgrade the schema instead of blocking it.
    db.onversionchange = () => db.close();
  }

  static async open(options: EmbeddingCacheOptions = {}): Promise<EmbeddingCache> {
    const factory = options.factory ?? globalThis.indexedDB;
    if (!factory) {
      throw new KinshipError(
        'STORAGE',
        'IndexedDB is not available, so embeddings cannot be cached.',
      );
    }
    const request = factory.open(options.dbName ?? EMBEDDING_DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(STORE)) {
        db.createObjectStore(STORE, { keyPath: ['encoderId', 'hash'] });
      }
    };
    const db = await requestResult(request, 'open the embedding cache');
    return new EmbeddingCache(db, Math.max(1, options.chunkSize ?? 500));
  }

  /** Vectors for the given image hashes, `undefined` where not cached; same order. */
  async getMany(
    encoderId: string,
    hashes: readonly string[],
  ): Promise<(Float32Array | undefined)[]> {
    const out: (Float32Array | undefined)[] = new Array(hashes.length).fill(undefined);
    for (let start = 0; start < hashes.length; start += this.chunkSize) {
      const tx = this.db.transaction(STORE, 'readonly');
      const store = tx.objectStore(STORE);
      const end = Math.min(hashes.length, start + this.chunkSize);
      for (let i = start; i < end; i++) {
        const req = store.get([encoderId, hashes[i] as string]);
        req.onsuccess = () => {
          const record = req.result as EmbeddingRecord | undefined;
          out[i] = record?.vector;
        };
      }
      await transactionDone(tx, 'read cached embeddings');
    }
    return out;
  }

  /**
   * Stores vectors in batched transactions. Batches written before a failure stay saved; a full
   * quota throws STORAGE_QUOTA saying how many were not saved.
   */
  async putMany(
    encoderId: string,
    items: readonly CachedEmbedding[],
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    for (let start = 0; start < items.length; start += this.chunkSize) {
      throwIfAborted(options.signal);
      const chunk = items.slice(start, start + this.chunkSize);
      try {
        const tx = this.db.transaction(STORE, 'readwrite');
        const store = tx.objectStore(STORE);
        try {
          for (const { hash, vector } of chunk) {
            const record: EmbeddingRecord = { encoderId, hash, vector };
            store.put(record);
          }
        } catch (e) {
          tx.abort();
          throw e;
        }
        await transactionDone(tx, 'save embeddings');
      } catch (e) {
        if (isQuotaError(e)) {
          const rest = items.slice(start);
          const bytes = rest.reduce((n, item) => n + item.vector.byteLength, 0);
          throw new KinshipError(
            'STORAGE_QUOTA',
            `Browser storage is full: ${rest.length} of ${items.length} embeddings ` +
              `(about ${formatMegabytes(bytes)}) were not saved. They will be computed again next ` +
              'time. Clear cached embeddings of other encoders or allow this site more storage.',
            { cause: e },
          );
        }
        throw asStorageError(e, 'save embeddings');
      }
    }
  }

  async stats(encoderId: string): Promise<EncoderCacheStats> {
    const tx = this.db.transaction(STORE, 'readonly');
    const store = tx.objectStore(STORE);
    const countReq = store.count(encoderRange(encoderId));
    const firstReq = store.openCursor(encoderRange(encoderId));
    let dim: number | null = null;
    firstReq.onsuccess = () => {
      const value = firstReq.result?.value as EmbeddingRecord | undefined;
      dim = value ? value.vector.length : null;
    };
    await transactionDone(tx, 'read cache statistics');
    const count = countReq.result;
    const keyBytes = 64 + encoderId.length * 2;
    return { encoderId, count, dim, approxBytes: count * ((dim ?? 0) * 4 + keyBytes) };
  }

  /** Statistics of every encoder with cached embeddings. */
  async encoders(): Promise<EncoderCacheStats[]> {
    const ids: string[] = [];
    const tx = this.db.transaction(STORE, 'readonly');
    const req = tx.objectStore(STORE).openKeyCursor();
    req.onsuccess = () => {
      const cursor = req.result;
      if (!cursor) return;
      const [encoderId] = cursor.primaryKey as [string, string];
      ids.push(encoderId);
      // Arrays sort after strings, so [id, []] is just past the last key of this encoder.
      cursor.continue([encoderId, []]);
    };
    await transactionDone(tx, 'list cached encoders');
    return Promise.all(ids.map((id) => this.stats(id)));
  }

  /** Deletes one encoder's embeddings; returns how many there were. */
  async clearEncoder(encoderId: string): Promise<number> {
    const tx = this.db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    const countReq = store.count(encoderRange(encoderId));
    store.delete(encoderRange(encoderId));
    await transactionDone(tx, 'clear cached embeddings');
    return countReq.result;
  }

  async clearAll(): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).clear();
    await transactionDone(tx, 'clear cached embeddings');
  }

  close(): void {
    this.db.close();
  }
}

export function openEmbeddingCache(options?: EmbeddingCacheOptions): Promise<EmbeddingCache> {
  return EmbeddingCache.open(options);
}

function encoderRange(encoderId: string): IDBKeyRange {
  return IDBKeyRange.bound([encoderId], [encoderId, []]);
}

function requestResult<T>(request: IDBRequest<T>, action: string): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(asStorageError(request.error, action));
  });
}

/**
 * Resolves when the transaction commits. A failed request aborts its transaction, so rejection
 * happens once, in onabort: with the raw error for a full quota (callers count what was lost),
 * otherwise as a STORAGE KinshipError.
 */
function transactionDone(tx: IDBTransaction, action: string): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => {
      const error = tx.error;
      reject(isQuotaError(error) ? error : asStorageError(error ?? 'aborted', action));
    };
  });
}

function isQuotaError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const name = (e as { name?: unknown }).name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

function asStorageError(e: unknown, action: string): KinshipError {
  if (e instanceof KinshipError) return e;
  const detail = e instanceof Error || e instanceof DOMException ? e.message : String(e);
  return new KinshipError('STORAGE', `Could not ${action}: ${detail}`, { cause: e });
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
