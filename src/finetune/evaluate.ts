/**
 * A head's image- and member-pair ROC AUC on an encoded dataset's validation families, with the
 * split, seed, pair counts and flip TTA its meta records: the same validation pairs training
 * built, scored the same way, so a head evaluated here gives the AUC its training showed. An
 * ensemble is evaluated out-of-fold, as it was trained: each member scores only the families it
 * held out, never the ones it learnt from.
 */
import { KinshipError } from '../lib/errors';
import { deriveSeed } from '../lib/random';
import { buildValidationPairs, poolsForSplit } from '../data/pairs';
import {
  assertUsableSplit,
  describeSplit,
  splitFamilies,
  SEED_SPLIT,
  type SplitSpec,
} from '../data/splits';
import { headMembers, resolveTrainOptions, type HeadTrainOptions } from '../ml/head/config';
import { unstackHead } from '../ml/head/ensemble';
import type { KinshipHead } from '../ml/head';
import { meanByGroup, rocAuc } from '../ml/metrics';
import { embeddingRows } from './embeddings';
import { flipTtaRequested, meanWithMirror, type FlipTtaUse } from './flip-tta';
import { flipRows } from './training-table';
import type { LoadedDataset } from './types';

/** One ensemble member on the families it held out. */
export interface FoldEvaluation {
  split: SplitSpec;
  heldOut: string;
  validationFamilies: number;
  imagePairs: number;
  imageAuc: number;
  memberAuc: number;
}

export interface HeadEvaluation {
  imageAuc: number;
  memberAuc: number;
  imagePairs: number;
  memberPairs: number;
  validationFamilies: number;
  /** True for an ensemble: the figures pool every member's scores on its own held-out families. */
  outOfFold: boolean;
  /** Per member of an ensemble; empty for a single head. */
  members: FoldEvaluation[];
  /** Image pairs (and their member photo pairs) scored with flip TTA, as the head was trained. */
  flipTta: FlipTtaUse;
  /** Image pairs as photo paths with the head's probability and the label. */
  pairs: Array<{ left: string; right: string; label: number; probability: number }>;
}

export interface EvaluateOptions {
  signal?: AbortSignal;
  /** Embeddings of the mirrored photos, for a head trained with flip TTA. */
  flips?: Map<string, Float32Array>;
}

interface Table {
  rows: ReturnType<typeof embeddingRows>;
  flipTable: Float32Array | undefined;
  d: number;
}

export async function evaluateHead(
  ds: LoadedDataset,
  head: KinshipHead,
  vectors: Map<string, Float32Array>,
  options: EvaluateOptions = {},
): Promise<HeadEvaluation> {
  const meta = head.meta;
  const opts = resolveTrainOptions(meta.training ?? {});
  const d = head.arch.embeddingDim;
  const rows = embeddingRows(ds, vectors, d);
  const got = rows.paths.length > 0 ? vectors.get(rows.paths[0] as string)?.length : d;
  if (got !== d) {
    throw new KinshipError(
      'WEIGHTS_MISMATCH',
      `the head reads ${d}-d embeddings but the dataset was encoded to ${got}-d ones`,
    );
  }
  const requested = flipTtaRequested(head);
  // As in training: TTA only when every photo has a mirrored embedding.
  const table: Table = {
    rows,
    d,
    flipTable: requested ? flipRows(rows, vectors, options.flips, d) : undefined,
  };
  const splits = foldsOf(head);
  const folds: FoldScores[] = [];
  for (const [index, split] of splits.entries()) {
    const scorer = splits.length > 1 ? unstackHead(head, index) : head;
    try {
      folds.push(await scoreFold(ds, table, scorer, split, opts, options.signal));
    } finally {
      if (scorer !== head) scorer.dispose();
    }
  }
  const cat = (pick: (f: FoldScores) => ArrayLike<number>): number[] =>
    folds.flatMap((f) => Array.from(pick(f)));
  const imageScores = cat((f) => f.imageScores);
  const imageLabels = cat((f) => f.imageLabels);
  const memberScores = cat((f) => f.memberScores);
  const memberLabels = cat((f) => f.memberLabels);
  return {
    imageAuc: rocAuc(imageScores, imageLabels),
    memberAuc: rocAuc(memberScores, memberLabels),
    imagePairs: imageScores.length,
    memberPairs: memberScores.length,
    validationFamilies: folds.reduce((n, f) => n + f.families, 0),
    outOfFold: splits.length > 1,
    members: splits.length > 1 ? folds.map((f) => f.summary) : [],
    flipTta: {
      requested,
      pairs: table.flipTable ? imageScores.length : 0,
      plainPairs: requested && !table.flipTable ? imageScores.length : 0,
    },
    pairs: folds.flatMap((f) => f.pairs),
  };
}

/** The held-out split of each member: one for a single head. */
function foldsOf(head: KinshipHead): SplitSpec[] {
  const k = headMembers(head.arch);
  if (k === 1) return [head.meta.split ?? SEED_SPLIT];
  const members = head.meta.ensemble?.members ?? [];
  if (members.length !== k) {
    // Scoring every pair with all members would grade them on families they trained on.
    throw new KinshipError(
      'WEIGHTS_FORMAT',
      `this head is an ensemble of ${k} heads, but its meta.json does not record the families each held out, so no out-of-fold evaluation is possible (an in-sample one would flatter it)`,
    );
  }
  return members.map((m) => m.split);
}

interface FoldScores {
  imageScores: Float32Array;
  imageLabels: Float32Array;
  memberScores: Float64Array;
  memberLabels: Float32Array;
  families: number;
  pairs: HeadEvaluation['pairs'];
  summary: FoldEvaluation;
}

async function scoreFold(
  ds: LoadedDataset,
  table: Table,
  head: KinshipHead,
  spec: SplitSpec,
  opts: HeadTrainOptions,
  signal: AbortSignal | undefined,
): Promise<FoldScores> {
  const split = splitFamilies(
    ds.dataset.families.map((f) => f.id),
    spec,
  );
  assertUsableSplit(split);
  const pools = poolsForSplit(ds.dataset, split, (p) => table.rows.index.get(p));
  if (pools.validation.kin.length === 0) {
    throw new KinshipError(
      'DATASET_FORMAT',
      `The validation families (${describeSplit(spec)}) have no usable kin pairs`,
    );
  }
  const pairs = buildValidationPairs(pools.validation, {
    seed: deriveSeed(opts.seed, 'validation-set'),
    photoPairsPerMemberPair: opts.validationPhotoPairs,
    photosPerPersonForMembers: opts.memberPhotosPerPerson,
  });
  const imageScores = await scoreRows(head, table, pairs.images.left, pairs.images.right, signal);
  // Member pairs as training scores them: the mean over all photo pairs (up to 3 × 3).
  const memberPhotoScores = await scoreRows(
    head,
    table,
    pairs.memberPhotos.left,
    pairs.memberPhotos.right,
    signal,
  );
  const memberScores = meanByGroup(
    memberPhotoScores,
    pairs.memberPhotos.memberPair,
    pairs.members.labels.length,
  );
  const imageAuc = rocAuc(imageScores, pairs.images.labels);
  const memberAuc = rocAuc(memberScores, pairs.members.labels);
  const path = (row: number): string => table.rows.paths[row] as string;
  return {
    imageScores,
    imageLabels: pairs.images.labels,
    memberScores,
    memberLabels: pairs.members.labels,
    families: split.validation.length,
    pairs: Array.from(imageScores, (probability, i) => ({
      left: path(pairs.images.left[i] as number),
      right: path(pairs.images.right[i] as number),
      label: pairs.images.labels[i] as number,
      probability,
    })),
    summary: {
      split: spec,
      heldOut: describeSplit(spec),
      validationFamilies: split.validation.length,
      imagePairs: imageScores.length,
      imageAuc,
      memberAuc,
    },
  };
}

/** The head's probability for table-row pairs; with a mirrored table, the flip-TTA mean. */
async function scoreRows(
  head: KinshipHead,
  table: Table,
  left: Int32Array,
  right: Int32Array,
  signal: AbortSignal | undefined,
): Promise<Float32Array> {
  const { d } = table;
  const gather = (source: Float32Array, idx: Int32Array): Float32Array => {
    const out = new Float32Array(idx.length * d);
    idx.forEach((r, i) => out.set(source.subarray(r * d, (r + 1) * d), i * d));
    return out;
  };
  const predictOpts = signal ? { signal } : {};
  const plain = await head.predict(
    gather(table.rows.table, left),
    gather(table.rows.table, right),
    predictOpts,
  );
  const flips = table.flipTable;
  if (!flips) return plain;
  const mirrored = await head.predict(gather(flips, left), gather(flips, right), predictOpts);
  return meanWithMirror(plain, mirrored);
}
