/**
 * Saving embeddings during a long encoding run without letting storage problems stop it.
 */
import { errorMessage, isAbortError } from '../lib/errors';
import { formatBytes } from '../lib/format';
import { isQuotaError } from '../lib/idb';
import type { CachedEmbedding } from './embedding-cache';

/** Where the saver writes: the IndexedDB cache in the browser, a folder in the CLI. */
export interface EmbeddingSink {
  putMany(encoderId: string, records: CachedEmbedding[]): Promise<void>;
}

/** Work that is done and usable now but was not written to browser storage. */
export interface StorageShortfall {
  /** Records not saved (embeddings; 1 for a head). */
  count: number;
  /** Says what was not saved, why, and how to free space. */
  message: string;
  /** One line for a notice; the message is shown where the work was done. */
  summary: string;
}

/**
 * Writes embeddings to the cache batch by batch. A failed write (full quota, storage gone) does
 * not stop encoding: the vectors stay in memory for this session and the shortfall is reported.
 * Later batches still try, so space freed meanwhile is used.
 */
export class EmbeddingSaver {
  private attempted = 0;
  private unsaved = 0;
  private unsavedBytes = 0;
  private firstError: unknown = null;

  constructor(private readonly openCache: () => Promise<EmbeddingSink>) {}

  /** The cache could not even be read: the run goes on without it. */
  unavailable(e: unknown): void {
    this.firstError ??= e;
  }

  async save(identity: string, records: CachedEmbedding[]): Promise<void> {
    this.attempted += records.length;
    try {
      await (await this.openCache()).putMany(identity, records);
    } catch (e) {
      if (isAbortError(e)) throw e;
      this.firstError ??= e;
      this.unsaved += records.length;
      this.unsavedBytes += records.reduce((n, r) => n + r.vector.byteLength, 0);
    }
  }

  shortfall(): StorageShortfall | null {
    if (this.unsaved === 0) return null;
    const amount =
      `${this.unsaved} of ${this.attempted} new embeddings ` +
      `(about ${formatBytes(this.unsavedBytes)})`;
    const later = 'They are used in this session and will be computed again next time.';
    if (isQuotaError(this.firstError)) {
      return {
        count: this.unsaved,
        message:
          `Browser storage is full: ${amount} were not saved. ${later} Free space by clearing ` +
          'cached embeddings of other encoders (Clear buttons of the Encode step) or removing an ' +
          'encoder (Encoders tab).',
        summary: `Browser storage is full: ${this.unsaved} embeddings were not saved (details under Encode).`,
      };
    }
    return {
      count: this.unsaved,
      message: `${amount} were not saved (${errorMessage(this.firstError)}). ${later}`,
      summary: `${this.unsaved} embeddings were not saved (details under Encode).`,
    };
  }
}
