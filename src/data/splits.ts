/**
 * Family-disjoint train/validation splits. Kin share faces, so a family is always wholly on
 * one side; otherwise validation would reward memorising a family rather than seeing kinship.
 */
import { KinshipError } from '../lib/errors';
import { deriveSeed, mulberry32, shuffleInPlace } from '../lib/random';
import { compareIds, type FamilyId } from './ids';

export type SplitSpec =
  /** Families whose id starts with `prefix` (case-insensitive) are validation. */
  | { kind: 'prefix'; prefix: string }
  /** A seeded random `fraction` of families is validation. */
  | { kind: 'random'; fraction: number; seed: number }
  /**
   * Fold `index` of `folds` seeded family folds: the folds partition the families, so heads
   * trained on each fold's complement hold out every family exactly once (a head ensemble).
   */
  | { kind: 'fold'; folds: number; index: number; seed: number };

/** The seed notebook's split: families F09xx are held out. */
export const SEED_SPLIT: SplitSpec = { kind: 'prefix', prefix: 'F09' };

/** Fold `k` (0–9) of the F00…F09 rotation used by later competition solutions. */
export function rotationSplit(fold: number): SplitSpec {
  if (!Number.isInteger(fold) || fold < 0 || fold > 9) {
    throw new RangeError(`rotation fold must be an integer 0–9, got ${fold}`);
  }
  return { kind: 'prefix', prefix: `F0${fold}` };
}

export interface FamilySplit {
  spec: SplitSpec;
  train: FamilyId[];
  validation: FamilyId[];
}

export function splitFamilies(
  familyIds: readonly FamilyId[],
  spec: SplitSpec = SEED_SPLIT,
): FamilySplit {
  const ids = [...new Set(familyIds)].sort(compareIds);
  let validation: Set<FamilyId>;
  if (spec.kind === 'prefix') {
    const prefix = spec.prefix.trim().toUpperCase();
    if (prefix === '') throw new RangeError('split prefix must not be empty');
    validation = new Set(ids.filter((id) => id.toUpperCase().startsWith(prefix)));
  } else if (spec.kind === 'fold') {
    if (!(
      Number.isInteger(spec.folds) &&
      spec.folds >= 2 &&
      spec.index >= 0 &&
      spec.index < spec.folds
    )) {
      throw new RangeError(`fold ${spec.index} of ${spec.folds} is not a valid fold`);
    }
    const shuffled = shuffleInPlace([...ids], mulberry32(deriveSeed(spec.seed, 'folds')));
    validation = new Set(shuffled.filter((_, i) => i % spec.folds === spec.index));
  } else {
    if (!(spec.fraction > 0 && spec.fraction < 1)) {
      throw new RangeError(`validation fraction must be between 0 and 1, got ${spec.fraction}`);
    }
    const shuffled = shuffleInPlace([...ids], mulberry32(deriveSeed(spec.seed, 'split')));
    // At least one family on each side whenever there are two or more.
    const count = Math.min(Math.max(Math.round(spec.fraction * ids.length), 1), ids.length - 1);
    validation = new Set(shuffled.slice(0, Math.max(count, 0)));
  }
  return {
    spec,
    train: ids.filter((id) => !validation.has(id)),
    validation: ids.filter((id) => validation.has(id)),
  };
}

/** Throws a DATASET_FORMAT error a user can act on when either side of a split is empty. */
export function assertUsableSplit(split: FamilySplit): void {
  const what = describeSplit(split.spec);
  if (split.validation.length === 0) {
    throw new KinshipError(
      'DATASET_FORMAT',
      `No validation families (${what}). Choose another prefix or a random fraction.`,
    );
  }
  if (split.train.length === 0) {
    throw new KinshipError(
      'DATASET_FORMAT',
      `No training families left (${what}). Choose another prefix or a smaller fraction.`,
    );
  }
}

/** A short human description, e.g. "families F09…" or "20% of families, seed 1". */
export function describeSplit(spec: SplitSpec): string {
  if (spec.kind === 'prefix') return `validation: families ${spec.prefix.toUpperCase()}…`;
  if (spec.kind === 'fold') return `validation: family fold ${spec.index + 1} of ${spec.folds}`;
  return `validation: ${Math.round(spec.fraction * 100)}% of families, seed ${spec.seed}`;
}

/**
 * The held-out sets of a head ensemble of `count` members, each family held out exactly once:
 * the F00…F09 prefix rotation of the competition solutions when there are 10 members and every
 * prefix holds families (the Kaggle FIW layout), else `count` seeded family folds.
 */
export function ensembleSplits(familyIds: readonly FamilyId[], count: number): SplitSpec[] {
  if (!(Number.isInteger(count) && count >= 2)) {
    throw new RangeError(`an ensemble needs at least 2 members, got ${count}`);
  }
  const ids = [...new Set(familyIds)];
  if (count > ids.length) {
    throw new KinshipError(
      'DATASET_FORMAT',
      `An ensemble of ${count} heads needs at least ${count} families; the dataset has ${ids.length}.`,
    );
  }
  const rotation = Array.from({ length: 10 }, (_, k) => rotationSplit(k));
  const heldOut = rotation.map((spec) => splitFamilies(ids, spec).validation.length);
  // Each prefix holds families, and together they hold every family once.
  const everyPrefixUsed =
    heldOut.every((n) => n > 0) && heldOut.reduce((a, b) => a + b, 0) === ids.length;
  if (count === 10 && everyPrefixUsed) return rotation;
  return Array.from({ length: count }, (_, index) => ({
    kind: 'fold',
    folds: count,
    index,
    seed: 1,
  }));
}
