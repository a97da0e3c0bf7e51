/**
 * Small seeded pseudo-random helpers. Splits, pair sampling and bootstrap resampling must be
 * reproducible from a seed across the worker, Node tests and the CLI, so nothing in src/data
 * or src/ml/metrics uses Math.random.
 */

/** A generator of floats in [0, 1). */
export type Rng = () => number;

/** mulberry32: a tiny 32-bit generator, plenty for sampling (not for cryptography). */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Fisher–Yates shuffle in place; returns the same array. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}

/** `k` distinct integers from [0, n), in random order (partial Fisher–Yates). */
export function sampleIndices(n: number, k: number, rng: Rng): number[] {
  const count = Math.min(Math.max(0, Math.floor(k)), n);
  const pool = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + randomInt(rng, n - i);
    const tmp = pool[i] as number;
    pool[i] = pool[j] as number;
    pool[j] = tmp;
  }
  return pool.slice(0, count);
}

/**
 * A new 32-bit seed derived from a seed and a stream label, so independent consumers of one
 * user seed (split, sampler, dropout, validation set) do not share a random sequence.
 */
export function deriveSeed(seed: number, stream: string | number): number {
  // FNV-1a over the label, mixed with the seed, then one murmur3 finaliser round.
  let h = 0x811c9dc5 ^ (seed >>> 0);
  const label = String(stream);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
