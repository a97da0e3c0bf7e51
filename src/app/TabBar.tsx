import { useRef, type KeyboardEvent } from 'react';
import type { TabId } from '../store/uiSlice';

export interface TabSpec {
  id: TabId;
  label: string;
}

/** The key's target tab: ArrowLeft/ArrowRight wrap around, Home/End go to the ends. */
export function tabForKey(key: string, tabs: readonly TabSpec[], current: TabId): TabId | null {
  const i = tabs.findIndex((t) => t.id === current);
  const n = tabs.length;
  const to =
    key === 'ArrowRight'
      ? (i + 1) % n
      : key === 'ArrowLeft'
        ? (i - 1 + n) % n
        : key === 'Home'
          ? 0
          : key === 'End'
            ? n - 1
            : -1;
  return to < 0 ? null : (tabs[to]?.id ?? null);
}

/**
 * WAI-ARIA tabs: one tab stop (the selected tab; the others have tabindex -1), arrow keys,
 * Home and End move the focus and select the tab they land on.
 */
export function TabBar({
  tabs,
  active,
  onSelect,
}: {
  tabs: readonly TabSpec[];
  active: TabId;
  onSelect: (id: TabId) => void;
}) {
  const buttons = useRef(new Map<TabId, HTMLButtonElement>());
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const to = tabForKey(e.key, tabs, active);
    if (to === null) return;
    e.preventDefault();
    onSelect(to);
    buttons.current.get(to)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="Sections" onKeyDown={onKeyDown}>
      {tabs.map((t) => (
        <button
          key={t.id}
          ref={(el) => {
            if (el) buttons.current.set(t.id, el);
            else buttons.current.delete(t.id);
          }}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={t.id === active}
          aria-controls={`tabpanel-${t.id}`}
          tabIndex={t.id === active ? 0 : -1}
          className="tab"
          onClick={() => onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
