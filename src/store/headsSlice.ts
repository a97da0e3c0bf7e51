import type { StateCreator } from 'zustand';
import type { EncoderId } from '../ml/encoders/types';
import type { HeadSource } from '../ml/pair/head-choice';
import { errorMessage } from '../lib/errors';
import { readJson, writeJson } from '../lib/local-json';
import { job, mlWorker } from '../worker/client';
import type { BuiltInHeadInfo } from '../worker/builtin-heads';
import type { NotificationsSlice } from './notificationsSlice';
import type { PairSlice } from './pairSlice';
import type { FamilySlice } from './familySlice';

/** localStorage key of the user's head choice per encoder. */
export const HEAD_CHOICE_KEY = 'kinlens-head-choice';

export type HeadChoice = Partial<Record<EncoderId, HeadSource>>;

export interface HeadsSlice {
  builtInHeads: BuiltInHeadInfo[];
  builtInHeadsLoading: boolean;
  headChoice: HeadChoice;
  /** MODEL_CARD.md text per built-in head, once read. */
  modelCards: Partial<Record<EncoderId, string>>;
  loadModelCard: (encoderId: EncoderId) => Promise<void>;
  /** Tells the worker the remembered choice (before anything is scored). */
  sendHeadChoice: () => Promise<void>;
  loadBuiltInHeads: () => Promise<void>;
  /** 'built-in': use the shipped head again; 'user': the user's own (also after training). */
  chooseHeadSource: (encoderId: EncoderId, source: HeadSource) => Promise<void>;
}

function rememberedChoice(): HeadChoice {
  const value = readJson(HEAD_CHOICE_KEY);
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v === 'built-in' || v === 'user'),
  ) as HeadChoice;
}

export const createHeadsSlice: StateCreator<
  HeadsSlice & PairSlice & FamilySlice & NotificationsSlice,
  [],
  [],
  HeadsSlice
> = (set, get) => ({
  builtInHeads: [],
  builtInHeadsLoading: true,
  headChoice: rememberedChoice(),
  modelCards: {},

  loadModelCard: async (encoderId) => {
    const head = get().builtInHeads.find((h) => h.encoderId === encoderId);
    if (!head || get().modelCards[encoderId] !== undefined) return;
    let text: string;
    try {
      const response = await fetch(new URL(head.cardUrl, document.baseURI));
      text = response.ok
        ? await response.text()
        : `The model card could not be read (${head.cardUrl}: HTTP ${response.status}).`;
    } catch (e) {
      text = `The model card could not be read (${head.cardUrl}: ${errorMessage(e)}).`;
    }
    set((s) => ({ modelCards: { ...s.modelCards, [encoderId]: text } }));
  },

  sendHeadChoice: async () => {
    await mlWorker().setHeadPreferences(get().headChoice);
  },

  loadBuiltInHeads: async () => {
    set({ builtInHeadsLoading: true });
    try {
      const heads = await job((id, p) => mlWorker().loadBuiltInHeads(id, p));
      set({ builtInHeads: heads });
      for (const h of heads.filter((x) => x.state === 'error')) {
        get().notify(
          'warning',
          `The built-in kinship model could not be loaded (${(h.error ?? '').replace(/\.$/, '')}). Pairs show face ` +
            'similarity only until you train or import a head (Fine-tune tab).',
        );
      }
    } catch (e) {
      get().notify(
        'warning',
        `The built-in kinship models could not be loaded: ${errorMessage(e)}`,
      );
    } finally {
      set({ builtInHeadsLoading: false });
    }
    void get().rescore();
    void get().scoreFamilyMatrix();
  },

  chooseHeadSource: async (encoderId, source) => {
    const headChoice = { ...get().headChoice, [encoderId]: source };
    set({ headChoice });
    writeJson(HEAD_CHOICE_KEY, headChoice);
    await get().sendHeadChoice();
    void get().rescore();
    void get().scoreFamilyMatrix();
  },
});
