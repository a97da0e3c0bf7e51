import type { StateCreator } from 'zustand';
import type { Progress } from '../lib/abort';
import { errorMessage, isAbortError } from '../lib/errors';
import type { BuiltInStatus } from '../worker/builtins';
import { job, mlWorker, unwrap } from '../worker/client';
import type { ModelStatus } from '../worker/models';
import type { FinetuneSlice } from './finetuneSlice';
import type { NotificationsSlice } from './notificationsSlice';
import type { PairSlice } from './pairSlice';

export interface ModelsSlice {
  /** faceres, faceres-deep and the face ensemble: loaded in the background after start-up. */
  builtIns: BuiltInStatus[];
  loadBuiltInEncoders: () => Promise<void>;
  models: ModelStatus[];
  modelsRestoring: boolean;
  installing: {
    status: 'idle' | 'running' | 'error';
    progress: Progress | null;
    error: string | null;
    files: string;
  };
  restoreModels: () => Promise<void>;
  installWeights: (files: File[]) => Promise<void>;
  cancelInstall: () => void;
  removeModel: (id: ModelStatus['id']) => Promise<void>;
}

let installAbort: AbortController | null = null;

/** Asks the browser not to evict our storage (weights are ~94 MB each). Best effort. */
async function requestPersistentStorage(): Promise<boolean> {
  try {
    return (await navigator.storage?.persist?.()) ?? false;
  } catch {
    return false;
  }
}

export const createModelsSlice: StateCreator<
  ModelsSlice & PairSlice & NotificationsSlice & FinetuneSlice,
  [],
  [],
  ModelsSlice
> = (set, get) => {
  const refreshEncoders = async (): Promise<void> => {
    set({ encoderInfos: await mlWorker().encoders() });
    void get().rescore();
  };
  return {
    builtIns: [],

    loadBuiltInEncoders: async () => {
      const statuses = async (): Promise<void> =>
        set({ builtIns: await mlWorker().builtInStatuses() });
      await statuses();
      try {
        // Progress comes as each model starts loading: show its "loading…" state then.
        const done = await job((id, p) => mlWorker().prepareBuiltInEncoders(id, p), {
          onProgress: () => void statuses(),
        });
        set({ builtIns: done });
        await refreshEncoders();
        // Heads saved for these encoders in earlier sessions load now that the encoders exist.
        await get().refreshSavedHeads();
      } catch (e) {
        await statuses();
        get().notify('warning', `Built-in encoders could not be loaded: ${errorMessage(e)}`);
      }
    },

    models: [],
    // True from start-up until the first restore finishes, so the panel never shows a false "none".
    modelsRestoring: true,
    installing: { status: 'idle', progress: null, error: null, files: '' },

    restoreModels: async () => {
      set({ modelsRestoring: true, models: await mlWorker().modelStatuses() });
      try {
        const models = await job((id, p) => mlWorker().restoreModels(id, p));
        set({ models });
        await refreshEncoders();
      } catch (e) {
        get().notify('warning', `Installed encoders could not be restored: ${errorMessage(e)}`);
      } finally {
        set({ modelsRestoring: false });
      }
    },

    installWeights: async (files) => {
      installAbort?.abort();
      const controller = new AbortController();
      installAbort = controller;
      const names = files.map((f) => f.name).join(', ');
      set({ installing: { status: 'running', progress: null, error: null, files: names } });
      void requestPersistentStorage();
      try {
        const status = await job((id, p) => mlWorker().installWeights(id, p, files), {
          signal: controller.signal,
          onProgress: (p) => set((s) => ({ installing: { ...s.installing, progress: p } })),
        });
        set({
          installing: { status: 'idle', progress: null, error: null, files: '' },
          models: await mlWorker().modelStatuses(),
        });
        get().notify('success', `${status.label} installed from ${status.sourceName ?? names}.`);
        await refreshEncoders();
      } catch (e) {
        if (isAbortError(e)) {
          set({ installing: { status: 'idle', progress: null, error: null, files: '' } });
          return;
        }
        set({
          installing: { status: 'error', progress: null, error: errorMessage(e), files: names },
          models: await mlWorker().modelStatuses(),
        });
        await refreshEncoders();
      }
    },

    cancelInstall: () => installAbort?.abort(),

    removeModel: async (id) => {
      try {
        set({ models: unwrap(await mlWorker().removeModel(id)) });
        await refreshEncoders();
        get().notify('info', 'Encoder removed from this browser.');
      } catch (e) {
        get().notify('error', errorMessage(e));
      }
    },
  };
};
