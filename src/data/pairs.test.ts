import { describe, expect, it } from 'vitest';
import {
  buildPairPool,
  buildValidationPairs,
  createPairSampler,
  isListedKin,
  poolsForSplit,
  sameFamilyNonKin,
  type PoolMember,
} from './pairs';
import { splitFamilies } from './splits';

/**
 * 12 families × 5 people, 3 photos each. MID1–MID4 are blood kin (all pairs listed);
 * MID5 is a spouse: same family, never listed.
 */
function fixture() {
  const members: PoolMember[] = [];
  const kin: { a: string; b: string }[] = [];
  let row = 0;
  for (let f = 0; f < 12; f++) {
    const family = `F0${f < 3 ? 9 : 1}${String(f).padStart(2, '0')}`;
    for (let m = 1; m <= 5; m++) {
      members.push({ id: `${family}/MID${m}`, family, photos: [row++, row++, row++] });
    }
    for (let a = 1; a <= 4; a++) {
      for (let b = a + 1; b <= 4; b++) kin.push({ a: `${family}/MID${a}`, b: `${family}/MID${b}` });
    }
  }
  return { members, kin, rows: row };
}

function memberOfRow(pool: ReturnType<typeof buildPairPool>): Map<number, number> {
  const map = new Map<number, number>();
  pool.members.forEach((m, i) => m.photos.forEach((r) => map.set(r, i)));
  return map;
}

describe('buildPairPool', () => {
  it('drops members without photos and kin pairs outside the pool', () => {
    const pool = buildPairPool(
      [
        { id: 'F0001/MID1', family: 'F0001', photos: [0] },
        { id: 'F0001/MID2', family: 'F0001', photos: [] },
        { id: 'F0001/MID3', family: 'F0001', photos: [1] },
      ],
      [
        { a: 'F0001/MID1', b: 'F0001/MID2' },
        { a: 'F0001/MID3', b: 'F0001/MID1' },
        { a: 'F0001/MID1', b: 'F0001/MID3' },
        { a: 'F0001/MID1', b: 'F0002/MID1' },
      ],
    );
    expect(pool.members.map((m) => m.id)).toEqual(['F0001/MID1', 'F0001/MID3']);
    expect(pool.kin).toEqual([[0, 1]]);
    expect(isListedKin(pool, 1, 0)).toBe(true);
  });
});

describe('createPairSampler', () => {
  const { members, kin } = fixture();
  const pool = buildPairPool(members, kin);
  const owner = memberOfRow(pool);

  it('draws balanced batches: kin pairs from listed pairs, negatives never listed kin', () => {
    const sampler = createPairSampler(pool, { seed: 3 });
    for (let b = 0; b < 50; b++) {
      const batch = sampler.next(64);
      expect(batch.labels.reduce((s, l) => s + l, 0)).toBe(32);
      for (let k = 0; k < 64; k++) {
        const i = owner.get(batch.left[k] as number) as number;
        const j = owner.get(batch.right[k] as number) as number;
        expect(i).not.toBe(j);
        expect(isListedKin(pool, i, j)).toBe(batch.labels[k] === 1);
      }
    }
  });

  it('never labels a spouse pair as kin, but may use it as a negative', () => {
    const sampler = createPairSampler(pool, { seed: 5, hardNegativeFraction: 1 });
    let spouseNegatives = 0;
    for (let b = 0; b < 20; b++) {
      const batch = sampler.next(32);
      for (let k = 0; k < 32; k++) {
        const a = pool.members[owner.get(batch.left[k] as number) as number] as PoolMember;
        const c = pool.members[owner.get(batch.right[k] as number) as number] as PoolMember;
        const spouse = a.id.endsWith('MID5') || c.id.endsWith('MID5');
        if (spouse) expect(batch.labels[k]).toBe(0);
        if (spouse && batch.labels[k] === 0) spouseNegatives++;
        // Hard negatives: every negative is within one family.
        if (batch.labels[k] === 0) expect(a.family).toBe(c.family);
      }
    }
    expect(spouseNegatives).toBeGreaterThan(0);
  });

  it('hard negatives are exactly the unlisted same-family pairs', () => {
    const hard = sameFamilyNonKin(pool);
    expect(hard).toHaveLength(12 * 4); // each spouse with the four blood members
    for (const [i, j] of hard) {
      expect(pool.members[i]?.family).toBe(pool.members[j]?.family);
      expect(isListedKin(pool, i, j)).toBe(false);
    }
  });

  it('default negatives mostly cross families', () => {
    const batch = createPairSampler(pool, { seed: 9 }).next(2000);
    let cross = 0;
    for (let k = 0; k < 2000; k++) {
      if (batch.labels[k] === 1) continue;
      const a = pool.members[owner.get(batch.left[k] as number) as number] as PoolMember;
      const c = pool.members[owner.get(batch.right[k] as number) as number] as PoolMember;
      if (a.family !== c.family) cross++;
    }
    expect(cross / 1000).toBeGreaterThan(0.85);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = createPairSampler(pool, { seed: 11 }).next(40);
    const b = createPairSampler(pool, { seed: 11 }).next(40);
    const c = createPairSampler(pool, { seed: 12 }).next(40);
    expect(b).toEqual(a);
    expect(c.left).not.toEqual(a.left);
  });
});

describe('buildValidationPairs', () => {
  const { members, kin } = fixture();
  const split = splitFamilies([...new Set(members.map((m) => m.family))]);
  const dataset = {
    members: members.map((m) => ({ ...m, photos: m.photos.map((r) => `p${r}`) })),
    kinPairs: kin.map((p, i) => ({ ...p, line: i + 2 })),
  };
  const { train, validation } = poolsForSplit(dataset, split, (path) => Number(path.slice(1)));

  it('splits pools by family', () => {
    expect(validation.members.every((m) => m.family.startsWith('F09'))).toBe(true);
    expect(train.members.some((m) => m.family.startsWith('F09'))).toBe(false);
    expect(validation.kin).toHaveLength(3 * 6);
  });

  it('holds every listed kin pair plus as many non-kin pairs, at both levels', () => {
    const v = buildValidationPairs(validation, { seed: 1, photoPairsPerMemberPair: 4 });
    const labels = Array.from(v.members.labels);
    expect(labels.filter((l) => l === 1)).toHaveLength(18);
    expect(labels.filter((l) => l === 0)).toHaveLength(18);
    const listed = new Set(validation.kin.map(([i, j]) => `${i}-${j}`));
    for (let k = 0; k < labels.length; k++) {
      const i = v.members.a[k] as number;
      const j = v.members.b[k] as number;
      expect(isListedKin(validation, i, j)).toBe(labels[k] === 1);
      if (labels[k] === 1) listed.delete(`${i}-${j}`);
    }
    expect(listed.size).toBe(0);

    const imageLabels = Array.from(v.images.labels);
    expect(imageLabels.filter((l) => l === 1)).toHaveLength(18 * 4);
    expect(imageLabels.filter((l) => l === 0)).toHaveLength(18 * 4);
    const owner = memberOfRow(validation);
    const distinct = new Set<string>();
    for (let k = 0; k < imageLabels.length; k++) {
      const pairIndex = v.images.memberPair[k] as number;
      expect(owner.get(v.images.left[k] as number)).toBe(v.members.a[pairIndex]);
      expect(owner.get(v.images.right[k] as number)).toBe(v.members.b[pairIndex]);
      expect(v.images.labels[k]).toBe(v.members.labels[pairIndex]);
      distinct.add(`${v.images.left[k]}-${v.images.right[k]}`);
    }
    expect(distinct.size).toBe(imageLabels.length); // photo pairs never repeat
  });

  it('scores each member pair over all photo pairs of up to 3 photos per person', () => {
    const v = buildValidationPairs(validation, { seed: 2 });
    const owner = memberOfRow(validation);
    const perPair = new Map<number, Set<string>>();
    for (let k = 0; k < v.memberPhotos.left.length; k++) {
      const pairIndex = v.memberPhotos.memberPair[k] as number;
      const left = v.memberPhotos.left[k] as number;
      const right = v.memberPhotos.right[k] as number;
      expect(owner.get(left)).toBe(v.members.a[pairIndex]);
      expect(owner.get(right)).toBe(v.members.b[pairIndex]);
      const cells = perPair.get(pairIndex) ?? new Set<string>();
      cells.add(`${left}-${right}`);
      perPair.set(pairIndex, cells);
    }
    expect(perPair.size).toBe(v.members.labels.length);
    for (const [pairIndex, cells] of perPair) {
      const a = validation.members[v.members.a[pairIndex] as number]?.photos.length ?? 0;
      const b = validation.members[v.members.b[pairIndex] as number]?.photos.length ?? 0;
      // A full grid of distinct photo pairs, capped at 3 photos a person.
      expect(cells.size).toBe(Math.min(a, 3) * Math.min(b, 3));
    }
    expect(Math.max(...[...perPair.values()].map((c) => c.size))).toBeGreaterThan(4);
    const one = buildValidationPairs(validation, { seed: 2, photosPerPersonForMembers: 1 });
    expect(one.memberPhotos.left).toHaveLength(v.members.labels.length);
  });

  it('is fixed for a seed', () => {
    expect(buildValidationPairs(validation, { seed: 4 })).toEqual(
      buildValidationPairs(validation, { seed: 4 }),
    );
  });
});
