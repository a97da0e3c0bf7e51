import { describe, expect, it } from 'vitest';
import { formatEta, formatProgress, ProgressBar } from './progress-bar';

describe('CLI progress', () => {
  it('formats a bar with count, rate and ETA', () => {
    expect(
      formatProgress({ phase: 'encoding', done: 30, total: 120, rate: 8.04, etaSeconds: 11.2 }, 8),
    ).toBe('encoding [##......] 30/120 · 8.0 images/s · ETA 11s');
    expect(formatEta(75)).toBe('1m15s');
    expect(formatEta(3 * 3600 + 5 * 60)).toBe('3h05m');
    expect(formatEta(Number.NaN)).toBe('?');
  });

  it('rewrites one line on a terminal and prints plain lines (one per tenth) otherwise', () => {
    let tty = '';
    const live = new ProgressBar({ isTTY: true, columns: 60, write: (t: string) => (tty += t) });
    for (let done = 0; done <= 100; done += 5) live.update({ phase: 'encoding', done, total: 100 });
    live.done();
    expect(tty.startsWith('\r')).toBe(true);
    expect(tty.split('\n')).toHaveLength(2);
    expect(tty.split('\r')).toHaveLength(22);

    let file = '';
    const plain = new ProgressBar({ isTTY: false, write: (t: string) => (file += t) });
    for (let done = 0; done <= 100; done += 5)
      plain.update({ phase: 'encoding', done, total: 100 });
    expect(file).not.toContain('\r');
    expect(file.trim().split('\n')).toHaveLength(11);
  });
});
