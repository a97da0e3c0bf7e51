import { useAppState } from '../../store';

/** Compact status of the compute backend, shown in the header; opens the Backend panel. */
export function BackendBadge({ onOpen }: { onOpen: () => void }) {
  const { status, report } = useAppState((s) => ({
    status: s.backendStatus,
    report: s.backendReport,
  }));
  const label =
    status === 'ready' && report
      ? `${report.active}${report.wasmThreads ? ` · ${report.wasmThreads} threads` : ''}`
      : status === 'starting'
        ? 'starting…'
        : status === 'error'
          ? 'no backend'
          : '…';
  return (
    <button
      type="button"
      className={`badge badge-${status}`}
      onClick={onOpen}
      data-testid="backend-badge"
      title={report?.reason ?? 'Compute backend'}
    >
      <span className="badge-dot" aria-hidden="true" />
      Compute: {label}
    </button>
  );
}
