/** Content hashes of dataset files (the embedding cache key), computed once per import. */
import { throwIfAborted, type ProgressFn } from '../lib/abort';
import { sha256Hex } from '../lib/hash';
import type { LoadedDataset } from './types';

/** Several files in flight at a time: each small read waits more on I/O than it computes. */
const HASH_CONCURRENCY = 32;

/** Fills `ds.hashes` for `paths`; returns the hashes in `paths` order. */
export async function hashDatasetFiles(
  ds: LoadedDataset,
  paths: readonly string[],
  signal: AbortSignal,
  onProgress?: ProgressFn,
): Promise<string[]> {
  const unhashed = paths.filter((p) => !ds.hashes.has(p));
  for (let start = 0; start < unhashed.length; start += HASH_CONCURRENCY) {
    throwIfAborted(signal);
    const chunk = unhashed.slice(start, start + HASH_CONCURRENCY);
    const digests = await Promise.all(chunk.map((p) => sha256Hex(ds.files.get(p) as Blob)));
    chunk.forEach((p, i) => ds.hashes.set(p, digests[i] as string));
    if (start % 256 === 0) {
      // No rate or time left here: they would be the hashing's, not the encoding's.
      const done = paths.length - unhashed.length + start;
      onProgress?.({ phase: 'checking the cache', done, total: paths.length });
    }
  }
  return paths.map((p) => ds.hashes.get(p) as string);
}
