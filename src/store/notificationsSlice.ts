import type { StateCreator } from 'zustand';

export type NoticeLevel = 'info' | 'success' | 'warning' | 'error';

export interface Notice {
  id: number;
  level: NoticeLevel;
  text: string;
}

export interface NotificationsSlice {
  notices: Notice[];
  notify: (level: NoticeLevel, text: string) => void;
  dismiss: (id: number) => void;
}

let nextNoticeId = 1;
const MAX_NOTICES = 6;
/** Info and success notices go away by themselves; warnings and errors wait to be dismissed. */
export const AUTO_DISMISS_MS = 8000;

export const createNotificationsSlice: StateCreator<NotificationsSlice> = (set) => {
  const dismiss = (id: number): void =>
    set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
  return {
    notices: [],
    notify: (level, text) => {
      const id = nextNoticeId++;
      set((s) => ({ notices: [...s.notices, { id, level, text }].slice(-MAX_NOTICES) }));
      if (level === 'info' || level === 'success') setTimeout(() => dismiss(id), AUTO_DISMISS_MS);
    },
    dismiss,
  };
};
