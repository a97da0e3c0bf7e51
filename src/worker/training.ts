/**
 * Training in the worker: a single head on one split, or a head ensemble over held-out family
 * folds, on the imported dataset's cached embeddings. The new head scores its encoder at once
 * and is saved in the browser.
 */
import type { SplitSpec } from '../data/splits';
import type { Encoder, EncoderId } from '../ml/encoders/types';
import type { EpochStats, TrainHeadOptions } from '../ml/head/train';
import { trainOnDataset, type TrainedOnDataset, type TrainingSummary } from '../finetune/train';
import type { LoadedDataset } from '../finetune/types';
import { trainEnsembleOnDataset, type MemberStart } from '../finetune/train-ensemble';
import { adoptTrainedHead, requireDataset, requireEncoder, saveHead } from './finetune';

export type { MemberStart };

export function trainHeadOnDataset(
  encoderId: EncoderId,
  split: SplitSpec,
  options: TrainHeadOptions,
  detect: boolean,
  signal: AbortSignal,
  onEpoch?: (stats: EpochStats) => void,
): Promise<TrainingSummary> {
  return trainAndAdopt(encoderId, (ds, encoder) =>
    trainOnDataset(ds, encoder, split, options, detect, {
      signal,
      ...(onEpoch ? { onEpoch } : {}),
      // Each better epoch is saved at once: a reload mid-training keeps the best checkpoint.
      // A failed save never stops training; the final save in adoptTrainedHead reports it.
      onCheckpoint: (h) => saveHead(encoderId, h).catch(() => undefined),
    }),
  );
}

/**
 * `count` heads, each holding out one family fold, stacked into one head. No checkpoints: the
 * saved head stays what it was until the whole ensemble is done, so a reload mid-run never
 * leaves a lone member (or a partial stack) saved as if it were the ensemble.
 */
export function trainEnsembleHeads(
  encoderId: EncoderId,
  count: number,
  options: TrainHeadOptions,
  detect: boolean,
  signal: AbortSignal,
  onEpoch?: (stats: EpochStats) => void,
  onMember?: (member: MemberStart) => void,
): Promise<TrainingSummary> {
  return trainAndAdopt(encoderId, (ds, encoder) =>
    trainEnsembleOnDataset(ds, encoder, count, options, detect, {
      signal,
      ...(onEpoch ? { onEpoch } : {}),
      ...(onMember ? { onMember } : {}),
    }),
  );
}

/** Trains on the imported dataset, then makes the new head its encoder's and saves it. */
async function trainAndAdopt(
  encoderId: EncoderId,
  train: (ds: LoadedDataset, encoder: Encoder) => Promise<TrainedOnDataset>,
): Promise<TrainingSummary> {
  const ds = requireDataset();
  const encoder = requireEncoder(encoderId);
  const started = performance.now();
  const { head, summary } = await train(ds, encoder);
  const notSaved = await adoptTrainedHead(encoderId, head, encoder.label);
  return { ...summary, seconds: (performance.now() - started) / 1000, notSaved };
}
