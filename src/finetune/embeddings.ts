/** The in-memory embeddings of an imported dataset, per encoder and crop mode. */
import { KinshipError } from '../lib/errors';
import type { Encoder } from '../ml/encoders/types';
import { datasetIdentity, flipIdentityOf } from './dataset';
import type { LoadedDataset } from './types';

export interface DatasetEmbeddings {
  identity: string;
  vectors: Map<string, Float32Array>;
  flips: Map<string, Float32Array> | undefined;
}

/** Throws NOT_READY when the dataset has not been encoded with this encoder. */
export function embeddingsFor(
  ds: LoadedDataset,
  encoder: Encoder,
  detect: boolean,
): DatasetEmbeddings {
  const identity = datasetIdentity(encoder, detect);
  const vectors = ds.embeddings.get(identity);
  if (!vectors || vectors.size === 0) {
    throw new KinshipError('NOT_READY', `Encode the dataset with ${encoder.label} before training`);
  }
  return { identity, vectors, flips: ds.embeddings.get(flipIdentityOf(identity)) };
}

/**
 * Photo paths with an embedding, in the dataset's own order (not cache-hit order), so every
 * encoder with the same embedded photos gets the same rows and hence the same seeded pairs.
 */
export function embeddingRows(
  ds: LoadedDataset,
  vectors: Map<string, Float32Array>,
  dim: number,
): { paths: string[]; index: Map<string, number>; table: Float32Array } {
  const paths = [...ds.files.keys()].filter((p) => vectors.has(p));
  const table = new Float32Array(paths.length * dim);
  paths.forEach((p, i) => table.set(vectors.get(p) as Float32Array, i * dim));
  return { paths, index: new Map(paths.map((p, i) => [p, i])), table };
}
