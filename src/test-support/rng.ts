/** Seeded randomness for generated weights and images: the app's own mulberry32 (lib/random). */
import { mulberry32 } from '../lib/random';

export { mulberry32 };

/** `n` values uniform in [lo, hi). */
export function uniformArray(rand: () => number, n: number, lo: number, hi: number): Float32Array {
  const out = new Float32Array(n);
  const span = hi - lo;
  for (let i = 0; i < n; i++) out[i] = lo + span * rand();
  return out;
}
