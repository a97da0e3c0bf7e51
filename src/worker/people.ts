/**
 * Scoring people from the photos the worker holds: two people (each one or more faces), or a
 * whole group (a family photo) as a matrix of every pair. Faces are embedded once per encoder
 * and remembered; pair scores are one head call per encoder.
 */
import type { ProgressFn } from '../lib/abort';
import type { Encoder, EncoderId } from '../ml/encoders/types';
import { KinshipError } from '../lib/errors';
import { flipHorizontal } from '../ml/face/resample';
import {
  embedFaces,
  needsMirroredFaces,
  scoreGroupPairs,
  type FaceCrops,
  type FaceVectors,
  type GroupScores,
} from '../ml/pair/score';
import { availableEncoders, currentHeads } from './encoders';
import { cachedVector, cacheVector, cropsFor, type FaceRef } from './photos';

async function vectorsOf(
  refs: readonly FaceRef[],
  tta: boolean,
  signal: AbortSignal,
  encoders: readonly Encoder[] = availableEncoders(),
  mirror = false,
): Promise<FaceVectors> {
  const crops = refs.map(cropsFor);
  return embedFaces(mirror ? crops.map(mirrorCrops) : crops, encoders, {
    tta,
    signal,
    ...(mirror ? { variant: '#mirror' } : {}),
    cache: {
      get: (i, features) => cachedVector(refs[i] as FaceRef, features),
      set: (i, features, v) => cacheVector(refs[i] as FaceRef, features, v),
    },
  });
}

function mirrorCrops(c: FaceCrops): FaceCrops {
  return { descriptor: flipHorizontal(c.descriptor), resnet: flipHorizontal(c.resnet) };
}

/** The mirrored faces for heads validated with flip TTA (none when no head asks for them). */
async function mirroredVectorsOf(
  refs: readonly FaceRef[],
  tta: boolean,
  signal: AbortSignal,
  encoders: readonly Encoder[],
  heads: ReturnType<typeof currentHeads>,
): Promise<{ mirroredFaces: FaceVectors } | Record<string, never>> {
  const mirrored = needsMirroredFaces(encoders, heads, tta);
  if (mirrored.length === 0) return {};
  return { mirroredFaces: await vectorsOf(refs, tta, signal, mirrored, true) };
}

/**
 * Person A against person B over all A×B face pairs, with every available encoder or only those
 * in `only` (the UI asks for the quick descriptor first, then the rest; face vectors are kept
 * per photo, so the second call does not embed again what the first did).
 */
export async function scorePeople(
  a: readonly FaceRef[],
  b: readonly FaceRef[],
  tta: boolean,
  signal: AbortSignal,
  only?: readonly EncoderId[],
): Promise<GroupScores> {
  if (a.length === 0 || b.length === 0)
    throw new KinshipError('NOT_READY', 'Each side needs a face');
  const refs = [...a, ...b];
  const encoders = availableEncoders().filter((e) => !only || only.includes(e.id));
  const faces = await vectorsOf(refs, tta, signal, encoders);
  const heads = currentHeads();
  const [scores] = await scoreGroupPairs({
    faces,
    ...(await mirroredVectorsOf(refs, tta, signal, encoders, heads)),
    encoders,
    heads,
    groups: [a.map((_, i) => i), b.map((_, i) => a.length + i)],
    pairs: [[0, 1]],
    signal,
  });
  return scores as GroupScores;
}

export interface FamilyCell {
  /** Person indices, i < j. */
  i: number;
  j: number;
  scores: GroupScores;
}

export interface FamilyMatrix {
  people: number;
  faces: number;
  cells: FamilyCell[];
  /** Time to embed the faces and to score every pair, ms. */
  embedMs: number;
  scoreMs: number;
}

/** Faces embedded per step, so progress moves while a large group photo is embedded. */
const FACES_PER_STEP = 4;

/**
 * Every pair of people (each one or more faces) of a group: embeddings once per face, then one
 * head call per encoder for all pairs.
 */
export async function scoreFamily(
  people: readonly (readonly FaceRef[])[],
  tta: boolean,
  signal: AbortSignal,
  onProgress?: ProgressFn,
): Promise<FamilyMatrix> {
  if (people.some((p) => p.length === 0))
    throw new KinshipError('NOT_READY', 'A person has no face');
  const refs = people.flat();
  const started = performance.now();
  for (let start = 0; start < refs.length; start += FACES_PER_STEP) {
    onProgress?.({ phase: 'embedding faces', done: start, total: refs.length });
    await vectorsOf(refs.slice(start, start + FACES_PER_STEP), tta, signal);
  }
  onProgress?.({ phase: 'embedding faces', done: refs.length, total: refs.length });
  const faces = await vectorsOf(refs, tta, signal); // all cached by now
  const heads = currentHeads();
  const mirrored = await mirroredVectorsOf(refs, tta, signal, availableEncoders(), heads);
  const embedMs = performance.now() - started;
  const groups: number[][] = [];
  let next = 0;
  for (const p of people) groups.push(p.map(() => next++));
  const pairs: [number, number][] = [];
  for (let i = 0; i < people.length; i++)
    for (let j = i + 1; j < people.length; j++) pairs.push([i, j]);
  const scored = await scoreGroupPairs({
    faces,
    ...mirrored,
    encoders: availableEncoders(),
    heads,
    groups,
    pairs,
    signal,
  });
  return {
    people: people.length,
    faces: refs.length,
    cells: pairs.map(([i, j], k) => ({ i, j, scores: scored[k] as GroupScores })),
    embedMs,
    scoreMs: performance.now() - started - embedMs,
  };
}
