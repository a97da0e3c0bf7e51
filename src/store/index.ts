import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { createBackendSlice, type BackendSlice } from './backendSlice';
import { createNotificationsSlice, type NotificationsSlice } from './notificationsSlice';
import { createPairSlice, type PairSlice } from './pairSlice';
import { createFinetuneSlice, type FinetuneSlice } from './finetuneSlice';
import { createCompareSlice, type CompareSlice } from './compareSlice';
import { createUiSlice, type UiSlice } from './uiSlice';
import { createModelsSlice, type ModelsSlice } from './modelsSlice';
import { createStorageSlice, type StorageSlice } from './storageSlice';
import { createHeadsSlice, type HeadsSlice } from './headsSlice';
import { createFamilySlice, type FamilySlice } from './familySlice';

/** The app store, composed from typed slices. The only module that imports zustand. */
export type AppState = BackendSlice &
  NotificationsSlice &
  PairSlice &
  FinetuneSlice &
  CompareSlice &
  UiSlice &
  ModelsSlice &
  StorageSlice &
  HeadsSlice &
  FamilySlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createNotificationsSlice(...a),
  ...createBackendSlice(...a),
  ...createPairSlice(...a),
  ...createFinetuneSlice(...a),
  ...createCompareSlice(...a),
  ...createUiSlice(...a),
  ...createModelsSlice(...a),
  ...createStorageSlice(...a),
  ...createHeadsSlice(...a),
  ...createFamilySlice(...a),
}));

// Whatever refreshes the lists of saved encoders, heads or cached embeddings also refreshes the
// record used to notice data the browser removes between visits.
useAppStore.subscribe((state, previous) => {
  if (
    state.models !== previous.models ||
    state.savedHeads !== previous.savedHeads ||
    state.cacheStats !== previous.cacheStats
  ) {
    state.rememberSavedData();
  }
});

/** Select several fields at once without re-rendering when unrelated state changes. */
export function useAppState<T>(selector: (s: AppState) => T): T {
  return useAppStore(useShallow(selector));
}
