/** The Kaggle submission of an encoded dataset's test pairs, scored by a trained head. */
import type { ProgressFn } from '../lib/abort';
import { KinshipError } from '../lib/errors';
import { writeSubmission } from '../data/submission';
import type { KinshipHead } from '../ml/head';
import { flipTtaRequested, meanWithMirror, type FlipTtaUse } from './flip-tta';
import type { LoadedDataset } from './types';

export interface SubmissionCsv {
  csv: string;
  rows: number;
  fallbackPairs: number;
  /** For a head trained with flip TTA: the pairs averaged over their mirrored photos. */
  flipTta: FlipTtaUse;
}

/** The test images' embeddings: plain, and mirrored (used when the head asks for flip TTA). */
export interface TestEmbeddings {
  vectors: Map<string, Float32Array>;
  flips?: Map<string, Float32Array> | undefined;
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

/**
 * Test pairs whose images have no vector get the fallback probability. A head trained with flip
 * TTA scores a pair as the mean over its photos and their mirrored copies when both mirrored
 * vectors exist; a pair without them is scored plainly, and counted as such.
 */
export async function submissionCsv(
  ds: LoadedDataset,
  head: KinshipHead,
  embeddings: TestEmbeddings,
  signal: AbortSignal,
  onProgress?: ProgressFn,
): Promise<SubmissionCsv> {
  assertHasSubmission(ds);
  const { vectors } = embeddings;
  const flips = flipTtaRequested(head) ? embeddings.flips : undefined;
  const paths = new Map(ds.dataset.testPairs.map((p) => [p.imgPair, [p.pathA, p.pathB] as const]));
  const d = head.arch.embeddingDim;
  const flipTta: FlipTtaUse = { requested: flipTtaRequested(head), pairs: 0, plainPairs: 0 };
  const result = await writeSubmission(
    ds.dataset.submissionPairs,
    async (batch) => {
      const left = new Float32Array(batch.length * d);
      const right = new Float32Array(batch.length * d);
      const mirroredLeft = new Float32Array(batch.length * d);
      const mirroredRight = new Float32Array(batch.length * d);
      const mirrored: boolean[] = [];
      const usable: boolean[] = batch.map((pair, i) => {
        const pp = paths.get(pair.imgPair);
        const a = pp ? vectors.get(pp[0]) : undefined;
        const b = pp ? vectors.get(pp[1]) : undefined;
        if (!pp || !a || !b) return false;
        left.set(a, i * d);
        right.set(b, i * d);
        const fa = flips?.get(pp[0]);
        const fb = flips?.get(pp[1]);
        mirrored[i] = fa !== undefined && fb !== undefined;
        // Pairs without mirrored vectors score their plain photos twice (mean = plain score).
        mirroredLeft.set(fa && fb ? fa : a, i * d);
        mirroredRight.set(fa && fb ? fb : b, i * d);
        return true;
      });
      let probs = await head.predict(left, right, { signal });
      if (flipTta.requested && flips) {
        probs = meanWithMirror(probs, await head.predict(mirroredLeft, mirroredRight, { signal }));
      }
      usable.forEach((ok, i) => {
        if (!ok || !flipTta.requested) return;
        if (mirrored[i]) flipTta.pairs++;
        else flipTta.plainPairs++;
      });
      return Array.from(probs, (p, i) => (usable[i] ? p : NaN));
    },
    { signal, ...(onProgress ? { onProgress } : {}) },
  );
  return {
    csv: result.csv,
    rows: result.rows,
    fallbackPairs: result.fallbackPairs.length,
    flipTta,
  };
}
