/**
 * Terminal progress for long CLI steps, on stderr: one updating line with a bar, rate and ETA
 * on a TTY; plain lines (at most one per phase and 10 %) when output goes to a file or a pipe.
 */
import type { Progress } from '../../src/lib/abort';

export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** One progress line, e.g. "encoding [#####.....] 120/240 · 8.1 images/s · ETA 15s". */
export function formatProgress(p: Progress, width = 24): string {
  const fraction = p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
  const filled = Math.round(fraction * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const parts = [`${p.phase} ${bar} ${p.done}/${p.total}`];
  if (p.message) parts.push(p.message);
  if (p.rate !== undefined) parts.push(`${p.rate.toFixed(1)} images/s`);
  if (p.etaSeconds !== undefined) parts.push(`ETA ${formatEta(p.etaSeconds)}`);
  return parts.join(' · ');
}

export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export class ProgressBar {
  private lastPhase = '';
  private lastDecile = -1;
  private open = false;

  constructor(private readonly out: ProgressSink = process.stderr) {}

  readonly update = (p: Progress): void => {
    const line = formatProgress(p);
    if (this.out.isTTY) {
      const max = Math.max(20, (this.out.columns ?? 100) - 1);
      this.out.write(`\r${line.slice(0, max).padEnd(max)}`);
      this.open = true;
      return;
    }
    const decile = p.total > 0 ? Math.floor((10 * p.done) / p.total) : 0;
    if (p.phase === this.lastPhase && decile === this.lastDecile) return;
    this.lastPhase = p.phase;
    this.lastDecile = decile;
    this.out.write(`${line}\n`);
  };

  /** Ends the updating line, so the next output starts on its own line. */
  done(): void {
    if (this.open) this.out.write('\n');
    this.open = false;
  }

  /** A plain message on its own line. */
  log(text: string): void {
    this.done();
    this.out.write(`${text}\n`);
  }
}
