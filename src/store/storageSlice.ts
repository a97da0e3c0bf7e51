import type { StateCreator } from 'zustand';
import { DB_NAMES } from '../lib/idb';
import { describeLoss, readInventory, writeInventory } from '../lib/saved-inventory';
import { callback, mlWorker, unwrap } from '../worker/client';
import type { PairSlice } from './pairSlice';
import type { FinetuneSlice } from './finetuneSlice';
import type { ModelsSlice } from './modelsSlice';
import type { NotificationsSlice } from './notificationsSlice';

export interface StorageSlice {
  /** Listens for the browser deleting our saved data while the app runs (once per page). */
  watchStorage: () => Promise<void>;
  /**
   * At start-up, after saved encoders and heads are restored: says what was saved on the last
   * visit and is gone now (evicted by the browser), then keeps the record up to date.
   */
  checkSavedData: () => Promise<void>;
  /** Records what is saved now (called after anything that saves or deletes). */
  rememberSavedData: () => void;
}

/** What each database holds, in the user's words. */
const CONTENTS: Record<string, string> = {
  [DB_NAMES.encoders]: 'installed encoders',
  [DB_NAMES.embeddings]: 'cached embeddings',
  [DB_NAMES.heads]: 'trained heads',
};

/** Clearing site data closes all our databases within a moment: one notice for all of them. */
const GATHER_MS = 300;

/** Read once, as the page loads, before anything can update it. */
const inventoryAtLoad = readInventory();
const REMEMBER_DELAY_MS = 500;

export const createStorageSlice: StateCreator<
  StorageSlice & ModelsSlice & FinetuneSlice & NotificationsSlice & PairSlice,
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

  let checked = false;
  let rememberTimer: ReturnType<typeof setTimeout> | null = null;
  const labelOf = (id: string): string =>
    get().models.find((m) => m.id === id)?.label ??
    get().encoderInfos.find((e) => e.id === id)?.label ??
    id;

  return {
    checkSavedData: async () => {
      try {
        const now = unwrap(await mlWorker().savedInventory());
        const lost = inventoryAtLoad ? describeLoss(inventoryAtLoad, now, labelOf) : null;
        if (lost) {
          const persisted = await navigator.storage?.persisted?.().catch(() => false);
          get().notify(
            'warning',
            `Since your last visit the browser removed saved data of this site: ${lost}. ` +
              'Browsers do this when the disk runs low' +
              (persisted ? '.' : ' and the site’s storage is not marked persistent.') +
              ' Install or train again to get them back.',
          );
        }
        writeInventory(now);
      } catch {
        // Storage unavailable: the notices of the failing steps already say so.
      } finally {
        checked = true;
      }
    },

    rememberSavedData: () => {
      if (!checked) return; // Until the start-up check ran, the record still describes last time.
      if (rememberTimer) clearTimeout(rememberTimer);
      rememberTimer = setTimeout(() => {
        rememberTimer = null;
        void mlWorker()
          .savedInventory()
          .then((r) => writeInventory(unwrap(r)))
          .catch(() => undefined);
      }, REMEMBER_DELAY_MS);
    },

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
