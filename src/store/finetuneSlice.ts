import type { StateCreator } from 'zustand';
import type { Progress } from '../lib/abort';
import { errorMessage, isAbortError } from '../lib/errors';
import type { DatasetReport } from '../data/dataset';
import type { EncoderCacheStats } from '../data/embedding-cache';
import { SEED_SPLIT, type SplitSpec } from '../data/splits';
import type { EncoderId } from '../ml/encoders/types';
import { describeFlipTta } from '../finetune/flip-tta-use';
import type { EpochStats } from '../ml/head/train';
import type { HeadTrainOptions, HeadPresetName } from '../ml/head/config';
import { job, mlWorker, unwrap } from '../worker/client';
import type { MemberStart } from '../worker/training';
import { trainJob } from './trainJob';
import type {
  DatasetEntry,
  EncodeResult,
  SavedHeadInfo,
  TrainingSummary,
} from '../worker/finetune';
import type { NotificationsSlice } from './notificationsSlice';
import type { HeadsSlice } from './headsSlice';

export type JobStatus = 'idle' | 'running' | 'done' | 'error' | 'cancelled';

export interface FinetuneSlice {
  datasetStatus: JobStatus;
  datasetReport: DatasetReport | null;
  datasetError: string | null;
  datasetProgress: Progress | null;
  datasetName: string | null;

  trainEncoder: EncoderId;
  detectFacesInDataset: boolean;
  cacheFlips: boolean;
  split: SplitSpec;
  preset: HeadPresetName;
  trainOptions: Partial<HeadTrainOptions>;
  /** Heads of an ensemble trained by Train; 1 = a single head on `split`. */
  ensembleSize: number;

  encodeStatus: JobStatus;
  encodeProgress: Progress | null;
  encodeResult: EncodeResult | null;
  encodeError: string | null;

  trainStatus: JobStatus;
  trainHistory: EpochStats[];
  /** The ensemble head in training; null for a single head. */
  trainMember: MemberStart | null;
  trainSummary: TrainingSummary | null;
  trainError: string | null;
  savedHeads: SavedHeadInfo[];

  submissionStatus: JobStatus;
  /** Encoding the test images, then scoring the test pairs. */
  submissionProgress: Progress | null;
  cacheStats: EncoderCacheStats[];

  importDataset: (name: string, entries: DatasetEntry[]) => Promise<void>;
  cancelImport: () => void;
  setTrainEncoder: (id: EncoderId) => void;
  setDetectFacesInDataset: (on: boolean) => void;
  setCacheFlips: (on: boolean) => void;
  setSplit: (s: SplitSpec) => void;
  setPreset: (p: HeadPresetName) => void;
  setEnsembleSize: (n: number) => void;
  setTrainOption: <K extends keyof HeadTrainOptions>(
    key: K,
    value: HeadTrainOptions[K] | undefined,
  ) => void;
  encodeDataset: () => Promise<EncodeResult | null>;
  cancelEncode: () => void;
  trainHead: () => Promise<TrainingSummary | null>;
  stopTraining: () => void;
  refreshSavedHeads: () => Promise<void>;
  downloadSubmission: () => Promise<void>;
  refreshCacheStats: () => Promise<void>;
  clearCache: (identityPrefix: string | null) => Promise<void>;
}

let importAbort: AbortController | null = null;
let encodeAbort: AbortController | null = null;
let trainAbort: AbortController | null = null;

/** Saves a file through a temporary object URL: the only "download" the app ever makes. */
export function saveFile(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const createFinetuneSlice: StateCreator<
  FinetuneSlice & NotificationsSlice & HeadsSlice,
  [],
  [],
  FinetuneSlice
> = (set, get) => ({
  datasetStatus: 'idle',
  datasetReport: null,
  datasetError: null,
  datasetProgress: null,
  datasetName: null,
  trainEncoder: 'face-descriptor',
  detectFacesInDataset: false,
  cacheFlips: false,
  split: SEED_SPLIT,
  preset: 'default',
  trainOptions: {},
  ensembleSize: 1,
  encodeStatus: 'idle',
  encodeProgress: null,
  encodeResult: null,
  encodeError: null,
  trainStatus: 'idle',
  trainHistory: [],
  trainMember: null,
  trainSummary: null,
  trainError: null,
  savedHeads: [],
  submissionStatus: 'idle',
  submissionProgress: null,
  cacheStats: [],

  importDataset: async (name, entries) => {
    importAbort?.abort();
    const controller = new AbortController();
    importAbort = controller;
    set({
      datasetStatus: 'running',
      datasetError: null,
      datasetName: name,
      datasetProgress: { phase: 'reading folder', done: 0, total: entries.length },
      encodeResult: null,
      encodeStatus: 'idle',
      trainSummary: null,
      trainHistory: [],
      trainStatus: 'idle',
    });
    try {
      const report = await job((id, p) => mlWorker().importDataset(id, p, entries), {
        signal: controller.signal,
        onProgress: (p) => set({ datasetProgress: p }),
      });
      if (controller.signal.aborted) return;
      set({ datasetStatus: 'done', datasetReport: report, datasetProgress: null });
      if (report.testPairs === 0 && report.submissionCsv === null) return;
    } catch (e) {
      if (isAbortError(e)) {
        set({ datasetStatus: 'cancelled', datasetProgress: null });
        return;
      }
      set({ datasetStatus: 'error', datasetError: errorMessage(e), datasetProgress: null });
    }
  },

  cancelImport: () => importAbort?.abort(),
  setTrainEncoder: (id) => set({ trainEncoder: id, encodeResult: null, encodeStatus: 'idle' }),
  setDetectFacesInDataset: (on) =>
    set({ detectFacesInDataset: on, encodeResult: null, encodeStatus: 'idle' }),
  setCacheFlips: (on) => set({ cacheFlips: on }),
  setSplit: (split) => set({ split }),
  setPreset: (preset) => set({ preset, trainOptions: {} }),
  setEnsembleSize: (n) => set({ ensembleSize: Number.isInteger(n) && n >= 1 ? n : 1 }),
  setTrainOption: (key, value) =>
    set((s) => {
      const next = { ...s.trainOptions };
      if (value === undefined) delete next[key];
      else next[key] = value;
      return { trainOptions: next };
    }),

  encodeDataset: async () => {
    encodeAbort?.abort();
    const controller = new AbortController();
    encodeAbort = controller;
    const { trainEncoder, detectFacesInDataset, cacheFlips } = get();
    set({ encodeStatus: 'running', encodeError: null, encodeProgress: null });
    try {
      const result = await job(
        (id, p) =>
          mlWorker().encodeDataset(id, p, trainEncoder, {
            detect: detectFacesInDataset,
            flips: cacheFlips,
          }),
        { signal: controller.signal, onProgress: (p) => set({ encodeProgress: p }) },
      );
      set({ encodeStatus: 'done', encodeResult: result });
      if (result.notSaved) get().notify('warning', result.notSaved.summary);
      if (result.failed.length > 0) {
        get().notify(
          'warning',
          `${result.failed.length} image${result.failed.length === 1 ? '' : 's'} could not be encoded and were left out (first: ${result.failed[0]?.message ?? ''}).`,
        );
      }
      void get().refreshCacheStats();
      return result;
    } catch (e) {
      if (isAbortError(e)) {
        set({ encodeStatus: 'cancelled' });
        get().notify(
          'info',
          'Encoding cancelled. Everything encoded so far is cached and will not be redone.',
        );
        void get().refreshCacheStats();
        return null;
      }
      set({ encodeStatus: 'error', encodeError: errorMessage(e) });
      return null;
    }
  },

  cancelEncode: () => encodeAbort?.abort(),

  trainHead: async () => {
    trainAbort?.abort();
    const controller = new AbortController();
    trainAbort = controller;
    const { trainEncoder, split, preset, trainOptions, detectFacesInDataset, ensembleSize } = get();
    set({
      trainStatus: 'running',
      trainHistory: [],
      trainMember: null,
      trainError: null,
      trainSummary: null,
    });
    try {
      const summary = await trainJob(
        {
          encoderId: trainEncoder,
          split,
          preset,
          options: trainOptions,
          detect: detectFacesInDataset,
          ensembleSize,
        },
        controller.signal,
        (stats) => set((s) => ({ trainHistory: [...s.trainHistory, stats] })),
        (member) => set({ trainMember: member }),
      );
      set({ trainStatus: 'done', trainSummary: summary });
      if (summary.notSaved) get().notify('warning', summary.notSaved.summary);
      // The new head takes over for its encoder (until the user switches back).
      await get().chooseHeadSource(trainEncoder, 'user');
      void get().refreshSavedHeads();
      return summary;
    } catch (e) {
      set({ trainStatus: 'error', trainError: errorMessage(e) });
      return null;
    }
  },

  stopTraining: () => trainAbort?.abort(),

  refreshSavedHeads: async () => {
    try {
      const heads = unwrap(await mlWorker().restoreSavedHeads());
      set({ savedHeads: heads });
    } catch (e) {
      get().notify('warning', `Saved heads could not be read: ${errorMessage(e)}`);
    }
  },

  downloadSubmission: async () => {
    set({ submissionStatus: 'running', submissionProgress: null });
    try {
      const { trainEncoder, detectFacesInDataset } = get();
      const result = await job(
        (id, p) => mlWorker().submission(id, p, trainEncoder, detectFacesInDataset),
        { onProgress: (p) => set({ submissionProgress: p }) },
      );
      saveFile('submission.csv', result.csv, 'text/csv');
      set({ submissionStatus: 'done' });
      const tta = describeFlipTta(result.flipTta);
      get().notify(
        'success',
        `submission.csv written: ${result.rows} pairs${result.fallbackPairs ? ` (${result.fallbackPairs} without embeddings scored 0.5)` : ''}${tta ? `; ${tta}` : ''}.`,
      );
    } catch (e) {
      set({ submissionStatus: 'error' });
      get().notify('error', `Submission failed: ${errorMessage(e)}`);
    }
  },

  refreshCacheStats: async () => {
    try {
      set({ cacheStats: unwrap(await mlWorker().cacheStats()) });
    } catch (e) {
      get().notify('warning', `Cache size unavailable: ${errorMessage(e)}`);
    }
  },

  clearCache: async (prefix) => {
    try {
      unwrap(await mlWorker().clearCache(prefix));
      set({ encodeResult: null, encodeStatus: 'idle' });
      await get().refreshCacheStats();
      get().notify(
        'success',
        prefix ? 'Cached embeddings of this encoder cleared.' : 'All cached embeddings cleared.',
      );
    } catch (e) {
      get().notify('error', errorMessage(e));
    }
  },
});
