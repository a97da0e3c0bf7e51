/**
 * The fine-tuning and comparison half of the worker's RPC surface (spread into `api` in api.ts):
 * each call waits for the backend where it computes, then hands over to the use cases.
 */
import type { DatasetReport } from '../data/dataset';
import type { EncoderCacheStats } from '../data/embedding-cache';
import type { SplitSpec } from '../data/splits';
import type { SavedInventory } from '../lib/saved-inventory';
import type { EncoderId } from '../ml/encoders/types';
import type { EpochStats, TrainHeadOptions } from '../ml/head/train';
import {
  backendJob,
  requireBackend,
  requireConfig,
  wrap,
  type Progress,
  type Result,
} from './api-runtime';
import {
  compareEncoders,
  type CompareProgress,
  type CompareSettings,
  type ComparisonReport,
} from './compare';
import { ensureFaceStack } from './encoders';
import * as finetune from './finetune';
import { runJob } from './jobs';
import * as models from './models';
import * as training from './training';

export const finetuneApi = {
  /** Builds the dataset from a dropped folder's files (paths relative to the dropped folder). */
  importDataset(
    jobId: number,
    onProgress: Progress,
    entries: finetune.DatasetEntry[],
  ): Promise<Result<DatasetReport>> {
    return wrap(() =>
      runJob(jobId, (signal) => finetune.importDataset(entries, signal, onProgress ?? undefined)),
    );
  },

  /** Embeds every dataset image with one encoder; cached images are not encoded again. */
  encodeDataset(
    jobId: number,
    onProgress: Progress,
    encoderId: EncoderId,
    opts: finetune.EncodeOptions,
  ): Promise<Result<finetune.EncodeResult>> {
    return backendJob(jobId, async (signal) => {
      await ensureFaceStack(requireConfig().baseUrl, signal);
      return finetune.encodeDataset(encoderId, opts, signal, onProgress ?? undefined);
    });
  },

  /** Trains the Siamese head on cached embeddings; `onEpoch` feeds the live charts. */
  trainHead(
    jobId: number,
    onEpoch: ((s: EpochStats) => void) | null,
    encoderId: EncoderId,
    split: SplitSpec,
    options: TrainHeadOptions,
    detect: boolean,
  ): Promise<Result<finetune.TrainingSummary>> {
    return backendJob(jobId, async (signal) => {
      return training.trainHeadOnDataset(
        encoderId,
        split,
        options,
        detect,
        signal,
        onEpoch ?? undefined,
      );
    });
  },

  /**
   * Trains `count` heads, each on all families but one held-out fold, and stacks them into one
   * head; `onMember` says which head starts, `onEpoch` gives that head's epochs.
   */
  trainEnsemble(
    jobId: number,
    onEpoch: ((s: EpochStats) => void) | null,
    onMember: ((m: training.MemberStart) => void) | null,
    encoderId: EncoderId,
    count: number,
    options: TrainHeadOptions,
    detect: boolean,
  ): Promise<Result<finetune.TrainingSummary>> {
    return backendJob(jobId, async (signal) => {
      return training.trainEnsembleHeads(
        encoderId,
        count,
        options,
        detect,
        signal,
        onEpoch ?? undefined,
        onMember ?? undefined,
      );
    });
  },

  restoreSavedHeads(): Promise<Result<finetune.SavedHeadInfo[]>> {
    return wrap(async () => {
      await requireBackend();
      return finetune.restoreSavedHeads();
    });
  },

  exportHead(encoderId: EncoderId): Promise<Result<finetune.HeadExport>> {
    return wrap(() => finetune.exportTrainedHead(encoderId));
  },

  importHead(
    encoderId: EncoderId,
    modelJson: string,
    weightsBin: ArrayBuffer,
    metaJson: string,
  ): Promise<Result<finetune.ImportedHeadInfo>> {
    return wrap(async () => {
      await requireBackend();
      // A head may be imported before start-up has loaded the built-in encoder it scores.
      await ensureFaceStack(requireConfig().baseUrl);
      return finetune.importTrainedHead(encoderId, modelJson, weightsBin, metaJson);
    });
  },

  submission(
    jobId: number,
    onProgress: Progress,
    encoderId: EncoderId,
    detect: boolean,
  ): Promise<Result<finetune.SubmissionCsv>> {
    return backendJob(jobId, async (signal) => {
      // The test images are encoded now, so the encoders must be up.
      await ensureFaceStack(requireConfig().baseUrl, signal);
      return finetune.submissionCsv(encoderId, detect, signal, onProgress ?? undefined);
    });
  },

  /** What is in browser storage now (for noticing data the browser removed between visits). */
  savedInventory(): Promise<Result<SavedInventory>> {
    return wrap(async () => ({
      encoders: await models.savedEncoderIds(),
      ...(await finetune.savedTrainingData()),
    }));
  },

  cacheStats(): Promise<Result<EncoderCacheStats[]>> {
    return wrap(() => finetune.cacheStats());
  },

  clearCache(identityPrefix: string | null): Promise<Result<void>> {
    return wrap(() => finetune.clearCache(identityPrefix));
  },

  /** Trains and evaluates every chosen encoder with one recipe on one split. */
  compareEncoders(
    jobId: number,
    onProgress: ((p: CompareProgress) => void) | null,
    settings: CompareSettings,
  ): Promise<Result<ComparisonReport>> {
    return backendJob(jobId, async (signal) => {
      await ensureFaceStack(requireConfig().baseUrl, signal);
      return compareEncoders(settings, signal, onProgress ?? undefined);
    });
  },

  datasetThumbnails(paths: string[], size: number): Promise<Result<Array<ImageData | null>>> {
    return wrap(() => finetune.datasetThumbnails(paths, size));
  },

  embeddedCount(encoderId: EncoderId, detect: boolean): number {
    return finetune.embeddedCount(encoderId, detect);
  },
};
