/** What one encoding run reports (crosses to the UI and the CLI as plain data). */
import type { StorageShortfall } from '../data/embedding-saver';
import type { EncoderId } from '../ml/encoders/types';
import { summarizeCropAlignment, type CropAlignSummary } from '../ml/face/crop-align';
import type { CropOutcome } from './types';

export type { CropAlignSummary, StorageShortfall };

export interface EncodeOptions {
  /** Find and align the largest face instead of using each image as an already-cropped face. */
  detect: boolean;
  /** Also embed the mirrored images (enables flip augmentation in training). */
  flips: boolean;
  batchSize?: number;
}

/** Where the encoding time went: does decoding keep up with the model? */
export interface EncodeTiming {
  /** Hashing the files and reading the cache, before any encoding. */
  hashSeconds: number;
  /** Inside the encoder's forward passes. */
  modelSeconds: number;
  /** The model idle, waiting for the next batch of decoded crops. */
  inputWaitSeconds: number;
  /** From the first batch to the last one saved. */
  encodeSeconds: number;
}

export interface EncodeResult {
  encoderId: EncoderId;
  total: number;
  fromCache: number;
  /** Photos now embedded by encoding (copies of an identical file included). */
  encoded: number;
  /** Photos that were byte-identical to another one and reused its vector. */
  identicalFiles: number;
  failed: Array<{ path: string; message: string }>;
  /**
   * How the images embedded in this run were aligned ("Detect and align faces" on): counts per
   * method and each fallback reason. Null when the option was off.
   */
  alignment: CropAlignSummary | null;
  /** Set when new embeddings could not be saved (full quota, storage unavailable). */
  notSaved: StorageShortfall | null;
  seconds: number;
  imagesPerSecond: number;
  timing: EncodeTiming;
}

/** Counted alignment outcomes of `paths` (those that were aligned at all). */
export function summarizeAlignments(
  ds: { alignments: ReadonlyMap<string, CropOutcome> },
  paths: readonly string[],
): CropAlignSummary {
  return summarizeCropAlignment(
    paths.flatMap((p) => {
      const outcome = ds.alignments.get(p);
      return outcome ? [outcome] : [];
    }),
  );
}
