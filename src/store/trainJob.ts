/** The worker call behind Train: a single head on the chosen split, or a head ensemble. */
import type { SplitSpec } from '../data/splits';
import type { EncoderId } from '../ml/encoders/types';
import type { HeadPresetName, HeadTrainOptions } from '../ml/head/config';
import type { EpochStats } from '../ml/head/train';
import { callback, job, mlWorker } from '../worker/client';
import type { TrainingSummary } from '../worker/finetune';
import type { MemberStart } from '../worker/training';

export interface TrainSettings {
  encoderId: EncoderId;
  split: SplitSpec;
  preset: HeadPresetName;
  options: Partial<HeadTrainOptions>;
  detect: boolean;
  /** Heads of an ensemble (each holding out one family fold); 1 = a single head on `split`. */
  ensembleSize: number;
}

export function trainJob(
  settings: TrainSettings,
  signal: AbortSignal,
  onEpoch: (stats: EpochStats) => void,
  onMember: (member: MemberStart) => void,
): Promise<TrainingSummary> {
  const { encoderId, split, preset, options, detect, ensembleSize } = settings;
  const trainOptions = { ...options, preset };
  return job(
    (id) =>
      ensembleSize > 1
        ? mlWorker().trainEnsemble(
            id,
            callback(onEpoch),
            callback(onMember),
            encoderId,
            ensembleSize,
            trainOptions,
            detect,
          )
        : mlWorker().trainHead(id, callback(onEpoch), encoderId, split, trainOptions, detect),
    { signal },
  );
}
