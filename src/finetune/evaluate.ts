/**
 * A head's image- and member-pair ROC AUC on an encoded dataset's validation families, with the
 * split, seed and pair counts its meta records: the same validation pairs training built, so a
 * head evaluated here gives the AUC its training showed.
 */
import { KinshipError } from '../lib/errors';
import { deriveSeed } from '../lib/random';
import { buildValidationPairs, poolsForSplit } from '../data/pairs';
import { assertUsableSplit, splitFamilies, SEED_SPLIT } from '../data/splits';
import { resolveTrainOptions } from '../ml/head/config';
import type { KinshipHead } from '../ml/head';
import { meanByGroup, rocAuc } from '../ml/metrics';
import { embeddingRows } from './embeddings';
import type { LoadedDataset } from './types';

export interface HeadEvaluation {
  imageAuc: number;
  memberAuc: number;
  imagePairs: number;
  memberPairs: number;
  validationFamilies: number;
  /** Image pairs as photo paths with the head's probability and the label. */
  pairs: Array<{ left: string; right: string; label: number; probability: number }>;
}

export async function evaluateHead(
  ds: LoadedDataset,
  head: KinshipHead,
  vectors: Map<string, Float32Array>,
  signal?: AbortSignal,
): Promise<HeadEvaluation> {
  const meta = head.meta;
  const opts = resolveTrainOptions(meta.training ?? {});
  const split = splitFamilies(
    ds.dataset.families.map((f) => f.id),
    meta.split ?? SEED_SPLIT,
  );
  assertUsableSplit(split);
  const d = head.arch.embeddingDim;
  const rows = embeddingRows(ds, vectors, d);
  if (rows.paths.length > 0 && (vectors.get(rows.paths[0] as string)?.length ?? d) !== d) {
    throw new KinshipError(
      'WEIGHTS_MISMATCH',
      `the head reads ${d}-d embeddings but the dataset was encoded to ${vectors.get(rows.paths[0] as string)?.length}-d ones`,
    );
  }
  const pools = poolsForSplit(ds.dataset, split, (p) => rows.index.get(p));
  if (pools.validation.kin.length === 0) {
    throw new KinshipError('DATASET_FORMAT', 'The validation families have no usable kin pairs');
  }
  const pairs = buildValidationPairs(pools.validation, {
    seed: deriveSeed(opts.seed, 'validation-set'),
    photoPairsPerMemberPair: opts.validationPhotoPairs,
    photosPerPersonForMembers: opts.memberPhotosPerPerson,
  });
  const n = pairs.images.left.length;
  const gather = (idx: Int32Array): Float32Array => {
    const out = new Float32Array(idx.length * d);
    idx.forEach((r, i) => out.set(rows.table.subarray(r * d, (r + 1) * d), i * d));
    return out;
  };
  const predictOpts = signal ? { signal } : {};
  const scores = await head.predict(
    gather(pairs.images.left),
    gather(pairs.images.right),
    predictOpts,
  );
  // Member pairs as training scores them: the mean over all photo pairs (up to 3 × 3).
  const memberPhotoScores = await head.predict(
    gather(pairs.memberPhotos.left),
    gather(pairs.memberPhotos.right),
    predictOpts,
  );
  const member = meanByGroup(
    memberPhotoScores,
    pairs.memberPhotos.memberPair,
    pairs.members.labels.length,
  );
  return {
    imageAuc: rocAuc(scores, pairs.images.labels),
    memberAuc: rocAuc(member, pairs.members.labels),
    imagePairs: n,
    memberPairs: pairs.members.labels.length,
    validationFamilies: split.validation.length,
    pairs: Array.from(scores, (probability, i) => ({
      left: rows.paths[pairs.images.left[i] as number] as string,
      right: rows.paths[pairs.images.right[i] as number] as string,
      label: pairs.images.labels[i] as number,
      probability,
    })),
  };
}
