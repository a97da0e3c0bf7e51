import { describe, expect, it } from 'vitest';
import { formatRate, formatTimeLeft, progressText } from './progressText';

describe('progressText', () => {
  it('reads done / total, rate and time left', () => {
    expect(
      progressText({ phase: 'encoding', done: 1234, total: 12379, rate: 24.2, etaSeconds: 460 }),
    ).toBe('1,234 / 12,379 · 24 images/s · about 8 min left');
  });

  it('drops what is unknown and the time left once everything is done', () => {
    expect(progressText(null)).toBe('');
    expect(progressText({ phase: 'checking the cache', done: 256, total: 1000 })).toBe(
      '256 / 1,000',
    );
    expect(
      progressText({ phase: 'encoding', done: 50, total: 50, rate: 3.25, etaSeconds: 0 }, 'layers'),
    ).toBe('50 / 50 · 3.3 layers/s');
  });

  it('rounds the time left the way people say it', () => {
    expect(formatTimeLeft(3)).toBe('a few seconds left');
    expect(formatTimeLeft(42)).toBe('about 40 s left');
    expect(formatTimeLeft(89)).toBe('about 1 min left');
    expect(formatTimeLeft(3600 + 20 * 60)).toBe('about 1 h 20 min left');
    expect(formatTimeLeft(7200)).toBe('about 2 h left');
    expect(formatTimeLeft(Number.POSITIVE_INFINITY)).toBeNull();
    expect(formatTimeLeft(-1)).toBeNull();
  });

  it('shows slow rates with a decimal and fast ones whole', () => {
    expect(formatRate(0.42, 'images')).toBe('0.4 images/s');
    expect(formatRate(1234.6, 'pairs')).toBe('1,235 pairs/s');
  });
});
