import type { StateCreator } from 'zustand';
import type { DetectorKind } from '../ml/face/detect';
import type { GroupScores } from '../ml/pair/score';
import type { EncoderInfo } from '../ml/encoders/types';
import { errorMessage, isAbortError } from '../lib/errors';
import { job, mlWorker } from '../worker/client';
import type { FaceChoice, PhotoAnalysis } from '../worker/photos';
import type { NotificationsSlice } from './notificationsSlice';
import type { FamilySlice } from './familySlice';
import { analyzeFile, noFaceMessage, releaseAnalysis } from './photoAnalysis';

export type SideId = 'a' | 'b';

/** One photo of a person: the file (kept to detect again), its faces and the chosen one. */
export interface PairPhoto {
  key: number;
  file: File;
  name: string;
  status: 'analyzing' | 'ready';
  analysis: PhotoAnalysis | null;
  /** Chosen face; null while the photo has no face and "whole image" is not picked. */
  choice: FaceChoice | null;
  /** Set for a photo without a face, until a face or the whole image is chosen. */
  note: string | null;
  /** The analysis step under way ("finding faces", …) while analysing. */
  step: string | null;
}

export interface ScoringState {
  status: 'idle' | 'scoring' | 'done' | 'error';
  result: GroupScores | null;
  error: string | null;
  /** Wall time from the request to the scores, ms. */
  ms: number | null;
  /**
   * True while `result` holds only the quick face-descriptor card and the other encoders are
   * still being scored (the descriptor answers first, so the first verdict does not wait for them).
   */
  partial?: boolean;
}

export interface PairSlice {
  faceStack: { status: 'idle' | 'loading' | 'ready' | 'error'; error: string | null };
  encoderInfos: EncoderInfo[];
  sides: Record<SideId, PairPhoto[]>;
  /** The last problem per side (a file that could not be read); earlier photos stay. */
  sideErrors: Record<SideId, string | null>;
  tta: boolean;
  detector: DetectorKind;
  scoring: ScoringState;
  prepareFaceStack: () => Promise<void>;
  addPhotos: (side: SideId, files: readonly File[]) => Promise<void>;
  /** A pasted photo goes to the first side without photos (else to person B). */
  pastePhoto: (file: File) => Promise<void>;
  replacePhoto: (side: SideId, key: number, file: File) => Promise<void>;
  removePhoto: (side: SideId, key: number) => void;
  clearSide: (side: SideId) => void;
  swapSides: () => void;
  chooseFace: (side: SideId, key: number, choice: FaceChoice) => void;
  setTta: (on: boolean) => void;
  /** Changes the detector and finds the faces of the photos already loaded again. */
  setDetector: (d: DetectorKind) => Promise<void>;
  rescore: () => Promise<void>;
  /** Runs every face net and head once on synthetic input while the page idles. */
  warmUp: () => Promise<void>;
}

let nextKey = 1;
let scoreRequest = 0;
let scoreAbort: AbortController | null = null;
/** Latest analysis per photo key: a stale answer never overwrites a newer one. */
const photoRequest = new Map<number, number>();
let nextRequest = 1;

export const createPairSlice: StateCreator<
  PairSlice & NotificationsSlice & Pick<FamilySlice, 'scoreFamilyMatrix'>,
  [],
  [],
  PairSlice
> = (set, get) => {
  const patchPhoto = (side: SideId, key: number, patch: Partial<PairPhoto>): void =>
    set((s) => ({
      sides: {
        ...s.sides,
        [side]: s.sides[side].map((p) => (p.key === key ? { ...p, ...patch } : p)),
      },
    }));
  const setSideError = (side: SideId, error: string | null): void =>
    set((s) => ({ sideErrors: { ...s.sideErrors, [side]: error } }));
  const dropPhoto = (side: SideId, key: number): void =>
    set((s) => ({ sides: { ...s.sides, [side]: s.sides[side].filter((p) => p.key !== key) } }));

  /**
   * Finds the faces of `file` for the photo `key` (new, replaced or re-detected). On failure a
   * new photo is dropped again and an existing one keeps its previous analysis.
   */
  const analyse = async (
    side: SideId,
    key: number,
    file: File,
    keepChoice: boolean,
  ): Promise<void> => {
    const request = nextRequest++;
    photoRequest.set(key, request);
    const current = () =>
      (['a', 'b'] as const)
        .flatMap((sd) => get().sides[sd].map((p) => ({ sd, p })))
        .find((x) => x.p.key === key);
    try {
      const analysis = await analyzeFile(file, get().detector, (step) => {
        const where = current();
        if (where && photoRequest.get(key) === request) patchPhoto(where.sd, key, { step });
      });
      const where = current();
      if (photoRequest.get(key) !== request || !where) {
        releaseAnalysis(analysis);
        return;
      }
      if (where.p.analysis) releaseAnalysis(where.p.analysis);
      const previous = where.p.choice;
      const hasFace = analysis.faces.length > 0;
      const choice: FaceChoice | null =
        keepChoice && previous === 'whole'
          ? 'whole'
          : keepChoice && typeof previous === 'number' && previous < analysis.faces.length
            ? previous
            : hasFace
              ? 0
              : null;
      patchPhoto(where.sd, key, {
        status: 'ready',
        file,
        name: analysis.name,
        analysis,
        choice,
        note: choice === null ? noFaceMessage(analysis.name) : null,
        step: null,
      });
      setSideError(where.sd, null);
      void get().rescore();
    } catch (e) {
      const where = current();
      if (photoRequest.get(key) !== request || !where || isAbortError(e)) return;
      setSideError(where.sd, errorMessage(e));
      if (where.p.analysis) patchPhoto(where.sd, key, { status: 'ready', step: null });
      else dropPhoto(where.sd, key);
    }
  };

  return {
    faceStack: { status: 'idle', error: null },
    encoderInfos: [],
    sides: { a: [], b: [] },
    sideErrors: { a: null, b: null },
    tta: false,
    detector: 'ssd',
    scoring: { status: 'idle', result: null, error: null, ms: null },

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

    addPhotos: async (side, files) => {
      const added: PairPhoto[] = files.map((file) => ({
        key: nextKey++,
        file,
        name: file.name || 'pasted image',
        status: 'analyzing',
        analysis: null,
        choice: null,
        note: null,
        step: null,
      }));
      set((s) => ({ sides: { ...s.sides, [side]: [...s.sides[side], ...added] } }));
      setSideError(side, null);
      // One at a time: the worker runs one model at a time anyway, and the first face shows sooner.
      for (const photo of added) await analyse(side, photo.key, photo.file, false);
    },

    pastePhoto: async (file) => {
      const { a, b } = get().sides;
      const side: SideId = a.length === 0 ? 'a' : b.length === 0 ? 'b' : 'b';
      await get().addPhotos(side, [file]);
    },

    replacePhoto: async (side, key, file) => {
      patchPhoto(side, key, { status: 'analyzing', name: file.name || 'pasted image' });
      await analyse(side, key, file, false);
    },

    removePhoto: (side, key) => {
      const photo = get().sides[side].find((p) => p.key === key);
      photoRequest.delete(key);
      if (photo?.analysis) releaseAnalysis(photo.analysis);
      dropPhoto(side, key);
      void get().rescore();
    },

    clearSide: (side) => {
      for (const p of get().sides[side]) {
        photoRequest.delete(p.key);
        if (p.analysis) releaseAnalysis(p.analysis);
      }
      set((s) => ({
        sides: { ...s.sides, [side]: [] },
        sideErrors: { ...s.sideErrors, [side]: null },
      }));
      void get().rescore();
    },

    swapSides: () => {
      set((s) => ({
        sides: { a: s.sides.b, b: s.sides.a },
        sideErrors: { a: s.sideErrors.b, b: s.sideErrors.a },
      }));
      void get().rescore();
    },

    chooseFace: (side, key, choice) => {
      patchPhoto(side, key, { choice, note: null });
      void get().rescore();
    },

    setTta: (on) => {
      set({ tta: on });
      void get().rescore();
      void get().scoreFamilyMatrix();
    },

    setDetector: async (d) => {
      if (d === get().detector) return;
      set({ detector: d });
      const photos = (['a', 'b'] as const).flatMap((side) =>
        get().sides[side].map((p) => ({ side, p })),
      );
      for (const { side, p } of photos) {
        patchPhoto(side, p.key, { status: 'analyzing' });
        await analyse(side, p.key, p.file, true);
      }
    },

    warmUp: async () => {
      try {
        await job((id, p) => mlWorker().warmUp(id, p));
      } catch {
        // Only a speed-up: the first photo then warms the models itself.
      }
    },

    rescore: async () => {
      const refs = (side: SideId) =>
        get()
          .sides[side].filter((p) => p.analysis && p.choice !== null)
          .map((p) => ({
            photoId: (p.analysis as PhotoAnalysis).photoId,
            choice: p.choice as FaceChoice,
          }));
      const a = refs('a');
      const b = refs('b');
      scoreAbort?.abort();
      const request = ++scoreRequest;
      if (a.length === 0 || b.length === 0) {
        set({ scoring: { status: 'idle', result: null, error: null, ms: null } });
        return;
      }
      const controller = new AbortController();
      scoreAbort = controller;
      const started = performance.now();
      // The previous result stays on screen (marked as updating) until the new one arrives.
      set((s) => ({ scoring: { ...s.scoring, status: 'scoring', error: null, partial: false } }));
      try {
        const quick = await job(
          (id, p) => mlWorker().scorePeople(id, p, a, b, get().tta, ['face-descriptor']),
          { signal: controller.signal },
        );
        if (request !== scoreRequest) return;
        if (quick.scores.length > 0) {
          set({
            scoring: { status: 'scoring', result: quick, error: null, ms: null, partial: true },
          });
        }
        const result = await job((id, p) => mlWorker().scorePeople(id, p, a, b, get().tta), {
          signal: controller.signal,
        });
        if (request !== scoreRequest) return;
        set({ scoring: { status: 'done', result, error: null, ms: performance.now() - started } });
      } catch (e) {
        if (request !== scoreRequest || isAbortError(e)) return;
        set({ scoring: { status: 'error', result: null, error: errorMessage(e), ms: null } });
      }
    },
  };
};
