/**
 * The embedding table a head trains on (or is evaluated on): every embedded photo of the dataset
 * as one row, in dataset order, and the mirrored photos' table when a flip option asks for it.
 */
import { poolsForSplit, type PairPool } from '../data/pairs';
import { assertUsableSplit, splitFamilies, type FamilySplit, type SplitSpec } from '../data/splits';
import { KinshipError } from '../lib/errors';
import type { Encoder } from '../ml/encoders/types';
import type { HeadDatasetInfo } from '../ml/head/meta';
import type { HeadTrainingInput } from '../ml/head/train';
import { embeddingRows, embeddingsFor } from './embeddings';
import type { LoadedDataset } from './types';

export interface TrainingTable {
  /** Feature identity of the embeddings (saved in the head's meta). */
  identity: string;
  rows: ReturnType<typeof embeddingRows>;
  /** Mirrored photos, same rows; undefined unless asked for and every photo has one. */
  flipTable: Float32Array | undefined;
}

/**
 * Same rows as `rows`, from the mirrored embeddings; undefined when fewer mirrored than plain
 * embeddings exist (then flip options are off, as in training). A photo without a mirrored
 * vector (a failed flip) stands in for itself.
 */
export function flipRows(
  rows: TrainingTable['rows'],
  vectors: Map<string, Float32Array>,
  flips: Map<string, Float32Array> | undefined,
  dim: number,
): Float32Array | undefined {
  if (!flips || flips.size < vectors.size) return undefined;
  const table = new Float32Array(rows.paths.length * dim);
  rows.paths.forEach((p, i) =>
    table.set(flips.get(p) ?? (vectors.get(p) as Float32Array), i * dim),
  );
  return table;
}

/** Flip augmentation and flip TTA both read the mirrored photos' table. */
export function usesMirroredPhotos(options: {
  flipAugmentation?: boolean;
  flipTta?: boolean;
}): boolean {
  return options.flipAugmentation === true || options.flipTta === true;
}

export function trainingTable(
  ds: LoadedDataset,
  encoder: Encoder,
  detect: boolean,
  withFlips: boolean,
): TrainingTable {
  const { identity, vectors, flips } = embeddingsFor(ds, encoder, detect);
  const rows = embeddingRows(ds, vectors, encoder.dim);
  return {
    identity,
    rows,
    flipTable: withFlips ? flipRows(rows, vectors, flips, encoder.dim) : undefined,
  };
}

/** What the head's meta records about the dataset. */
export function datasetInfo(ds: LoadedDataset): HeadDatasetInfo {
  return { name: ds.name, families: ds.dataset.families.length, photos: ds.dataset.report.photos };
}

export interface SplitTrainingInput {
  input: HeadTrainingInput;
  familySplit: FamilySplit;
  pools: { train: PairPool; validation: PairPool };
}

/**
 * The training input of one family split over `table`'s rows (a single head, or one member of
 * an ensemble). Throws DATASET_FORMAT when either side has no usable kin pairs; `where` names
 * the member in that message.
 */
export function splitTrainingInput(
  ds: LoadedDataset,
  encoder: Encoder,
  table: TrainingTable,
  split: SplitSpec,
  where = '',
): SplitTrainingInput {
  const familySplit = splitFamilies(
    ds.dataset.families.map((f) => f.id),
    split,
  );
  assertUsableSplit(familySplit);
  const pools = poolsForSplit(ds.dataset, familySplit, (p) => table.rows.index.get(p));
  assertKinPairs(pools, where);
  return {
    familySplit,
    pools,
    input: {
      embeddings: table.rows.table,
      embeddingDim: encoder.dim,
      ...(table.flipTable ? { flipEmbeddings: table.flipTable } : {}),
      train: pools.train,
      validation: pools.validation,
      encoderId: table.identity,
      split,
      dataset: datasetInfo(ds),
      validationFamilies: familySplit.validation.length,
    },
  };
}

/** Throws DATASET_FORMAT when either side of a split has no usable kin pair. */
export function assertKinPairs(pools: { train: PairPool; validation: PairPool }, where = ''): void {
  if (pools.train.kin.length === 0) {
    throw new KinshipError(
      'DATASET_FORMAT',
      `The training families${where} have no usable kin pairs`,
    );
  }
  if (pools.validation.kin.length === 0) {
    throw new KinshipError(
      'DATASET_FORMAT',
      `The validation families${where} have no usable kin pairs; choose another split`,
    );
  }
}
