/**
 * How flip test-time augmentation was applied in a scoring run: plain data with no tfjs import,
 * so the UI thread can read it.
 */

/** Whether flip TTA was asked for by the head, and on how many pairs it was applied. */
export interface FlipTtaUse {
  /** The head was trained with flipTta (meta.training.flipTta). */
  requested: boolean;
  /** Pairs scored as the mean over original and mirrored photos. */
  pairs: number;
  /** Pairs scored plainly although TTA was requested (mirrored embeddings missing). */
  plainPairs: number;
}

/** A human line, e.g. "flip TTA on all 120 pairs"; null when the head does not use flip TTA. */
export function describeFlipTta(use: FlipTtaUse): string | null {
  if (!use.requested) return null;
  if (use.plainPairs === 0) return `flip TTA on all ${use.pairs} pairs`;
  return `flip TTA on ${use.pairs} pairs; ${use.plainPairs} scored without it (no mirrored embeddings: encode with mirrored images)`;
}
