/**
 * Training in the worker: a single head on one split, or a head ensemble over held-out family
 * folds, on the imported dataset's cached embeddings. The new head scores its encoder at once
 * and is saved in the browser.
 */
import type { SplitSpec } from '../data/splits';
import type { EncoderId } from '../ml/encoders/types';
import type { EpochStats, TrainHeadOptions } from '../ml/head/train';
import { trainOnDataset, type TrainingSummary } from '../finetune/train';
import { trainEnsembleOnDataset, type MemberStart } from '../finetune/train-ensemble';
import { adoptTrainedHead, requireDataset, requireEncoder, saveHead } from './finetune';

export type { MemberStart };

export async function trainHeadOnDataset(
  encoderId: EncoderId,
  split: SplitSpec,
  options: TrainHeadOptions,
  detect: boolean,
  signal: AbortSignal,
  onEpoch?: (stats: EpochStats) => void,
): Promise<TrainingSummary> {
  const s = requireDataset();
  const encoder = requireEncoder(encoderId);
  const started = performance.now();
  const { head, summary } = await trainOnDataset(s, encoder, split, options, detect, {
    signal,
    ...(onEpoch ? { onEpoch } : {}),
    // Each better epoch is saved at once: a reload mid-training keeps the best checkpoint.
    // A failed save never stops training; the final save below reports it.
    onCheckpoint: (h) => saveHead(encoderId, h).catch(() => undefined),
  });
  const notSaved = await adoptTrainedHead(encoderId, head, encoder.label);
  return { ...summary, seconds: (performance.now() - started) / 1000, notSaved };
}

/**
 * `count` heads, each holding out one family fold, stacked into one head. No checkpoints: the
 * saved head stays what it was until the whole ensemble is done, so a reload mid-run never
 * leaves a lone member (or a partial stack) saved as if it were the ensemble.
 */
export async function trainEnsembleHeads(
  encoderId: EncoderId,
  count: number,
  options: TrainHeadOptions,
  detect: boolean,
  signal: AbortSignal,
  onEpoch?: (stats: EpochStats) => void,
  onMember?: (member: MemberStart) => void,
): Promise<TrainingSummary> {
  const s = requireDataset();
  const encoder = requireEncoder(encoderId);
  const started = performance.now();
  const { head, summary } = await trainEnsembleOnDataset(s, encoder, count, options, detect, {
    signal,
    ...(onEpoch ? { onEpoch } : {}),
    ...(onMember ? { onMember } : {}),
  });
  const notSaved = await adoptTrainedHead(encoderId, head, encoder.label);
  return { ...summary, seconds: (performance.now() - started) / 1000, notSaved };
}
