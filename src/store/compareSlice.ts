import type { StateCreator } from 'zustand';
import { errorMessage, isAbortError } from '../lib/errors';
import type { EncoderId } from '../ml/encoders/types';
import { callback, job, mlWorker } from '../worker/client';
import type { CompareProgress, ComparisonReport } from '../worker/compare';
import type { FinetuneSlice } from './finetuneSlice';
import type { NotificationsSlice } from './notificationsSlice';
import type { PairSlice } from './pairSlice';
import { readJson, writeJson } from '../lib/local-json';

const LAST_COMPARISON_KEY = 'kinlens.lastComparison';

export interface CompareSlice {
  compareSelection: EncoderId[] | null;
  compareStatus: 'idle' | 'running' | 'done' | 'error' | 'cancelled';
  compareProgress: Partial<Record<EncoderId, CompareProgress>>;
  compareError: string | null;
  comparison: ComparisonReport | null;
  bootstrapIterations: number;
  bootstrapSeed: number;
  setCompareSelection: (ids: EncoderId[]) => void;
  setBootstrap: (iterations: number, seed: number) => void;
  runComparison: () => Promise<void>;
  cancelComparison: () => void;
}

function loadLastComparison(): ComparisonReport | null {
  return readJson(LAST_COMPARISON_KEY) as ComparisonReport | null;
}

let compareAbort: AbortController | null = null;

export const createCompareSlice: StateCreator<
  CompareSlice & FinetuneSlice & NotificationsSlice & PairSlice,
  [],
  [],
  CompareSlice
> = (set, get) => ({
  compareSelection: null,
  compareStatus: 'idle',
  compareProgress: {},
  compareError: null,
  comparison: loadLastComparison(),
  bootstrapIterations: 1000,
  bootstrapSeed: 1,
  setCompareSelection: (ids) => set({ compareSelection: ids }),
  setBootstrap: (iterations, seed) =>
    set({
      bootstrapIterations: Math.max(1000, Math.round(iterations)),
      bootstrapSeed: Math.round(seed),
    }),

  runComparison: async () => {
    compareAbort?.abort();
    const controller = new AbortController();
    compareAbort = controller;
    const s = get();
    // No explicit choice yet means every available encoder, as the checkboxes show.
    const encoderIds = s.compareSelection ?? s.encoderInfos.map((e) => e.id);
    set({ compareStatus: 'running', compareProgress: {}, compareError: null });
    try {
      const report = await job(
        (id) =>
          mlWorker().compareEncoders(
            id,
            callback((p: CompareProgress) =>
              set((st) => ({ compareProgress: { ...st.compareProgress, [p.encoderId]: p } })),
            ),
            {
              encoderIds,
              split: s.split,
              options: { ...s.trainOptions, preset: s.preset },
              detect: s.detectFacesInDataset,
              bootstrapIterations: s.bootstrapIterations,
              bootstrapSeed: s.bootstrapSeed,
            },
          ),
        { signal: controller.signal },
      );
      set({ compareStatus: 'done', comparison: report });
      // If storage is full, the comparison stays on screen but will not survive a reload.
      writeJson(LAST_COMPARISON_KEY, report);
      void get().refreshSavedHeads();
    } catch (e) {
      if (isAbortError(e)) {
        set({ compareStatus: 'cancelled' });
        return;
      }
      set({ compareStatus: 'error', compareError: errorMessage(e) });
    }
  },

  cancelComparison: () => compareAbort?.abort(),
});
