import { describe, expect, it } from 'vitest';
import { KinshipError } from '../lib/errors';
import { SEED_SPLIT, assertUsableSplit, rotationSplit, splitFamilies } from './splits';

const FAMILIES = Array.from({ length: 120 }, (_, i) => `F${String(i * 8 + 1).padStart(4, '0')}`);

function expectDisjointCover(train: string[], validation: string[], all: string[]): void {
  const v = new Set(validation);
  expect(train.filter((f) => v.has(f))).toEqual([]);
  expect([...train, ...validation].sort()).toEqual([...new Set(all)].sort());
}

describe('splitFamilies', () => {
  it('defaults to the seed split: families F09xx are validation', () => {
    const split = splitFamilies(FAMILIES);
    expect(split.spec).toEqual(SEED_SPLIT);
    expect(split.validation.length).toBeGreaterThan(0);
    expect(split.validation.every((f) => f.startsWith('F09'))).toBe(true);
    expect(split.train.some((f) => f.startsWith('F09'))).toBe(false);
    expectDisjointCover(split.train, split.validation, FAMILIES);
  });

  it('rotates the held-out prefix F00…F09 and never puts a family on both sides', () => {
    const seen = new Set<string>();
    for (let fold = 0; fold < 10; fold++) {
      const split = splitFamilies(FAMILIES, rotationSplit(fold));
      expect(split.validation.every((f) => f.startsWith(`F0${fold}`))).toBe(true);
      expectDisjointCover(split.train, split.validation, FAMILIES);
      for (const f of split.validation) {
        expect(seen.has(f)).toBe(false);
        seen.add(f);
      }
    }
    expect(seen.size).toBe(FAMILIES.length); // the ten folds cover every family once
    expect(() => rotationSplit(10)).toThrow(RangeError);
  });

  it('holds out a seeded random fraction of families, reproducibly', () => {
    const spec = { kind: 'random', fraction: 0.2, seed: 42 } as const;
    const a = splitFamilies(FAMILIES, spec);
    const b = splitFamilies([...FAMILIES].reverse(), spec);
    expect(a.validation).toHaveLength(24);
    expect(b).toEqual(a);
    expectDisjointCover(a.train, a.validation, FAMILIES);
    const c = splitFamilies(FAMILIES, { ...spec, seed: 43 });
    expect(c.validation).not.toEqual(a.validation);
    expect(() => splitFamilies(FAMILIES, { ...spec, fraction: 1 })).toThrow(RangeError);
  });

  it('keeps one family on each side for tiny sets and flags empty sides', () => {
    const tiny = splitFamilies(['F0001', 'F0002'], { kind: 'random', fraction: 0.9, seed: 1 });
    expect(tiny.train).toHaveLength(1);
    expect(tiny.validation).toHaveLength(1);
    const none = splitFamilies(['F0001', 'F0002'], SEED_SPLIT);
    expect(() => assertUsableSplit(none)).toThrow(KinshipError);
    expect(() => assertUsableSplit(none)).toThrow(/No validation families.*F09/);
  });
});
