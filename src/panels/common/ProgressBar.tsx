import type { Progress } from '../../lib/abort';
import { progressText } from './progressText';

/**
 * A labelled progress bar with done/total, rate and time left when known. The phase is added to
 * the label unless the label already says it ("Encoding photos" + "encoding").
 */
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
  const phase = progress?.phase ?? '';
  const showPhase = phase !== '' && !label.toLowerCase().includes(phase.toLowerCase());
  return (
    <div className="progress" data-testid="progress">
      <div className="progress-label">
        <span>
          {label}
          {showPhase ? ` — ${phase}` : ''}
        </span>
        <span className="muted small" data-testid="progress-text">
          {progressText(progress, unit)}
        </span>
      </div>
      <progress max={total || 1} value={total ? done : undefined} aria-label={label} />
    </div>
  );
}
