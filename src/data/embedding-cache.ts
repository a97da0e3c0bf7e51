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
import { formatBytes } from '../lib/format';
import { Database, DB_NAMES, isQuotaError } from '../lib/idb';

export const EMBEDDING_DB_NAME = DB_NAMES.embeddings;
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
    private readonly db: Database,
    private readonly chunkSize: number,
  ) {}

  static async open(options: EmbeddingCacheOptions = {}): Promise<EmbeddingCache> {
    const db = await Database.open({
      name: options.dbName ?? EMBEDDING_DB_NAME,
      version: DB_VERSION,
      factory: options.factory,
      upgrade: (d) => {
        if (!d.objectStoreNames.contains(STORE)) {
          d.createObjectStore(STORE, { keyPath: ['encoderId', 'hash'] });
        }
      },
    });
    return new EmbeddingCache(db, Math.max(1, options.chunkSize ?? 500));
  }

  /** Vectors for the given image hashes, `undefined` where not cached; same order. */
  async getMany(
    encoderId: string,
    hashes: readonly string[],
  ): Promise<(Float32Array | undefined)[]> {
    const out: (Float32Array | undefined)[] = new Array(hashes.length).fill(undefined);
    for (let start = 0; start < hashes.length; start += this.chunkSize) {
      const end = Math.min(hashes.length, start + this.chunkSize);
      await this.db.run(STORE, 'readonly', 'cached embeddings', (tx) => {
        const store = tx.objectStore(STORE);
        for (let i = start; i < end; i++) {
          const req = store.get([encoderId, hashes[i] as string]);
          req.onsuccess = () => {
            const record = req.result as EmbeddingRecord | undefined;
            out[i] = record?.vector;
          };
        }
      });
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
        await this.db.run(STORE, 'readwrite', 'cached embeddings', (tx) => {
          const store = tx.objectStore(STORE);
          for (const { hash, vector } of chunk) {
            const record: EmbeddingRecord = { encoderId, hash, vector };
            store.put(record);
          }
        });
      } catch (e) {
        if (isQuotaError(e)) {
          const rest = items.slice(start);
          const bytes = rest.reduce((n, item) => n + item.vector.byteLength, 0);
          throw new KinshipError(
            'STORAGE_QUOTA',
            `Browser storage is full: ${rest.length} of ${items.length} embeddings ` +
              `(about ${formatBytes(bytes)}) were not saved. They will be computed again next ` +
              'time. Clear cached embeddings of other encoders or allow this site more storage.',
            { cause: e },
          );
        }
        throw e;
      }
    }
  }

  async stats(encoderId: string): Promise<EncoderCacheStats> {
    let dim: number | null = null;
    const countReq = await this.db.run(STORE, 'readonly', 'cache statistics', (tx) => {
      const store = tx.objectStore(STORE);
      const firstReq = store.openCursor(encoderRange(encoderId));
      firstReq.onsuccess = () => {
        const value = firstReq.result?.value as EmbeddingRecord | undefined;
        dim = value ? value.vector.length : null;
      };
      return store.count(encoderRange(encoderId));
    });
    const count = countReq.result;
    const keyBytes = 64 + encoderId.length * 2;
    return { encoderId, count, dim, approxBytes: count * ((dim ?? 0) * 4 + keyBytes) };
  }

  /** Embeddings cached for all encoders together (one count, no records read). */
  async count(): Promise<number> {
    const req = await this.db.run(STORE, 'readonly', 'cached embeddings', (tx) =>
      tx.objectStore(STORE).count(),
    );
    return req.result;
  }

  /** Statistics of every encoder with cached embeddings. */
  async encoders(): Promise<EncoderCacheStats[]> {
    const ids: string[] = [];
    await this.db.run(STORE, 'readonly', 'the list of cached encoders', (tx) => {
      const req = tx.objectStore(STORE).openKeyCursor();
      req.onsuccess = () => {
        const cursor = req.result;
        if (!cursor) return;
        const [encoderId] = cursor.primaryKey as [string, string];
        ids.push(encoderId);
        // Arrays sort after strings, so [id, []] is just past the last key of this encoder.
        cursor.continue([encoderId, []]);
      };
    });
    return Promise.all(ids.map((id) => this.stats(id)));
  }

  /** Deletes one encoder's embeddings; returns how many there were. */
  async clearEncoder(encoderId: string): Promise<number> {
    const countReq = await this.db.run(STORE, 'readwrite', 'cached embeddings', (tx) => {
      const store = tx.objectStore(STORE);
      const count = store.count(encoderRange(encoderId));
      store.delete(encoderRange(encoderId));
      return count;
    });
    return countReq.result;
  }

  async clearAll(): Promise<void> {
    await this.db.run(STORE, 'readwrite', 'cached embeddings', (tx) =>
      tx.objectStore(STORE).clear(),
    );
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
