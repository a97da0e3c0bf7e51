import { useAppState } from '../store';

/** Handled errors and notices, announced politely to screen readers. */
export function Notifications() {
  const { notices, dismiss } = useAppState((s) => ({ notices: s.notices, dismiss: s.dismiss }));
  return (
    <div className="notices" role="status" aria-live="polite" data-testid="notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.level}`} data-testid={`notice-${n.level}`}>
          <span className="notice-text">{n.text}</span>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            onClick={() => dismiss(n.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
