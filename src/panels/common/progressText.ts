import type { Progress } from '../../lib/abort';

/** "a few seconds left", "about 40 s left", "about 7 min left", "about 1 h 20 min left". */
export function formatTimeLeft(seconds: number): string | null {
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 10) return 'a few seconds left';
  if (seconds < 60) return `about ${Math.round(seconds / 5) * 5} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const h = Math.floor(minutes / 60);
  const m = minutes - h * 60;
  return `about ${h} h${m ? ` ${m} min` : ''} left`;
}

/** A rate for people: one decimal below 10/s, whole numbers above. */
export function formatRate(rate: number, unit: string): string {
  const value = rate < 10 ? rate.toFixed(1) : Math.round(rate).toLocaleString('en-US');
  return `${value} ${unit}/s`;
}

/**
 * The numbers of a progress bar: "1,234 / 12,379 · 24 images/s · about 7 min left". The time
 * left is shown only while work remains and a rate is known.
 */
export function progressText(progress: Progress | null, unit = 'images'): string {
  if (!progress) return '';
  const { done, total, rate, etaSeconds } = progress;
  const parts: string[] = [];
  if (total > 0) parts.push(`${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`);
  if (rate !== undefined && Number.isFinite(rate)) parts.push(formatRate(rate, unit));
  const left = etaSeconds !== undefined && done < total ? formatTimeLeft(etaSeconds) : null;
  if (left) parts.push(left);
  return parts.join(' · ');
}
