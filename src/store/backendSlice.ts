import type { StateCreator } from 'zustand';
import { parsePreference } from '../ml/backend/rank';
import type { BackendPreference, BackendReport } from '../ml/backend/types';
import type { SelfCheckResult } from '../ml/backend/self-check';
import { mlWorker, unwrap } from '../worker/client';
import type { NotificationsSlice } from './notificationsSlice';
import { readJson, writeJson } from '../lib/local-json';

const PREFERENCE_KEY = 'kinlens.backend';
const SELF_CHECK_KEY = 'kinlens.backendSelfCheck';

export type BackendStatus = 'idle' | 'starting' | 'ready' | 'error';

export interface BackendSlice {
  backendPreference: BackendPreference;
  backendStatus: BackendStatus;
  backendReport: BackendReport | null;
  backendError: string | null;
  /** Resolves true when a backend runs; false after an error (already reported). */
  startBackend: (preference?: BackendPreference) => Promise<boolean>;
}

function loadPreference(): BackendPreference {
  try {
    return parsePreference(globalThis.localStorage?.getItem(PREFERENCE_KEY));
  } catch {
    return 'auto';
  }
}

function loadSelfCheck(): SelfCheckResult | null {
  return readJson(SELF_CHECK_KEY) as SelfCheckResult | null;
}

/** Not cached (storage off or full): the probe simply runs again next time. */
function saveSelfCheck(result: SelfCheckResult | null): void {
  if (result) writeJson(SELF_CHECK_KEY, result);
}

function savePreference(p: BackendPreference): void {
  try {
    globalThis.localStorage?.setItem(PREFERENCE_KEY, p);
  } catch {
    // Private mode or storage disabled: the choice just won't persist.
  }
}

export const createBackendSlice: StateCreator<
  BackendSlice & NotificationsSlice,
  [],
  [],
  BackendSlice
> = (set, get) => ({
  backendPreference: loadPreference(),
  backendStatus: 'idle',
  backendReport: null,
  backendError: null,
  startBackend: async (preference) => {
    const pref = preference ?? get().backendPreference;
    savePreference(pref);
    set({ backendPreference: pref, backendStatus: 'starting', backendError: null });
    try {
      const worker = mlWorker();
      await worker.configure({ baseUrl: new URL(import.meta.env.BASE_URL, document.baseURI).href });
      const report = unwrap(await worker.initBackend(pref, loadSelfCheck()));
      saveSelfCheck(report.selfCheck);
      set({ backendReport: report, backendStatus: 'ready' });
      for (const f of report.failures) {
        get().notify(
          'warning',
          `The ${f.name} backend failed to start (${f.error}); using ${report.active} instead.`,
        );
      }
      return true;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      set({ backendStatus: 'error', backendError: message });
      get().notify('error', `No compute backend could start: ${message}`);
      return false;
    }
  },
});
