import { describe, expect, it } from 'vitest';
import { KinshipError } from '../lib/errors';
import {
  SEED_SPLIT,
  assertUsableSplit,
  describeSplit,
  ensembleSplits,
  rotationSplit,
  splitFamilies,
  type SplitSpec,
} from './splits';

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

describe('ensembleSplits', () => {
  const fiw = Array.from({ length: 1000 }, (_, i) => `F${String(i).padStart(4, '0')}`).filter(
    (_, i) => i % 7 !== 3,
  );

  it('rotates the F00…F09 prefix for 10 members of a Kaggle-layout dataset', () => {
    const specs = ensembleSplits(fiw, 10);
    expect(specs).toEqual(Array.from({ length: 10 }, (_, k) => rotationSplit(k)));
  });

  it('falls back to seeded family folds that hold out every family exactly once', () => {
    const few = fiw.slice(0, 230); // prefixes F00–F02 only
    for (const count of [10, 5, 3]) {
      const specs = ensembleSplits(few, count);
      expect(specs).toHaveLength(count);
      const seen = new Map<string, number>();
      for (const spec of specs) {
        expect(spec.kind).toBe('fold');
        const split = splitFamilies(few, spec);
        expect(split.validation.length).toBeGreaterThan(0);
        expect(split.train.length + split.validation.length).toBe(few.length);
        for (const f of split.validation) seen.set(f, (seen.get(f) ?? 0) + 1);
      }
      expect(seen.size).toBe(few.length);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
    }
    expect(describeSplit(ensembleSplits(few, 3)[1] as SplitSpec)).toBe(
      'validation: family fold 2 of 3',
    );
  });

  it('refuses more members than families', () => {
    expect(() => ensembleSplits(['F0001', 'F0002'], 3)).toThrow(/at least 3 families/);
    expect(() => ensembleSplits(fiw, 1)).toThrow(/at least 2 members/);
  });
});
