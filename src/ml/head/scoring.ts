/**
 * The verdict bands and score distributions of a head, per level: measured ones from its meta
 * when it recorded them, otherwise estimated from its validation AUC and threshold.
 */
import { estimateScoring, type LevelScoring, type Quantiles } from './bands';
import type { HeadMeta } from './meta';

/** 'image': one photo pair; 'member': scores averaged over several photo pairs of two people. */
export type ScoringLevel = 'image' | 'member';

function isQuantiles(q: unknown): q is Quantiles {
  return (
    Array.isArray(q) &&
    q.length >= 2 &&
    q.every((v, i) => typeof v === 'number' && Number.isFinite(v) && (i === 0 || v >= q[i - 1]))
  );
}

/** Measured scoring from untrusted meta JSON, or null when absent or malformed. */
function measured(value: unknown): LevelScoring | null {
  if (typeof value !== 'object' || value === null) return null;
  const s = value as Partial<LevelScoring>;
  const b = s.bands;
  const d = s.distributions;
  if (!b || typeof b.relatedAbove !== 'number' || typeof b.unlikelyBelow !== 'number') return null;
  if (!d || !isQuantiles(d.kin) || !isQuantiles(d.unrelated)) return null;
  return {
    bands: { relatedAbove: b.relatedAbove, unlikelyBelow: b.unlikelyBelow },
    distributions: {
      kin: d.kin,
      unrelated: d.unrelated,
      kinPairs: typeof d.kinPairs === 'number' ? d.kinPairs : 0,
      unrelatedPairs: typeof d.unrelatedPairs === 'number' ? d.unrelatedPairs : 0,
    },
    source: 'measured',
  };
}

/** Null only for a head without validation data (e.g. built from bare weights). */
export function headScoring(meta: HeadMeta, level: ScoringLevel): LevelScoring | null {
  const v = meta.validation;
  if (!v) return null;
  const recorded = measured(v.scoring?.[level]);
  if (recorded) return recorded;
  // Member pairs fall back to image pairs when a head has no member-level figures.
  const auc = level === 'member' && v.memberAuc > 0 ? v.memberAuc : v.imageAuc;
  const pairs = level === 'member' && v.memberPairs > 0 ? v.memberPairs : v.imagePairs;
  return estimateScoring(auc, meta.threshold, Math.round(pairs / 2), Math.round(pairs / 2));
}
