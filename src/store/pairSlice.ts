import type { StateCreator } from 'zustand';
import type { DetectorKind } from '../ml/face/detect';
import type { EncoderScore } from '../ml/pair/score';
import type { EncoderInfo } from '../ml/encoders/types';
import { errorMessage, isAbortError } from '../lib/errors';
import { job, mlWorker } from '../worker/client';
import type { FaceChoice, PhotoAnalysis } from '../worker/photos';
import type { NotificationsSlice } from './notificationsSlice';

export type SlotId = 'a' | 'b';

export interface PhotoSlot {
  status: 'empty' | 'analyzing' | 'ready';
  /** Name of the file being analysed, or of the photo shown. */
  fileName: string | null;
  /** The last problem with this slot (bad file, no face); the previous photo stays usable. */
  error: string | null;
  analysis: PhotoAnalysis | null;
  /** Chosen face; null while the photo has no face and the user has not picked "whole image". */
  choice: FaceChoice | null;
}

export interface ScoringState {
  status: 'idle' | 'scoring' | 'done' | 'error';
  scores: EncoderScore[];
  error: string | null;
  /** Wall time from the request to the scores, ms. */
  ms: number | null;
}

export interface PairSlice {
  faceStack: { status: 'idle' | 'loading' | 'ready' | 'error'; error: string | null };
  encoderInfos: EncoderInfo[];
  slots: Record<SlotId, PhotoSlot>;
  tta: boolean;
  detector: DetectorKind;
  scoring: ScoringState;
  prepareFaceStack: () => Promise<void>;
  setPhoto: (slot: SlotId, file: File) => Promise<void>;
  chooseFace: (slot: SlotId, choice: FaceChoice) => void;
  setTta: (on: boolean) => void;
  setDetector: (d: DetectorKind) => void;
  rescore: () => Promise<void>;
}

const EMPTY_SLOT: PhotoSlot = {
  status: 'empty',
  fileName: null,
  error: null,
  analysis: null,
  choice: null,
};

// Latest request per slot and for scoring: stale answers never overwrite newer ones.
const slotRequest: Record<SlotId, number> = { a: 0, b: 0 };
let scoreRequest = 0;
let scoreAbort: AbortController | null = null;
const slotAbort: Partial<Record<SlotId, AbortController>> = {};

export const createPairSlice: StateCreator<PairSlice & NotificationsSlice, [], [], PairSlice> = (
  set,
  get,
) => {
  const patchSlot = (slot: SlotId, patch: Partial<PhotoSlot>): void =>
    set((s) => ({ slots: { ...s.slots, [slot]: { ...s.slots[slot], ...patch } } }));

  return {
    faceStack: { status: 'idle', error: null },
    encoderInfos: [],
    slots: { a: EMPTY_SLOT, b: EMPTY_SLOT },
    tta: false,
    detector: 'ssd',
    scoring: { status: 'idle', scores: [], error: null, ms: null },

    prepareFaceStack: async () => {
      if (get().faceStack.status === 'loading' || get().faceStack.status === 'ready') return;
      set({ faceStack: { status: 'loading', error: null } });
      try {
        const infos = await job((id, p) => mlWorker().prepareFaceStack(id, p));
        set({ faceStack: { status: 'ready', error: null }, encoderInfos: infos });
      } catch (e) {
        set({ faceStack: { status: 'error', error: errorMessage(e) } });
        get().notify('error', `The built-in face models could not be loaded: ${errorMessage(e)}`);
      }
    },

    setPhoto: async (slot, file) => {
      const request = ++slotRequest[slot];
      slotAbort[slot]?.abort();
      const controller = new AbortController();
      slotAbort[slot] = controller;
      patchSlot(slot, { status: 'analyzing', fileName: file.name, error: null });
      const detector = get().detector;
      try {
        const analysis = await job(
          (id, p) => mlWorker().analyzePhoto(id, p, file, file.name || 'pasted image', detector),
          { signal: controller.signal },
        );
        if (request !== slotRequest[slot]) return;
        const previous = get().slots[slot].analysis;
        if (previous) {
          previous.preview.close();
          void mlWorker().releasePhoto(previous.photoId);
        }
        const hasFace = analysis.faces.length > 0;
        patchSlot(slot, {
          status: 'ready',
          fileName: analysis.name,
          analysis,
          choice: hasFace ? 0 : null,
          error: hasFace
            ? null
            : `No face found in ${analysis.name}. If it is already a face crop, use the whole image as the face.`,
        });
        void get().rescore();
      } catch (e) {
        if (request !== slotRequest[slot] || isAbortError(e)) return;
        // Keep the previous photo (if any) usable; say what went wrong with the new one.
        const previous = get().slots[slot];
        patchSlot(slot, {
          status: previous.analysis ? 'ready' : 'empty',
          fileName: previous.analysis?.name ?? null,
          error: errorMessage(e),
        });
      }
    },

    chooseFace: (slot, choice) => {
      patchSlot(slot, { choice, error: null });
      void get().rescore();
    },

    setTta: (on) => {
      set({ tta: on });
      void get().rescore();
    },

    setDetector: (d) => set({ detector: d }),

    rescore: async () => {
      const { a, b } = get().slots;
      scoreAbort?.abort();
      if (!a.analysis || !b.analysis || a.choice === null || b.choice === null) {
        set({ scoring: { status: 'idle', scores: [], error: null, ms: null } });
        return;
      }
      const request = ++scoreRequest;
      const controller = new AbortController();
      scoreAbort = controller;
      const started = performance.now();
      set((s) => ({ scoring: { ...s.scoring, status: 'scoring', error: null } }));
      const refA = { photoId: a.analysis.photoId, choice: a.choice };
      const refB = { photoId: b.analysis.photoId, choice: b.choice };
      try {
        const scores = await job((id, p) => mlWorker().scorePair(id, p, refA, refB, get().tta), {
          signal: controller.signal,
        });
        if (request !== scoreRequest) return;
        set({ scoring: { status: 'done', scores, error: null, ms: performance.now() - started } });
      } catch (e) {
        if (request !== scoreRequest || isAbortError(e)) return;
        set({ scoring: { status: 'error', scores: [], error: errorMessage(e), ms: null } });
      }
    },
  };
};
