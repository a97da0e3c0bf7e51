/**
 * Scores people, not single photos: every encoder embeds each face once, then any two groups of
 * faces (two people, each with one or more photos) are scored over all their face pairs. With a
 * head the reading is the mean kinship probability placed in the head's verdict bands; without
 * one it is only the cosine similarity of the embeddings — face similarity, not kinship.
 */
import { throwIfAborted } from '../../lib/abort';
import type { Encoder, EncoderId } from '../encoders/types';
import type { PixelImage } from '../face/pixels';
import { cosineSimilarity } from '../metrics/similarity';
import type { ResolvedHead } from './head-choice';
import { kinshipScore, samePersonCheck, type KinshipScore, type SamePerson } from './verdict';

export { cosineSimilarity as cosine } from '../metrics/similarity';

/** One face's crops, per crop kind (descriptor chip 150², 224² crop). */
export interface FaceCrops {
  descriptor: PixelImage;
  resnet: PixelImage;
}

/** Per encoder, one vector per face (same order as the faces), and the time it took. */
export interface FaceVectors {
  vectors: Map<EncoderId, Float32Array[]>;
  ms: Map<EncoderId, number>;
}

/** Remembers vectors across calls, keyed by the face's index in this call and the features. */
export interface FaceVectorCache {
  get(face: number, features: string): Float32Array | undefined;
  set(face: number, features: string, vector: Float32Array): void;
}

export interface EmbedFacesOptions {
  tta: boolean;
  /** Appended to the cache's feature key: crops that are not the plain ones (e.g. '#mirror'). */
  variant?: string;
  signal?: AbortSignal;
  cache?: FaceVectorCache;
}

/**
 * Embeds every face with every encoder, computing only what the cache lacks. Fused encoders are
 * built from their parts' vectors, so a part that is also scored on its own runs once. `ms` is
 * the time spent computing for each encoder (a fused one: its parts plus fusing).
 */
export async function embedFaces(
  faces: readonly FaceCrops[],
  encoders: readonly Encoder[],
  opts: EmbedFacesOptions,
): Promise<FaceVectors> {
  const vectors = new Map<EncoderId, Float32Array[]>();
  const ms = new Map<EncoderId, number>();
  const embedOpts = { tta: opts.tta, ...(opts.signal ? { signal: opts.signal } : {}) };
  const features = (e: Encoder): string =>
    `${e.identity}${opts.tta ? '#tta' : ''}${opts.variant ?? ''}`;
  const plain = async (encoder: Encoder): Promise<Float32Array[]> => {
    const known = vectors.get(encoder.id);
    if (known) return known;
    throwIfAborted(opts.signal);
    const started = performance.now();
    const key = features(encoder);
    const out = faces.map((_, i) => opts.cache?.get(i, key));
    const missing = out.flatMap((v, i) => (v ? [] : [i]));
    if (missing.length > 0) {
      const made = await encoder.embed(
        missing.map((i) => (faces[i] as FaceCrops)[encoder.crop]),
        embedOpts,
      );
      if (made.length !== missing.length) {
        throw new Error(
          `${encoder.label} returned ${made.length} embeddings for ${missing.length} faces`,
        );
      }
      missing.forEach((i, k) => {
        out[i] = made[k] as Float32Array;
        opts.cache?.set(i, key, made[k] as Float32Array);
      });
    }
    const done = out as Float32Array[];
    vectors.set(encoder.id, done);
    ms.set(encoder.id, performance.now() - started);
    return done;
  };
  for (const encoder of encoders) if (!encoder.fused) await plain(encoder);
  for (const encoder of encoders) {
    const fused = encoder.fused;
    if (!fused) continue;
    const started = performance.now();
    const parts: Float32Array[][] = [];
    let partMs = 0;
    for (const part of fused.parts) {
      parts.push(await plain(part));
      partMs += ms.get(part.id) ?? 0;
    }
    vectors.set(
      encoder.id,
      faces.map((_, i) => fused.fuse(parts.map((p) => p[i] as Float32Array))),
    );
    ms.set(encoder.id, partMs + (performance.now() - started));
  }
  return { vectors, ms };
}

export interface EncoderScore {
  encoderId: EncoderId;
  label: string;
  /** Mean cosine similarity over the face pairs: face similarity, not a kinship probability. */
  cosine: number;
  /** Face pairs scored (|A| × |B|). */
  pairs: number;
  /** Null when the encoder has no kinship head. */
  kinship: KinshipScore | null;
  /** Time to embed the faces with this encoder, ms. */
  ms: number;
}

export interface GroupScores {
  /** Set when the two groups look like one person (descriptor cosine). */
  samePerson: SamePerson | null;
  pairs: number;
  scores: EncoderScore[];
}

export interface ScoreGroupsInput {
  faces: FaceVectors;
  /**
   * The same faces mirrored, for encoders whose head was trained with flip TTA: their pair
   * probabilities become the mean over plain and mirrored faces (see `needsMirroredFaces`).
   */
  mirroredFaces?: FaceVectors;
  encoders: readonly Encoder[];
  heads: Partial<Record<EncoderId, ResolvedHead>>;
  /** Face indices of each person. */
  groups: readonly (readonly number[])[];
  /** Which pairs of groups to score. */
  pairs: readonly (readonly [number, number])[];
  signal?: AbortSignal;
}

/** Scores many pairs of groups with one head call per encoder (a family matrix is one call). */
export async function scoreGroupPairs(input: ScoreGroupsInput): Promise<GroupScores[]> {
  const facePairs = input.pairs.map(([g, h]) => {
    const out: [number, number][] = [];
    for (const i of input.groups[g] ?? []) for (const j of input.groups[h] ?? []) out.push([i, j]);
    if (out.length === 0) throw new RangeError(`group pair ${g}×${h} has no faces`);
    return out;
  });
  const perEncoder: EncoderScore[][] = input.pairs.map(() => []);
  for (const encoder of input.encoders) {
    throwIfAborted(input.signal);
    const vectors = input.faces.vectors.get(encoder.id);
    if (!vectors) throw new Error(`${encoder.label} has no face embeddings`);
    const cosines = facePairs.map((fp) =>
      fp.map(([i, j]) => cosineSimilarity(vectors[i] as Float32Array, vectors[j] as Float32Array)),
    );
    const resolved = input.heads[encoder.id];
    const mirroredVectors = resolved?.head.meta.training?.flipTta
      ? input.mirroredFaces?.vectors.get(encoder.id)
      : undefined;
    let probabilities = resolved
      ? await predictAll(resolved, vectors, facePairs, encoder.dim)
      : null;
    if (resolved && probabilities && mirroredVectors) {
      const mirrored = await predictAll(resolved, mirroredVectors, facePairs, encoder.dim);
      probabilities = probabilities.map((ps, k) =>
        ps.map((p, n) => (p + (mirrored[k]?.[n] as number)) / 2),
      );
    }
    facePairs.forEach((fp, k) => {
      perEncoder[k]?.push({
        encoderId: encoder.id,
        label: encoder.label,
        cosine: mean(cosines[k] as number[]),
        pairs: fp.length,
        kinship:
          resolved && probabilities
            ? {
                ...kinshipScore(probabilities[k] as number[], resolved),
                ...(mirroredVectors ? { mirrored: true } : {}),
              }
            : null,
        ms: input.faces.ms.get(encoder.id) ?? 0,
      });
    });
  }
  return perEncoder.map((scores, k) => {
    const descriptor = scores.find((s) => s.encoderId === 'face-descriptor');
    return {
      samePerson: samePersonCheck(descriptor ? descriptor.cosine : null),
      pairs: facePairs[k]?.length ?? 0,
      scores,
    };
  });
}

/**
 * The encoders whose head was validated with flip TTA (meta.training.flipTta): they need the
 * mirrored faces too. Not with embedding TTA on, which already makes each vector mirror-symmetric.
 */
export function needsMirroredFaces(
  encoders: readonly Encoder[],
  heads: Partial<Record<EncoderId, ResolvedHead>>,
  tta: boolean,
): Encoder[] {
  if (tta) return [];
  return encoders.filter((e) => heads[e.id]?.head.meta.training?.flipTta === true);
}

/** Two people (A and B, one or more faces each) scored over all A×B face pairs. */
export async function scoreTwoGroups(
  input: Omit<ScoreGroupsInput, 'groups' | 'pairs'> & {
    a: readonly number[];
    b: readonly number[];
  },
): Promise<GroupScores> {
  const [result] = await scoreGroupPairs({ ...input, groups: [input.a, input.b], pairs: [[0, 1]] });
  return result as GroupScores;
}

async function predictAll(
  resolved: ResolvedHead,
  vectors: readonly Float32Array[],
  facePairs: readonly (readonly [number, number])[][],
  dim: number,
): Promise<number[][]> {
  const total = facePairs.reduce((n, fp) => n + fp.length, 0);
  const left = new Float32Array(total * dim);
  const right = new Float32Array(total * dim);
  let row = 0;
  for (const fp of facePairs) {
    for (const [i, j] of fp) {
      left.set(vectors[i] as Float32Array, row * dim);
      right.set(vectors[j] as Float32Array, row * dim);
      row++;
    }
  }
  const probs = await resolved.head.predict(left, right);
  let offset = 0;
  return facePairs.map((fp) => {
    const out = Array.from(probs.subarray(offset, offset + fp.length));
    offset += fp.length;
    return out;
  });
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
}
