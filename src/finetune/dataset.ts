/**
 * Importing a dataset folder: the Kaggle FIW layout built from path + Blob handles, and the cache
 * identity of its embeddings.
 */
import { type ProgressFn } from '../lib/abort';
import { KinshipError } from '../lib/errors';
import { buildDataset } from '../data/dataset';
import type { Encoder } from '../ml/encoders/types';
import type { DatasetFile, LoadedDataset } from './types';

/**
 * Identity suffix of aligned crops. '/align' since the fast face-crop aligner (eyes from the
 * landmark net on the whole crop); heads from before it carry '/detect' (the detector's eyes).
 */
export const ALIGNED_SUFFIX = '/align';

/**
 * Cache key of a dataset's embeddings: the encoder's identity plus how images became crops
 * (aligned detected faces or the image as the face), since the two give different features.
 */
export function datasetIdentity(encoder: Pick<Encoder, 'identity'>, detect: boolean): string {
  return `${encoder.identity}${detect ? ALIGNED_SUFFIX : '/crop'}`;
}

/** The '#flip' variant of a feature identity: embeddings of the mirrored images. */
export function flipIdentityOf(identity: string): string {
  return `${identity}#flip`;
}

export async function importDataset(
  entries: readonly DatasetFile[],
  signal: AbortSignal,
  onProgress?: ProgressFn,
  name?: string,
): Promise<LoadedDataset> {
  const files = new Map(entries.map((e) => [e.path, e.file]));
  onProgress?.({ phase: 'reading folder', done: 0, total: entries.length });
  const dataset = await buildDataset(
    entries.map((e) => ({ path: e.path, size: e.file.size })),
    async (path) => {
      const file = files.get(path);
      if (!file)
        throw new KinshipError('DATASET_FORMAT', 'file vanished from the folder', { file: path });
      return file.text();
    },
    { signal },
  );
  // Keep only the files we will read again (photos and test images): bounded memory.
  const keep = new Map<string, Blob>();
  for (const m of dataset.members) for (const p of m.photos) keep.set(p, files.get(p) as Blob);
  for (const p of dataset.testImages) keep.set(p, files.get(p) as Blob);
  const first = entries[0]?.path ?? '';
  const folder = first.includes('/') ? (first.split('/')[0] as string) : 'dropped files';
  onProgress?.({ phase: 'reading folder', done: entries.length, total: entries.length });
  return {
    name: name ?? folder,
    dataset,
    files: keep,
    hashes: new Map(),
    embeddings: new Map(),
    alignments: new Map(),
  };
}

/** The dataset's training photos (train/ member folders), in dataset order. */
export function trainPaths(ds: LoadedDataset): string[] {
  const test = new Set(ds.dataset.testImages);
  return [...ds.files.keys()].filter((p) => !test.has(p));
}

/** The dataset's test/ images, in dataset order. */
export function testPaths(ds: LoadedDataset): string[] {
  return [...ds.dataset.testImages];
}
