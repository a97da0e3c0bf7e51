import type { Progress } from '../../lib/abort';

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '—';
  if (s < 60) return `${Math.ceil(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** A labelled progress bar with done/total, rate and ETA when known. */
export function ProgressBar({
  progress,
  label,
  unit = 'images',
}: {
  progress: Progress | null;
  label: string;
  unit?: string;
}) {
  const done = progress?.done ?? 0;
  const total = progress?.total ?? 0;
  return (
    <div className="progress" data-testid="progress">
      <div className="progress-label">
        <span>
          {label}
          {progress?.phase ? ` — ${progress.phase}` : ''}
        </span>
        <span className="muted small" data-testid="progress-text">
          {total > 0 ? `${done} / ${total}` : ''}
          {progress?.rate !== undefined ? ` · ${progress.rate.toFixed(1)} ${unit}/s` : ''}
          {progress?.etaSeconds !== undefined
            ? ` · ${formatSeconds(progress.etaSeconds)} left`
            : ''}
        </span>
      </div>
      <progress max={total || 1} value={total ? done : undefined} aria-label={label} />
    </div>
  );
}
