import { afterEach, describe, expect, it, vi } from 'vitest';
import { create } from 'zustand';
import {
  AUTO_DISMISS_MS,
  createNotificationsSlice,
  type NotificationsSlice,
} from './notificationsSlice';

afterEach(() => vi.useRealTimers());

describe('notifications', () => {
  it('lets info and success go by themselves; warnings and errors stay until dismissed', () => {
    vi.useFakeTimers();
    const store = create<NotificationsSlice>()(createNotificationsSlice);
    const { notify } = store.getState();
    notify('success', 'saved');
    notify('info', 'cancelled');
    notify('warning', 'storage full');
    notify('error', 'broken file');
    expect(store.getState().notices.map((n) => n.level)).toEqual([
      'success',
      'info',
      'warning',
      'error',
    ]);
    vi.advanceTimersByTime(AUTO_DISMISS_MS);
    const left = store.getState().notices;
    expect(left.map((n) => n.text)).toEqual(['storage full', 'broken file']);
    store.getState().dismiss(left[0]?.id ?? -1);
    expect(store.getState().notices.map((n) => n.text)).toEqual(['broken file']);
  });

  it('keeps the six newest', () => {
    const store = create<NotificationsSlice>()(createNotificationsSlice);
    for (let i = 0; i < 8; i++) store.getState().notify('error', `e${i}`);
    expect(store.getState().notices.map((n) => n.text)).toEqual([
      'e2',
      'e3',
      'e4',
      'e5',
      'e6',
      'e7',
    ]);
  });
});
