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

export const createNotificationsSlice: StateCreator<NotificationsSlice> = (set) => ({
  notices: [],
  notify: (level, text) =>
    set((s) => ({
      notices: [...s.notices, { id: nextNoticeId++, level, text }].slice(-MAX_NOTICES),
    })),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
});
