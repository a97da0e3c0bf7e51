/**
 * Which kinship head scores an encoder: the built-in one that ships with the app, or the user's
 * own (trained or imported). A user head takes over for its encoder; the user can switch back to
 * the built-in model, and that choice is remembered (by the caller) until they switch again or
 * train/import a new head.
 */
import type { HeadMeta } from '../head/meta';

export type HeadSource = 'built-in' | 'user';

/** A head as the scorer uses it: batched predictions plus the meta it was saved with. */
export interface PairHead {
  /** Kin probabilities for n pairs given as row-major [n, d] embeddings. */
  predict(left: Float32Array, right: Float32Array): Promise<Float32Array>;
  readonly meta: HeadMeta;
}

/** Where the head scoring an encoder comes from, for the card's provenance line. */
export interface HeadProvenance {
  source: HeadSource;
  /** Dataset it was trained on (folder or published name); null when the head does not say. */
  datasetName: string | null;
  /** ISO time the head was made. */
  trainedAt: string;
  /** Validation ROC AUC, member pairs when recorded, else image pairs; null without validation. */
  auc: number | null;
  /** Families held out for that validation; null when the head does not say. */
  validationFamilies: number | null;
  /** Heads in an ensemble (its AUC is then out-of-fold); null for a single head. */
  ensembleMembers: number | null;
  /** The other head this encoder can switch to, if there is one. */
  alternative: HeadSource | null;
}

export interface ResolvedHead {
  head: PairHead;
  provenance: HeadProvenance;
}

export interface HeadCandidates {
  builtIn: PairHead | null;
  user: PairHead | null;
}

/** The head to use: the user's unless they chose the built-in one (or have none). */
export function chooseHead(
  candidates: HeadCandidates,
  preference: HeadSource | null,
): ResolvedHead | null {
  const { builtIn, user } = candidates;
  const source: HeadSource | null =
    preference === 'built-in' && builtIn ? 'built-in' : user ? 'user' : builtIn ? 'built-in' : null;
  if (source === null) return null;
  const head = (source === 'user' ? user : builtIn) as PairHead;
  const other = source === 'user' ? builtIn : user;
  return {
    head,
    provenance: provenanceOf(
      head.meta,
      source,
      other ? (source === 'user' ? 'built-in' : 'user') : null,
    ),
  };
}

export function provenanceOf(
  meta: HeadMeta,
  source: HeadSource,
  alternative: HeadSource | null,
): HeadProvenance {
  const v = meta.validation;
  return {
    source,
    datasetName: meta.dataset?.name ?? null,
    trainedAt: meta.createdAt,
    auc: v ? (v.memberAuc > 0 ? v.memberAuc : v.imageAuc) : null,
    validationFamilies: v?.families ?? null,
    ensembleMembers: meta.ensemble?.members.length ?? null,
    alternative,
  };
}
