/** What head training takes and returns (train.ts), shared by its parts and its callers. */
import type { PairPool } from '../../data/pairs';
import type { SplitSpec } from '../../data/splits';
import type { RocPoint } from '../metrics/roc';
import type { HeadPresetName, HeadTrainOptions } from './config';
import type { KinshipHead } from './head';
import type { HeadDatasetInfo } from './meta';

export interface HeadTrainingInput {
  /** Row-major [rows, d] embeddings of every photo the pools refer to. */
  embeddings: Float32Array;
  embeddingDim: number;
  /** Embeddings of the horizontally flipped photos, same rows (enables flip augmentation). */
  flipEmbeddings?: Float32Array;
  train: PairPool;
  validation: PairPool;
  /** Encoder identity (incl. weights hash), saved in the head's meta. */
  encoderId: string;
  split?: SplitSpec | null;
  /** Saved in the meta for the head's provenance line. */
  dataset?: HeadDatasetInfo | null;
  /** Number of families in the validation pool, saved in the meta. */
  validationFamilies?: number;
}

export interface EpochStats {
  /** 1-based. */
  epoch: number;
  epochs: number;
  /** Mean training BCE over the epoch's batches. */
  loss: number;
  /** Training accuracy at probability 0.5. */
  accuracy: number;
  valImageAuc: number;
  valMemberAuc: number;
  /** Training pairs per second in this epoch (validation excluded). */
  pairsPerSecond: number;
  elapsedMs: number;
  improved: boolean;
  bestEpoch: number;
  /** True for an epoch cut short by Stop. */
  partial: boolean;
}

export interface TrainHeadRun {
  /**
   * Stop: training ends after the current step, validates that partial epoch and keeps the best
   * weights so far (stopReason 'aborted'). Stopped before the first step: rejects with ABORTED.
   */
  signal?: AbortSignal;
  onEpoch?: (stats: EpochStats) => void;
  /**
   * Called with a temporary copy of the head after every epoch that improved (disposed after the
   * call), so the caller can save it: a reload mid-training then keeps the best checkpoint.
   */
  onCheckpoint?: (head: KinshipHead) => Promise<void>;
}

export interface ValidationScores {
  imageScores: Float32Array;
  imageLabels: Float32Array;
  /** Embedding-table rows of each validation image pair (same order as the scores). */
  imageLeft: Int32Array;
  imageRight: Int32Array;
  memberScores: Float64Array;
  memberLabels: Float32Array;
}

export interface HeadTrainingResult {
  head: KinshipHead;
  history: EpochStats[];
  bestEpoch: number;
  stopReason: 'completed' | 'early-stopped' | 'aborted';
  threshold: number;
  valAccuracy: number;
  valImageAuc: number;
  valMemberAuc: number;
  roc: RocPoint[];
  memberRoc: RocPoint[];
  /** Scores of the kept epoch, e.g. for a bootstrap CI. */
  validation: ValidationScores;
}

export type TrainHeadOptions = Partial<HeadTrainOptions> & { preset?: HeadPresetName };
