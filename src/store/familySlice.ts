import type { StateCreator } from 'zustand';
import type { Progress } from '../lib/abort';
import { errorMessage, isAbortError } from '../lib/errors';
import type { EncoderId } from '../ml/encoders/types';
import { job, mlWorker } from '../worker/client';
import type { FamilyMatrix } from '../worker/people';
import type { FaceRef, PhotoAnalysis } from '../worker/photos';
import type { NotificationsSlice } from './notificationsSlice';
import type { PairSlice } from './pairSlice';
import { analyzeFile, releaseAnalysis } from './photoAnalysis';

export interface FamilyPhoto {
  key: number;
  file: File;
  name: string;
  status: 'analyzing' | 'ready';
  analysis: PhotoAnalysis | null;
}

/** One person of the group: a name and the faces (in any of the photos) that show them. */
export interface FamilyPerson {
  id: number;
  name: string;
  faces: { photoKey: number; face: number }[];
}

export interface FamilyMatrixState {
  status: 'idle' | 'scoring' | 'done' | 'error';
  result: FamilyMatrix | null;
  /** Person ids in the order of the result's indices. */
  peopleIds: number[];
  progress: Progress | null;
  error: string | null;
  /** Wall time from the request to the matrix, ms. */
  ms: number | null;
}

export interface FamilySlice {
  pairMode: 'two' | 'family';
  familyPhotos: FamilyPhoto[];
  familyError: string | null;
  people: FamilyPerson[];
  matrix: FamilyMatrixState;
  /** Whose scores the matrix shows. */
  matrixEncoder: EncoderId;
  /** Person ids of the pair opened from the matrix. */
  openedPair: [number, number] | null;
  setPairMode: (mode: 'two' | 'family') => void;
  addFamilyPhotos: (files: readonly File[]) => Promise<void>;
  removeFamilyPhoto: (key: number) => void;
  clearFamily: () => void;
  renamePerson: (id: number, name: string) => void;
  /** Makes one person of several (the same person in several photos). */
  mergePeople: (ids: readonly number[]) => void;
  /** Undoes a merge: one person per face again. */
  separatePerson: (id: number) => void;
  setMatrixEncoder: (id: EncoderId) => void;
  openPair: (a: number | null, b?: number) => void;
  scoreFamilyMatrix: () => Promise<void>;
}

let nextPhotoKey = 1;
let nextPersonId = 1;
let matrixRequest = 0;
let matrixAbort: AbortController | null = null;

const IDLE: FamilyMatrixState = {
  status: 'idle',
  result: null,
  peopleIds: [],
  progress: null,
  error: null,
  ms: null,
};

export const createFamilySlice: StateCreator<
  FamilySlice & PairSlice & NotificationsSlice,
  [],
  [],
  FamilySlice
> = (set, get) => {
  const refsOf = (person: FamilyPerson): FaceRef[] =>
    person.faces.flatMap(({ photoKey, face }) => {
      const a = get().familyPhotos.find((p) => p.key === photoKey)?.analysis;
      return a ? [{ photoId: a.photoId, choice: face }] : [];
    });

  return {
    pairMode: 'two',
    familyPhotos: [],
    familyError: null,
    people: [],
    matrix: IDLE,
    matrixEncoder: 'face-descriptor',
    openedPair: null,

    setPairMode: (mode) => set({ pairMode: mode }),

    addFamilyPhotos: async (files) => {
      set({ familyError: null });
      for (const file of files) {
        const key = nextPhotoKey++;
        const name = file.name || 'pasted image';
        set((s) => ({
          familyPhotos: [
            ...s.familyPhotos,
            { key, file, name, status: 'analyzing', analysis: null },
          ],
        }));
        try {
          const analysis = await analyzeFile(file, get().detector);
          if (!get().familyPhotos.some((p) => p.key === key)) {
            releaseAnalysis(analysis);
            continue;
          }
          const added: FamilyPerson[] = analysis.faces.map((_, face) => ({
            id: nextPersonId,
            name: `Person ${nextPersonId++}`,
            faces: [{ photoKey: key, face }],
          }));
          set((s) => ({
            familyPhotos: s.familyPhotos.map((p) =>
              p.key === key ? { ...p, status: 'ready', analysis } : p,
            ),
            people: [...s.people, ...added],
            familyError:
              analysis.faces.length === 0 ? `No face found in ${analysis.name}.` : s.familyError,
          }));
        } catch (e) {
          set((s) => ({
            familyPhotos: s.familyPhotos.filter((p) => p.key !== key),
            familyError: errorMessage(e),
          }));
        }
      }
      await get().scoreFamilyMatrix();
    },

    removeFamilyPhoto: (key) => {
      const photo = get().familyPhotos.find((p) => p.key === key);
      if (photo?.analysis) releaseAnalysis(photo.analysis);
      set((s) => ({
        familyPhotos: s.familyPhotos.filter((p) => p.key !== key),
        people: s.people
          .map((p) => ({ ...p, faces: p.faces.filter((f) => f.photoKey !== key) }))
          .filter((p) => p.faces.length > 0),
        openedPair: null,
      }));
      void get().scoreFamilyMatrix();
    },

    clearFamily: () => {
      matrixAbort?.abort();
      for (const p of get().familyPhotos) if (p.analysis) releaseAnalysis(p.analysis);
      set({ familyPhotos: [], people: [], matrix: IDLE, openedPair: null, familyError: null });
    },

    renamePerson: (id, name) =>
      set((s) => ({ people: s.people.map((p) => (p.id === id ? { ...p, name } : p)) })),

    mergePeople: (ids) => {
      const chosen = get().people.filter((p) => ids.includes(p.id));
      if (chosen.length < 2) return;
      const [first] = chosen as [FamilyPerson];
      const merged: FamilyPerson = { ...first, faces: chosen.flatMap((p) => p.faces) };
      set((s) => ({
        people: s.people.flatMap((p) =>
          p.id === first.id ? [merged] : ids.includes(p.id) ? [] : [p],
        ),
        openedPair: null,
      }));
      void get().scoreFamilyMatrix();
    },

    separatePerson: (id) => {
      const person = get().people.find((p) => p.id === id);
      if (!person || person.faces.length < 2) return;
      const [keep, ...rest] = person.faces;
      const split: FamilyPerson[] = [
        { ...person, faces: [keep as FamilyPerson['faces'][number]] },
        ...rest.map((f) => ({ id: nextPersonId, name: `Person ${nextPersonId++}`, faces: [f] })),
      ];
      set((s) => ({
        people: s.people.flatMap((p) => (p.id === id ? split : [p])),
        openedPair: null,
      }));
      void get().scoreFamilyMatrix();
    },

    setMatrixEncoder: (id) => set({ matrixEncoder: id }),

    openPair: (a, b) => set({ openedPair: a === null || b === undefined ? null : [a, b] }),

    scoreFamilyMatrix: async () => {
      matrixAbort?.abort();
      const request = ++matrixRequest;
      const people = get().people;
      if (people.length < 2 || get().familyPhotos.some((p) => p.status === 'analyzing')) {
        if (people.length < 2) set({ matrix: IDLE });
        return;
      }
      const controller = new AbortController();
      matrixAbort = controller;
      const started = performance.now();
      set((s) => ({ matrix: { ...s.matrix, status: 'scoring', error: null, progress: null } }));
      try {
        const result = await job(
          (id, p) => mlWorker().scoreFamily(id, p, people.map(refsOf), get().tta),
          {
            signal: controller.signal,
            onProgress: (p) =>
              request === matrixRequest && set((s) => ({ matrix: { ...s.matrix, progress: p } })),
          },
        );
        if (request !== matrixRequest) return;
        set({
          matrix: {
            status: 'done',
            result,
            peopleIds: people.map((p) => p.id),
            progress: null,
            error: null,
            ms: performance.now() - started,
          },
        });
      } catch (e) {
        if (request !== matrixRequest || isAbortError(e)) return;
        set({ matrix: { ...IDLE, status: 'error', error: errorMessage(e) } });
      }
    },
  };
};
