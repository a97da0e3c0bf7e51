import type { StateCreator } from 'zustand';

export type TabId = 'pair' | 'finetune' | 'compare' | 'models' | 'backend';

export interface UiSlice {
  activeTab: TabId;
  setActiveTab: (tab: TabId) => void;
}

export const createUiSlice: StateCreator<UiSlice> = (set) => ({
  activeTab: 'pair',
  setActiveTab: (tab) => set({ activeTab: tab }),
});
