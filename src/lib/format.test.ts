import { describe, expect, it } from 'vitest';
import { formatBytes } from './format';

describe('formatBytes', () => {
  it('picks bytes, KB or MB so small amounts never read as 0.0 MB', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(11_264)).toBe('11 KB');
    expect(formatBytes(999_499)).toBe('999 KB');
    expect(formatBytes(94_244_608)).toBe('94.2 MB');
  });
});
