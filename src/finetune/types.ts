/**
 * What the fine-tuning use cases take from their front end (the browser worker or the Node CLI):
 * dataset files as path + Blob handles (a browser File, or Node's fs.openAsBlob), an embedding
 * store, an image decoder, progress callbacks and an AbortSignal. Nothing here touches the DOM,
 * IndexedDB or the file system itself.
 */
import type { CachedEmbedding } from '../data/embedding-cache';
import type { Dataset } from '../data/dataset';
import type { AlignedFaceCrop } from '../ml/face/crop-align';
import type { PixelImage } from '../ml/face/pixels';

/** One file of a dataset folder: its path relative to the dropped/given folder, and its bytes. */
export interface DatasetFile {
  path: string;
  file: Blob;
}

/** Per-image embeddings keyed by [feature identity, image content hash] (IndexedDB or disk). */
export interface EmbeddingStore {
  getMany(identity: string, hashes: readonly string[]): Promise<(Float32Array | undefined)[]>;
  putMany(identity: string, records: CachedEmbedding[]): Promise<void>;
}

/** Decodes an image file to RGBA pixels, longest side at most `maxSide`; errors name the file. */
export type DecodeImage = (
  file: Blob,
  path: string,
  opts: { maxSide: number },
) => Promise<PixelImage>;

/** An imported dataset and what has been computed for it so far. */
export interface LoadedDataset {
  /** The folder's name, saved in trained heads' meta. */
  name: string;
  dataset: Dataset;
  /** The files read again later (photos and test images), in dataset order. */
  files: Map<string, Blob>;
  /** path → SHA-256 hex of the file's bytes (the cache key), filled on first encode. */
  hashes: Map<string, string>;
  /** Per feature identity (and its '#flip' variant): photo path → embedding. */
  embeddings: Map<string, Map<string, Float32Array>>;
  /** Photo path → where its eyes were found ("Detect and align faces"), for every encoder. */
  alignments: Map<string, CropOutcome>;
}

/** How one dataset image was aligned: its eyes in the decoded image, or the whole image. */
export type CropOutcome = Omit<AlignedFaceCrop<string>, 'crops'>;
