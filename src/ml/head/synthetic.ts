/**
 * Synthetic kinship embeddings for tests and benchmarks: blood relatives share a hidden family
 * vector, spouses do not (and are never listed as kin), each photo adds noise to its person.
 * Family ids F09xx form the seed's validation split.
 */
import type { Dataset } from '../../data/dataset';
import type { KinPair } from '../../data/csv';
import { poolsForSplit, type PairPool } from '../../data/pairs';
import { SEED_SPLIT, splitFamilies, type SplitSpec } from '../../data/splits';
import { mulberry32, type Rng } from '../../lib/random';

export interface SyntheticOptions {
  families: number;
  /** How many of the families get F09xx ids (validation under the seed split). */
  validationFamilies: number;
  /** Blood relatives per family; each family also has one spouse. */
  bloodMembers: number;
  photosPerMember: number;
  dim: number;
  /** Weight of the shared family vector relative to the personal one. */
  familyStrength?: number;
  /** Photo noise relative to the person vector. */
  photoNoise?: number;
  seed?: number;
}

export interface SyntheticKinData {
  dataset: Pick<Dataset, 'members' | 'kinPairs' | 'families'>;
  /** Row-major [photos, dim]; row order follows `rowOf`. */
  embeddings: Float32Array;
  /** Embeddings of "flipped" photos: the same photo with fresh small noise. */
  flipEmbeddings: Float32Array;
  rowOf: (photoPath: string) => number | undefined;
  split: SplitSpec;
  train: PairPool;
  validation: PairPool;
}

export function syntheticKinData(options: SyntheticOptions): SyntheticKinData {
  const rng = mulberry32(options.seed ?? 7);
  const { dim, photosPerMember } = options;
  const strength = options.familyStrength ?? 1;
  const noise = options.photoNoise ?? 0.3;
  const members: Dataset['members'] = [];
  const families: Dataset['families'] = [];
  const kinPairs: KinPair[] = [];
  const vectors: Float32Array[] = [];
  const flips: Float32Array[] = [];
  const rows = new Map<string, number>();

  for (let f = 0; f < options.families; f++) {
    const number = f < options.validationFamilies ? 900 + f : 100 + f;
    const family = `F${String(number).padStart(4, '0')}`;
    const familyVector = gaussian(dim, rng);
    const ids: string[] = [];
    for (let m = 1; m <= options.bloodMembers + 1; m++) {
      const id = `${family}/MID${m}`;
      const isSpouse = m === options.bloodMembers + 1;
      const personal = gaussian(dim, rng);
      const person = personal.map((v, i) => v + (isSpouse ? 0 : strength * (familyVector[i] ?? 0)));
      const photos: string[] = [];
      for (let p = 0; p < photosPerMember; p++) {
        const path = `train/${id}/P${p}.jpg`;
        rows.set(path, vectors.length);
        const photoNoise = gaussian(dim, rng);
        vectors.push(person.map((v, i) => v + noise * (photoNoise[i] ?? 0)));
        const flipNoise = gaussian(dim, rng);
        flips.push(
          person.map((v, i) => v + noise * ((photoNoise[i] ?? 0) + 0.3 * (flipNoise[i] ?? 0))),
        );
        photos.push(path);
      }
      members.push({ id, family, photos });
      ids.push(id);
    }
    families.push({ id: family, members: ids });
    // Blood relatives are listed; the spouse (last member) is in no listed pair.
    for (let a = 0; a < options.bloodMembers; a++) {
      for (let b = a + 1; b < options.bloodMembers; b++) {
        kinPairs.push({ a: ids[a] as string, b: ids[b] as string, line: kinPairs.length + 2 });
      }
    }
  }

  const embeddings = concatRows(vectors, dim);
  const dataset = { members, kinPairs, families };
  const split = SEED_SPLIT;
  const familySplit = splitFamilies(
    families.map((f) => f.id),
    split,
  );
  const rowOf = (path: string): number | undefined => rows.get(path);
  const pools = poolsForSplit(dataset, familySplit, rowOf);
  return {
    dataset,
    embeddings,
    flipEmbeddings: concatRows(flips, dim),
    rowOf,
    split,
    ...pools,
  };
}

function gaussian(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    // Box–Muller: two independent normals per pair of uniforms.
    const r = Math.sqrt(-2 * Math.log(1 - rng()));
    const theta = 2 * Math.PI * rng();
    out[i] = r * Math.cos(theta);
    if (i + 1 < n) out[i + 1] = r * Math.sin(theta);
  }
  return out;
}

function concatRows(vectors: readonly Float32Array[], dim: number): Float32Array {
  const out = new Float32Array(vectors.length * dim);
  vectors.forEach((v, i) => out.set(v, i * dim));
  return out;
}
