/** The Kaggle submission of an encoded dataset's test pairs, scored by a trained head. */
import type { ProgressFn } from '../lib/abort';
import { KinshipError } from '../lib/errors';
import { writeSubmission } from '../data/submission';
import type { KinshipHead } from '../ml/head';
import type { LoadedDataset } from './types';

export interface SubmissionCsv {
  csv: string;
  rows: number;
  fallbackPairs: number;
}

/** Throws DATASET_FORMAT when the dataset has no test pairs to score. */
export function assertHasSubmission(ds: LoadedDataset): void {
  if (ds.dataset.submissionPairs.length === 0) {
    throw new KinshipError(
      'DATASET_FORMAT',
      'The dataset has no sample_submission.csv with test pairs',
    );
  }
}

/** Test pairs whose images have no vector in `vectors` get the fallback probability. */
export async function submissionCsv(
  ds: LoadedDataset,
  head: KinshipHead,
  vectors: Map<string, Float32Array>,
  signal: AbortSignal,
  onProgress?: ProgressFn,
): Promise<SubmissionCsv> {
  assertHasSubmission(ds);
  const paths = new Map(ds.dataset.testPairs.map((p) => [p.imgPair, [p.pathA, p.pathB] as const]));
  const d = head.arch.embeddingDim;
  const result = await writeSubmission(
    ds.dataset.submissionPairs,
    async (batch) => {
      const left = new Float32Array(batch.length * d);
      const right = new Float32Array(batch.length * d);
      const usable: boolean[] = batch.map((pair, i) => {
        const pp = paths.get(pair.imgPair);
        const a = pp ? vectors.get(pp[0]) : undefined;
        const b = pp ? vectors.get(pp[1]) : undefined;
        if (!a || !b) return false;
        left.set(a, i * d);
        right.set(b, i * d);
        return true;
      });
      const probs = await head.predict(left, right, { signal });
      return Array.from(probs, (p, i) => (usable[i] ? p : NaN));
    },
    { signal, ...(onProgress ? { onProgress } : {}) },
  );
  return { csv: result.csv, rows: result.rows, fallbackPairs: result.fallbackPairs.length };
}
