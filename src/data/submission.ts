/**
 * Kaggle submission writer: one `img_pair,is_related` row per listed test pair, in the order
 * of sample_submission.csv, with the kin probability as is_related.
 */
import { throwIfAborted, yieldToEventLoop, type ProgressFn } from '../lib/abort';
import type { SubmissionPair } from './csv';

/**
 * Scores a batch of pairs (kin probabilities, same order). NaN, or a missing value, marks a
 * pair that could not be scored (e.g. an image without a face); it gets the fallback.
 */
export type ScorePairs<P extends SubmissionPair> = (
  pairs: readonly P[],
) => Promise<ArrayLike<number>> | ArrayLike<number>;

export interface SubmissionOptions {
  /** is_related written for pairs that could not be scored. Default 0.5 (no information). */
  fallback?: number;
  /** Pairs per call of the scorer. Default 512. */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

export interface SubmissionResult {
  /** The submission.csv text. */
  csv: string;
  rows: number;
  /** img_pair values written with the fallback probability. */
  fallbackPairs: string[];
}

export async function writeSubmission<P extends SubmissionPair>(
  pairs: readonly P[],
  score: ScorePairs<P>,
  options: SubmissionOptions = {},
): Promise<SubmissionResult> {
  const fallback = options.fallback ?? 0.5;
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 512));
  const lines = ['img_pair,is_related'];
  const fallbackPairs: string[] = [];
  for (let start = 0; start < pairs.length; start += batchSize) {
    throwIfAborted(options.signal);
    const batch = pairs.slice(start, start + batchSize);
    const scores = await score(batch);
    batch.forEach((pair, i) => {
      let p = scores[i];
      if (p === undefined || !Number.isFinite(p)) {
        fallbackPairs.push(pair.imgPair);
        p = fallback;
      }
      lines.push(`${csvCell(pair.imgPair)},${formatProbability(p)}`);
    });
    options.onProgress?.({ phase: 'submission', done: start + batch.length, total: pairs.length });
    await yieldToEventLoop();
  }
  return { csv: `${lines.join('\n')}\n`, rows: pairs.length, fallbackPairs };
}

/** A probability clamped to [0, 1] with six decimals, without trailing zeros. */
function formatProbability(p: number): string {
  return String(Math.round(Math.min(Math.max(p, 0), 1) * 1e6) / 1e6);
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
