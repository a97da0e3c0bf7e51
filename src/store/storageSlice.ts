import type { StateCreator } from 'zustand';
import { callback, mlWorker } from '../worker/client';
import type { FinetuneSlice } from './finetuneSlice';
import type { ModelsSlice } from './modelsSlice';
import type { NotificationsSlice } from './notificationsSlice';

export interface StorageSlice {
  /** Listens for the browser deleting our saved data while the app runs (once per page). */
  watchStorage: () => Promise<void>;
}

/** What each database holds, in the user's words. */
const CONTENTS: Record<string, string> = {
  'kinlens-encoders': 'installed encoders',
  'kinlens-embeddings': 'cached embeddings',
  'kinlens-heads': 'trained heads',
};

/** Clearing site data closes all our databases within a moment: one notice for all of them. */
const GATHER_MS = 300;

export const createStorageSlice: StateCreator<
  StorageSlice & ModelsSlice & FinetuneSlice & NotificationsSlice,
  [],
  [],
  StorageSlice
> = (set, get) => {
  let lost = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;

  const report = async (): Promise<void> => {
    timer = null;
    const what = [...lost].map((name) => CONTENTS[name] ?? name);
    lost = new Set();
    get().notify(
      'warning',
      `The browser deleted this site's saved data (${what.join(', ')}): site data was cleared ` +
        'or storage ran low. Everything loaded keeps working until you reload; install encoders ' +
        'and train heads again to keep them.',
    );
    set({ models: await mlWorker().modelStatuses() });
    void get().refreshCacheStats();
    void get().refreshSavedHeads();
  };

  return {
    watchStorage: async () => {
      await mlWorker().watchStorage(
        callback((databaseName: string) => {
          lost.add(databaseName);
          timer ??= setTimeout(() => void report(), GATHER_MS);
        }),
      );
    },
  };
};
