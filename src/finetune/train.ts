/** Training a Siamese head on an encoded dataset's family-disjoint split. */
import type { StorageShortfall } from '../data/embedding-saver';
import type { SplitSpec } from '../data/splits';
import type { Encoder, EncoderId } from '../ml/encoders/types';
import type { KinshipHead } from '../ml/head';
import {
  trainHead,
  type EpochStats,
  type HeadTrainingResult,
  type TrainHeadOptions,
  type ValidationScores,
} from '../ml/head/train';
import {
  splitTrainingInput,
  trainingTable,
  usesMirroredPhotos,
  type TrainingTable,
} from './training-table';
import type { LoadedDataset } from './types';

/** One head of an ensemble: what it held out and how it did there. */
export interface EnsembleMemberSummary {
  split: SplitSpec;
  /** e.g. "validation: family fold 2 of 5". */
  heldOut: string;
  trainFamilies: number;
  validationFamilies: number;
  validationKinPairs: number;
  imageAuc: number;
  memberAuc: number;
  bestEpoch: number;
  epochsRun: number;
}

/**
 * Set for a head ensemble. Its top-level validation figures are then out-of-fold: every
 * validation pair scored by the one head that never trained on its families, pooled over heads.
 */
export interface EnsembleSummary {
  /** Heads asked for; `members` is shorter when Stop ended the run early. */
  requested: number;
  members: EnsembleMemberSummary[];
}

/** The training result as it crosses to the UI: metrics, no tensors, photo paths for pairs. */
export interface TrainingSummary extends Omit<HeadTrainingResult, 'head' | 'validation'> {
  encoderId: EncoderId;
  /**
   * Families trained on and scored for validation. For an ensemble: all families (each trained
   * on by all heads but one), and the families whose pairs are in the out-of-fold pool.
   */
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
  ensemble: EnsembleSummary | null;
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

/** Validation image pairs as photo paths (rows of `table`). */
export function validationPaths(
  scores: ValidationScores,
  table: TrainingTable,
): TrainingSummary['validation'] {
  const path = (row: number): string => table.rows.paths[row] as string;
  return {
    scores: Array.from(scores.imageScores),
    labels: Array.from(scores.imageLabels),
    left: Array.from(scores.imageLeft, path),
    right: Array.from(scores.imageRight, path),
  };
}

export async function trainOnDataset(
  ds: LoadedDataset,
  encoder: Encoder,
  split: SplitSpec,
  options: TrainHeadOptions,
  detect: boolean,
  run: TrainRun,
): Promise<TrainedOnDataset> {
  const table = trainingTable(ds, encoder, detect, usesMirroredPhotos(options));
  const started = performance.now();
  const { input, familySplit, pools } = splitTrainingInput(ds, encoder, table, split);

  const result = await trainHead(input, options, {
    signal: run.signal,
    ...(run.onEpoch ? { onEpoch: run.onEpoch } : {}),
    ...(run.onCheckpoint ? { onCheckpoint: run.onCheckpoint } : {}),
  });

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
      validation: validationPaths(validation, table),
      ensemble: null,
    },
  };
}
