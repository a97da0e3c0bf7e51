import { describe, expect, it } from 'vitest';
import { deriveSeed, mulberry32, sampleIndices, shuffleInPlace } from './random';

describe('random', () => {
  it('mulberry32 is reproducible and uniform enough', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const xs = Array.from({ length: 10000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
  });

  it('shuffles into a permutation and samples distinct indices', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = shuffleInPlace([...items], mulberry32(3));
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    const picked = sampleIndices(20, 7, mulberry32(4));
    expect(new Set(picked).size).toBe(7);
    expect(picked.every((i) => i >= 0 && i < 20)).toBe(true);
    expect(sampleIndices(3, 10, mulberry32(4))).toHaveLength(3);
  });

  it('derives distinct seeds per stream', () => {
    expect(deriveSeed(1, 'a')).toBe(deriveSeed(1, 'a'));
    expect(deriveSeed(1, 'a')).not.toBe(deriveSeed(1, 'b'));
    expect(deriveSeed(1, 'a')).not.toBe(deriveSeed(2, 'a'));
  });
});
