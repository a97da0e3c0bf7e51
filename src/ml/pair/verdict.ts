/**
 * What a pair score means for people: the same-person check, and the kinship probability placed
 * in the head's verdict bands and validation distributions.
 */
import {
  bandOf,
  placement,
  type Band,
  type ScoreDistributions,
  type VerdictBands,
} from '../head/bands';
import { headScoring, type ScoringLevel } from '../head/scoring';
import type { HeadProvenance, ResolvedHead } from './head-choice';

/**
 * Descriptor cosine at or above which two faces are taken for one person, so kinship is not
 * judged. Measured on Families in the Wild (built-in descriptor, two photos): same person,
 * different photo — median 0.949 (5th–95th percentile 0.893–0.978); listed blood relatives —
 * median 0.872 (0.813–0.931); unrelated people — median 0.842 (0.780–0.899). At ≥ 0.93: 77 % of
 * same-person pairs, 5.5 % of kin pairs, 0.7 % of unrelated pairs. In the app on real portraits
 * (aligned chips) the same man scored 0.922–0.955, eight different people 0.785–0.868.
 */
export const SAME_PERSON_COSINE = 0.93;

export interface SamePerson {
  /** Descriptor cosine (mean over the face pairs). */
  cosine: number;
  threshold: number;
}

/** Null unless the two sides look like one person. */
export function samePersonCheck(descriptorCosine: number | null): SamePerson | null {
  if (descriptorCosine === null || !(descriptorCosine >= SAME_PERSON_COSINE)) return null;
  return { cosine: descriptorCosine, threshold: SAME_PERSON_COSINE };
}

export interface KinshipScore {
  /** Mean of the head's probabilities over the face pairs. */
  probability: number;
  /**
   * Each pair's probability is the mean over the faces and their mirror images (flip TTA), as
   * the head was validated when it was trained with flipTta.
   */
  mirrored?: boolean;
  /** Lowest and highest pair probability (equal for one pair). */
  spread: { min: number; max: number };
  /** 'image' for one photo pair, 'member' for an average over several (the bands differ). */
  level: ScoringLevel;
  /** Null when the head has no validation data to place the score against. */
  band: Band | null;
  bands: VerdictBands | null;
  distributions: ScoreDistributions | null;
  aboveUnrelated: number | null;
  aboveRelated: number | null;
  scoringSource: 'measured' | 'estimated' | null;
  provenance: HeadProvenance;
}

/** The card's kinship reading from the pair probabilities of one head. */
export function kinshipScore(
  probabilities: ArrayLike<number>,
  resolved: ResolvedHead,
): KinshipScore {
  const values = Array.from(probabilities);
  if (values.length === 0) throw new RangeError('kinshipScore: no pair probabilities');
  const probability = values.reduce((s, p) => s + p, 0) / values.length;
  const level: ScoringLevel = values.length > 1 ? 'member' : 'image';
  const scoring = headScoring(resolved.head.meta, level);
  const where = scoring ? placement(probability, scoring.distributions) : null;
  return {
    probability,
    spread: { min: Math.min(...values), max: Math.max(...values) },
    level,
    band: scoring ? bandOf(probability, scoring.bands) : null,
    bands: scoring?.bands ?? null,
    distributions: scoring?.distributions ?? null,
    aboveUnrelated: where?.aboveUnrelated ?? null,
    aboveRelated: where?.aboveRelated ?? null,
    scoringSource: scoring?.source ?? null,
    provenance: resolved.provenance,
  };
}
