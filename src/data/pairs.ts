/**
 * Pair sampling for the Siamese head. Photos are referred to by their row in the embedding
 * table, people by their index in a `PairPool`.
 *
 * - Training batches are balanced: half listed kin pairs (a random photo of each member), half
 *   non-kin pairs. Non-kin means "not listed as kin": spouses and in-laws are never listed, so
 *   they can only ever be negatives, never positives.
 * - Default negatives are two random people of the pool (as the seed notebook did); the hard
 *   negative option draws two unlisted people of the same family instead.
 * - The validation set is fixed (seeded) and exists at member-pair and image-pair level.
 */
import { KinshipError } from '../lib/errors';
import { deriveSeed, mulberry32, randomInt, sampleIndices, type Rng } from '../lib/random';
import type { Dataset } from './dataset';
import type { FamilyId, MemberId } from './ids';
import type { FamilySplit } from './splits';

export interface PoolMember {
  id: MemberId;
  family: FamilyId;
  /** Rows of this member's photos in the embedding table. */
  photos: readonly number[];
}

export interface PairPool {
  members: PoolMember[];
  /** Listed kin pairs as member indices, i < j. */
  kin: [number, number][];
  /** `i * members.length + j` for every kin pair (i < j), for O(1) "is this listed?" checks. */
  kinKeys: ReadonlySet<number>;
}

/** Photo-level pairs as embedding-table rows; label 1 = kin. */
export interface PairBatch {
  left: Int32Array;
  right: Int32Array;
  labels: Float32Array;
}

/**
 * A pool of people for sampling. Members without photos are dropped, and so are kin pairs
 * naming anyone outside the pool (e.g. the other side of a split).
 */
export function buildPairPool(
  members: readonly PoolMember[],
  kinPairs: readonly { a: MemberId; b: MemberId }[],
): PairPool {
  const kept = members.filter((m) => m.photos.length > 0);
  const index = new Map(kept.map((m, i) => [m.id, i]));
  const n = kept.length;
  const kin: [number, number][] = [];
  const kinKeys = new Set<number>();
  for (const { a, b } of kinPairs) {
    const ia = index.get(a);
    const ib = index.get(b);
    if (ia === undefined || ib === undefined || ia === ib) continue;
    const [i, j] = ia < ib ? [ia, ib] : [ib, ia];
    const key = i * n + j;
    if (kinKeys.has(key)) continue;
    kinKeys.add(key);
    kin.push([i, j]);
  }
  return { members: kept, kin, kinKeys };
}

export function isListedKin(pool: PairPool, i: number, j: number): boolean {
  const [lo, hi] = i < j ? [i, j] : [j, i];
  return pool.kinKeys.has(lo * pool.members.length + hi);
}

/**
 * Train and validation pools for a family split. `rowOf` maps a photo path to its embedding
 * row, or undefined when the photo has no embedding (undecodable, no face): it is left out.
 */
export function poolsForSplit(
  dataset: Pick<Dataset, 'members' | 'kinPairs'>,
  split: FamilySplit,
  rowOf: (photoPath: string) => number | undefined,
): { train: PairPool; validation: PairPool } {
  const toPoolMember = (m: Dataset['members'][number]): PoolMember => ({
    id: m.id,
    family: m.family,
    photos: m.photos.map(rowOf).filter((r): r is number => r !== undefined),
  });
  const trainFamilies = new Set(split.train);
  const validationFamilies = new Set(split.validation);
  const train = dataset.members.filter((m) => trainFamilies.has(m.family)).map(toPoolMember);
  const validation = dataset.members
    .filter((m) => validationFamilies.has(m.family))
    .map(toPoolMember);
  return {
    train: buildPairPool(train, dataset.kinPairs),
    validation: buildPairPool(validation, dataset.kinPairs),
  };
}

export interface PairSamplerOptions {
  seed?: number;
  /** Share of negatives drawn within a family (unlisted relatives); 0 = seed behaviour. */
  hardNegativeFraction?: number;
}

export interface PairSampler {
  /** A balanced batch: `ceil(size / 2)` kin pairs, the rest non-kin, in random order. */
  next(size: number): PairBatch;
}

export function createPairSampler(pool: PairPool, options: PairSamplerOptions = {}): PairSampler {
  const n = pool.members.length;
  if (pool.kin.length === 0) {
    throw new KinshipError('DATASET_FORMAT', 'No listed kin pairs with photos to train on.');
  }
  const hardFraction = Math.min(Math.max(options.hardNegativeFraction ?? 0, 0), 1);
  const hardPairs = hardFraction > 0 ? sameFamilyNonKin(pool) : [];
  if ((n * (n - 1)) / 2 <= pool.kin.length) {
    throw new KinshipError(
      'DATASET_FORMAT',
      'Every pair of people is listed as kin: no negatives.',
    );
  }
  const rng = mulberry32(deriveSeed(options.seed ?? 0, 'pairs'));

  const randomNonKin = (): [number, number] => {
    for (;;) {
      const i = randomInt(rng, n);
      const j = randomInt(rng, n);
      if (i !== j && !isListedKin(pool, i, j)) return [i, j];
    }
  };

  return {
    next(size: number): PairBatch {
      const left = new Int32Array(size);
      const right = new Int32Array(size);
      const labels = new Float32Array(size);
      const positives = Math.ceil(size / 2);
      const order = sampleIndices(size, size, rng);
      for (let k = 0; k < size; k++) {
        const slot = order[k] as number;
        let pair: readonly [number, number];
        if (k < positives) {
          pair = pool.kin[randomInt(rng, pool.kin.length)] as [number, number];
          labels[slot] = 1;
        } else if (hardPairs.length > 0 && rng() < hardFraction) {
          pair = hardPairs[randomInt(rng, hardPairs.length)] as [number, number];
        } else {
          pair = randomNonKin();
        }
        // Random order within the pair: the optional x1²−x2² feature is not symmetric.
        const [p, q] = rng() < 0.5 ? pair : [pair[1], pair[0]];
        left[slot] = randomPhoto(pool.members[p] as PoolMember, rng);
        right[slot] = randomPhoto(pool.members[q] as PoolMember, rng);
      }
      return { left, right, labels };
    },
  };
}

/** Pairs of people in the same family who are not listed as kin (spouses, in-laws, …). */
export function sameFamilyNonKin(pool: PairPool): [number, number][] {
  const byFamily = new Map<FamilyId, number[]>();
  pool.members.forEach((m, i) => {
    const list = byFamily.get(m.family) ?? [];
    list.push(i);
    byFamily.set(m.family, list);
  });
  const pairs: [number, number][] = [];
  for (const ids of byFamily.values()) {
    for (let x = 0; x < ids.length; x++) {
      for (let y = x + 1; y < ids.length; y++) {
        const i = ids[x] as number;
        const j = ids[y] as number;
        if (!isListedKin(pool, i, j)) pairs.push([i, j]);
      }
    }
  }
  return pairs;
}

function randomPhoto(member: PoolMember, rng: Rng): number {
  return member.photos[randomInt(rng, member.photos.length)] as number;
}

export interface ValidationPairs {
  /** Member-level pairs (pool indices): every listed kin pair plus as many seeded non-kin. */
  members: { a: Int32Array; b: Int32Array; labels: Float32Array };
  /** Photo-level pairs (table rows); `memberPair` is the index of the member pair above. */
  images: PairBatch & { memberPair: Int32Array };
  /**
   * The photo pairs that score the member pairs: every pair of up to `photosPerPersonForMembers`
   * photos of each person (3 × 3 at most), so a member score is the mean over all photo pairs of
   * the two people, as in the RFIW member-level protocol, not over a few sampled ones.
   */
  memberPhotos: { left: Int32Array; right: Int32Array; memberPair: Int32Array };
}

export interface ValidationPairsOptions {
  seed?: number;
  /** Most photo pairs drawn for one kin member pair (distinct, seeded). Default 4. */
  photoPairsPerMemberPair?: number;
  /** Photos per person (seeded pick when there are more) whose pairs score a member pair. Default 3. */
  photosPerPersonForMembers?: number;
}

/**
 * The fixed validation set. Member level: all K listed kin pairs of the pool and K distinct
 * random non-kin pairs. Image level: up to `photoPairsPerMemberPair` distinct photo pairs per
 * kin pair; the non-kin photo pairs are then dealt round-robin over the non-kin member pairs
 * until the image level has as many negatives as positives (fewer only when those people
 * have too few photos).
 */
export function buildValidationPairs(
  pool: PairPool,
  options: ValidationPairsOptions = {},
): ValidationPairs {
  const rng = mulberry32(deriveSeed(options.seed ?? 0, 'validation'));
  const perPair = Math.max(1, Math.floor(options.photoPairsPerMemberPair ?? 4));
  const positives = pool.kin.map(([i, j]): [number, number] => [i, j]);
  const negatives = distinctNonKin(pool, positives.length, rng);
  const memberPairs = [...positives, ...negatives];

  const left: number[] = [];
  const right: number[] = [];
  const labels: number[] = [];
  const owner: number[] = [];
  const push = (pairIndex: number, photoPair: [number, number], label: number): void => {
    left.push(photoPair[0]);
    right.push(photoPair[1]);
    labels.push(label);
    owner.push(pairIndex);
  };

  positives.forEach(([i, j], k) => {
    for (const pp of photoPairs(pool, i, j, perPair, rng)) push(k, pp, 1);
  });
  const target = labels.length;
  // Shuffled photo pairs per non-kin member pair, consumed one per turn. On average each needs
  // at most `perPair`; the 4× slack covers people with few photos without building huge grids.
  const queues = negatives.map(([i, j]) => photoPairs(pool, i, j, perPair * 4, rng));
  let dealt = 0;
  for (let round = 0; dealt < target; round++) {
    let progressed = false;
    for (let k = 0; k < queues.length && dealt < target; k++) {
      const pp = queues[k]?.[round];
      if (!pp) continue;
      push(positives.length + k, pp, 0);
      dealt++;
      progressed = true;
    }
    if (!progressed) break;
  }

  const cap = Math.max(1, Math.floor(options.photosPerPersonForMembers ?? 3));
  const memberRng = mulberry32(deriveSeed(options.seed ?? 0, 'member-photos'));
  const picked = pool.members.map((m) =>
    sampleIndices(m.photos.length, Math.min(cap, m.photos.length), memberRng)
      .sort((x, y) => x - y)
      .map((k) => m.photos[k] as number),
  );
  const memberPhotos = { left: [] as number[], right: [] as number[], memberPair: [] as number[] };
  memberPairs.forEach(([i, j], k) => {
    for (const a of picked[i] ?? []) {
      for (const b of picked[j] ?? []) {
        memberPhotos.left.push(a);
        memberPhotos.right.push(b);
        memberPhotos.memberPair.push(k);
      }
    }
  });

  return {
    members: {
      a: Int32Array.from(memberPairs, (p) => p[0]),
      b: Int32Array.from(memberPairs, (p) => p[1]),
      labels: Float32Array.from(memberPairs, (_, k) => (k < positives.length ? 1 : 0)),
    },
    images: {
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      labels: Float32Array.from(labels),
      memberPair: Int32Array.from(owner),
    },
    memberPhotos: {
      left: Int32Array.from(memberPhotos.left),
      right: Int32Array.from(memberPhotos.right),
      memberPair: Int32Array.from(memberPhotos.memberPair),
    },
  };
}

/** Up to `limit` distinct (photo of i, photo of j) rows in random order. */
function photoPairs(
  pool: PairPool,
  i: number,
  j: number,
  limit: number,
  rng: Rng,
): [number, number][] {
  const a = (pool.members[i] as PoolMember).photos;
  const b = (pool.members[j] as PoolMember).photos;
  const grid = a.length * b.length;
  return sampleIndices(grid, Math.min(limit, grid), rng).map((cell) => [
    a[Math.floor(cell / b.length)] as number,
    b[cell % b.length] as number,
  ]);
}

/** `count` distinct unlisted member pairs (fewer if the pool has fewer), seeded. */
function distinctNonKin(pool: PairPool, count: number, rng: Rng): [number, number][] {
  const n = pool.members.length;
  const available = (n * (n - 1)) / 2 - pool.kin.length;
  const want = Math.min(count, available);
  const chosen = new Set<number>();
  const pairs: [number, number][] = [];
  // Rejection sampling is fast while unlisted pairs are plentiful (the usual case)…
  for (let tries = 0; pairs.length < want && tries < want * 50; tries++) {
    const i = randomInt(rng, n);
    const j = randomInt(rng, n);
    if (i === j || isListedKin(pool, i, j)) continue;
    const [lo, hi] = i < j ? [i, j] : [j, i];
    if (chosen.has(lo * n + hi)) continue;
    chosen.add(lo * n + hi);
    pairs.push([lo, hi]);
  }
  // …and an exhaustive pass covers tiny pools where it would stall.
  if (pairs.length < want) {
    const rest: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (!isListedKin(pool, i, j) && !chosen.has(i * n + j)) rest.push([i, j]);
      }
    }
    for (const k of sampleIndices(rest.length, want - pairs.length, rng)) {
      pairs.push(rest[k] as [number, number]);
    }
  }
  return pairs;
}
