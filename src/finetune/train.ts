/** Training a Siamese head on an encoded dataset's family-disjoint split. */
import { KinshipError } from '../lib/errors';
import type { StorageShortfall } from '../data/embedding-saver';
import { poolsForSplit } from '../data/pairs';
import { assertUsableSplit, splitFamilies, type SplitSpec } from '../data/splits';
import type { Encoder, EncoderId } from '../ml/encoders/types';
import type { KinshipHead } from '../ml/head';
import {
  trainHead,
  type EpochStats,
  type HeadTrainingResult,
  type TrainHeadOptions,
} from '../ml/head/train';
import { embeddingRows, embeddingsFor } from './embeddings';
import type { LoadedDataset } from './types';

/** The training result as it crosses to the UI: metrics, no tensors, photo paths for pairs. */
export interface TrainingSummary extends Omit<HeadTrainingResult, 'head' | 'validation'> {
  encoderId: EncoderId;
  trainFamilies: number;
  validationFamilies: number;
  trainKinPairs: number;
  validationKinPairs: number;
  parameterCount: number;
  seconds: number;
  /** Set when the head (or a checkpoint) could not be saved; it is still used this session. */
  notSaved: StorageShortfall | null;
  /** Validation image pairs of the kept epoch (photo paths), for comparisons and bootstrap CIs. */
  validation: { scores: number[]; labels: number[]; left: string[]; right: string[] };
}

export interface TrainRun {
  signal: AbortSignal;
  onEpoch?: (stats: EpochStats) => void;
  /** Each better epoch, e.g. to save it at once (a reload mid-training keeps it). */
  onCheckpoint?: (head: KinshipHead) => Promise<void>;
}

export interface TrainedOnDataset {
  head: KinshipHead;
  /** Everything but `notSaved` (the caller's storage decides that). */
  summary: Omit<TrainingSummary, 'notSaved'>;
}

export async function trainOnDataset(
  ds: LoadedDataset,
  encoder: Encoder,
  split: SplitSpec,
  options: TrainHeadOptions,
  detect: boolean,
  run: TrainRun,
): Promise<TrainedOnDataset> {
  const { identity, vectors, flips } = embeddingsFor(ds, encoder, detect);
  const started = performance.now();
  const familySplit = splitFamilies(
    ds.dataset.families.map((f) => f.id),
    split,
  );
  assertUsableSplit(familySplit);
  const d = encoder.dim;
  const rows = embeddingRows(ds, vectors, d);
  let flipTable: Float32Array | undefined;
  if ((options.flipAugmentation || options.flipTta) && flips && flips.size >= vectors.size) {
    flipTable = new Float32Array(rows.paths.length * d);
    rows.paths.forEach((p, i) =>
      flipTable?.set(flips.get(p) ?? (vectors.get(p) as Float32Array), i * d),
    );
  }
  const pools = poolsForSplit(ds.dataset, familySplit, (p) => rows.index.get(p));
  if (pools.train.kin.length === 0)
    throw new KinshipError('DATASET_FORMAT', 'The training families have no usable kin pairs');
  if (pools.validation.kin.length === 0) {
    throw new KinshipError(
      'DATASET_FORMAT',
      'The validation families have no usable kin pairs; choose another split',
    );
  }

  const result = await trainHead(
    {
      embeddings: rows.table,
      embeddingDim: d,
      ...(flipTable ? { flipEmbeddings: flipTable } : {}),
      train: pools.train,
      validation: pools.validation,
      encoderId: identity,
      split,
      dataset: {
        name: ds.name,
        families: ds.dataset.families.length,
        photos: ds.dataset.report.photos,
      },
      validationFamilies: familySplit.validation.length,
    },
    options,
    {
      signal: run.signal,
      ...(run.onEpoch ? { onEpoch: run.onEpoch } : {}),
      ...(run.onCheckpoint ? { onCheckpoint: run.onCheckpoint } : {}),
    },
  );

  const { head, validation, ...metrics } = result;
  return {
    head,
    summary: {
      encoderId: encoder.id,
      ...metrics,
      trainFamilies: familySplit.train.length,
      validationFamilies: familySplit.validation.length,
      trainKinPairs: pools.train.kin.length,
      validationKinPairs: pools.validation.kin.length,
      parameterCount: head.parameterCount,
      seconds: (performance.now() - started) / 1000,
      validation: {
        scores: Array.from(validation.imageScores),
        labels: Array.from(validation.imageLabels),
        left: Array.from(validation.imageLeft, (row) => rows.paths[row] as string),
        right: Array.from(validation.imageRight, (row) => rows.paths[row] as string),
      },
    },
  };
}
