/**
 * Fast alignment for images that already are face crops (Families in the Wild's 224×224 faces):
 * no detector pass per image. The 68-point landmark net runs on each whole crop as the face box,
 * batched over all images of a call; its eyes, when they pass checkFaceLandmarks, align the
 * crop. Per image, what fails falls back to the tiny detector at a small input, then to the
 * whole image, each with a counted reason.
 */
import { throwIfAborted } from '../../lib/abort';
import { alignFace, wholeImageCrop, type CropTemplate } from './align';
import {
  centredFraming,
  LANDMARK_FRAMING,
  LANDMARK_INPUT_SIZE,
  landmarksThrough,
  wholeImageFraming,
} from './crop-landmarks';
import { detectFaces } from './detect';
import {
  checkFaceLandmarks,
  type EyeCheck,
  type EyeCheckLimits,
  type EyeRejection,
} from './eye-check';
import { eyeAlignmentTransform, type Affine, type EyePair, type Point } from './geometry';
import { assertFaceModelsLoaded } from './models';
import { assertPixelImage, type PixelImage } from './pixels';

export type CropAlignMethod = 'landmarks' | 'detector' | 'whole-image';

/** One image's crops, one per template asked for, and how its eyes were found. */
export interface AlignedFaceCrop<K extends string> {
  crops: Record<K, PixelImage>;
  /** Eye centres in the input image; null when the whole image was used. */
  eyes: EyePair | null;
  method: CropAlignMethod;
  /** Why the landmarks on the whole crop were not used (absent when they were). */
  fallback?: string;
}

export interface AlignFaceCropsOptions {
  signal?: AbortSignal;
  /** Try the tiny detector on images whose landmarks fail the check. Default true. */
  detectorFallback?: boolean;
  /** Tiny detector input side for the fallback, a multiple of 32. Default 128. */
  tinyInputSize?: number;
  /** Images per landmark forward pass (bounds peak memory). Default 64. */
  landmarkBatch?: number;
  /**
   * Run the landmark net a second time on each face, framed upright from the first eyes, and
   * keep only eyes found again there. Default true; without it, eyes are less accurate and a
   * face-like guess of the first pass is taken for a face.
   */
  refine?: boolean;
  eyeCheck?: EyeCheckLimits;
}

/**
 * Aligns every image to every template in `templates` (e.g. `{ descriptor: DESCRIPTOR_TEMPLATE }`),
 * in input order. Throws NOT_READY before loadFaceModels, IMAGE_* for bad input.
 */
export async function alignFaceCrops<K extends string>(
  images: readonly PixelImage[],
  templates: Record<K, CropTemplate>,
  options: AlignFaceCropsOptions = {},
): Promise<AlignedFaceCrop<K>[]> {
  images.forEach((image) => assertPixelImage(image));
  assertFaceModelsLoaded();
  const {
    signal,
    detectorFallback = true,
    tinyInputSize = 128,
    landmarkBatch = 64,
    refine = true,
  } = options;
  throwIfAborted(signal);

  const results: AlignedFaceCrop<K>[] = [];
  for (let start = 0; start < images.length; start += landmarkBatch) {
    const chunk = images.slice(start, start + landmarkBatch);
    // Undefined until checked; featureless images are rejected before any landmark pass.
    const checks: (EyeCheck | undefined)[] = chunk.map((image) =>
      lumaSpread(image) < MIN_LUMA_SPREAD
        ? { ok: false, reason: 'image has almost no detail' }
        : undefined,
    );
    const check = (indices: number[], landmarks: Point[][]): void =>
      indices.forEach((index, j) => {
        const image = chunk[index] as PixelImage;
        const points = landmarks[j] as Point[];
        checks[index] = checkFaceLandmarks(points, image.width, image.height, options.eyeCheck);
      });
    // Each image is looked at through the whole-crop framing, then, if its eyes were not
    // found (or not found again), through the centre framing; the first reason is kept.
    let pending = chunk.flatMap((_, i) => (checks[i] ? [] : [i]));
    const firstRejection = new Map<number, EyeCheck>();
    for (const framing of FRAMINGS) {
      if (pending.length === 0) break;
      await lookForEyes(chunk, pending, framing, check, checks, refine, signal);
      for (const i of pending) {
        const outcome = checks[i];
        if (outcome && !outcome.ok && !firstRejection.has(i)) firstRejection.set(i, outcome);
      }
      pending = pending.filter((i) => !checks[i]?.ok);
    }
    for (const i of pending) checks[i] = firstRejection.get(i) ?? checks[i];
    for (const [i, image] of chunk.entries()) {
      const outcome = checks[i] as EyeCheck;
      results.push(
        outcome.ok
          ? {
              crops: alignAll(image, outcome.eyes, templates),
              eyes: outcome.eyes,
              method: 'landmarks',
            }
          : await fallBack(
              image,
              templates,
              outcome.reason,
              detectorFallback,
              tinyInputSize,
              signal,
            ),
      );
    }
  }
  return results;
}

/**
 * How the first landmark pass frames each image: the whole crop (FIW-tight crops), then its
 * centre (a loose crop, the face in the middle; see LOOSE_CROP_CENTRE).
 */
const FRAMINGS: ((image: PixelImage) => Affine)[] = [
  wholeImageFraming,
  (image) => centredFraming(image, LOOSE_CROP_CENTRE),
];

/**
 * One look at `indices` of `chunk`: a landmark pass through `framing`, checked, then (with
 * `refine`) a second pass framed upright around those eyes that must find them again.
 */
async function lookForEyes(
  chunk: readonly PixelImage[],
  indices: number[],
  framing: (image: PixelImage) => Affine,
  check: (indices: number[], landmarks: Point[][]) => void,
  checks: (EyeCheck | undefined)[],
  refine: boolean,
  signal: AbortSignal | undefined,
): Promise<void> {
  const images = indices.map((i) => chunk[i] as PixelImage);
  check(indices, await landmarksThrough(images, images.map(framing)));
  throwIfAborted(signal);
  const passed = indices.filter((i) => checks[i]?.ok);
  if (!refine || passed.length === 0) return;
  // Second pass: each face framed upright around the first pass's eyes, as from a detector.
  const first = passed.map((i) => (checks[i] as EyeCheck & { ok: true }).eyes);
  const framings = first.map((eyes) =>
    eyeAlignmentTransform(eyes, LANDMARK_FRAMING, LANDMARK_INPUT_SIZE),
  );
  check(
    passed,
    await landmarksThrough(
      passed.map((i) => chunk[i] as PixelImage),
      framings,
    ),
  );
  throwIfAborted(signal);
  passed.forEach((index, j) => {
    const refined = checks[index];
    if (refined?.ok && eyesMoved(first[j] as EyePair, refined.eyes) > MAX_REFINE_SHIFT)
      checks[index] = { ok: false, reason: 'eyes not found again when looked at closer' };
  });
}

async function fallBack<K extends string>(
  image: PixelImage,
  templates: Record<K, CropTemplate>,
  rejection: EyeRejection,
  detectorFallback: boolean,
  tinyInputSize: number,
  signal: AbortSignal | undefined,
): Promise<AlignedFaceCrop<K>> {
  if (detectorFallback) {
    const [face] = await detectFaces(image, {
      detector: 'tiny',
      tinyInputSize,
      maxFaces: 1,
      thumbnailSize: 0,
      signal,
    });
    if (face) {
      return {
        crops: alignAll(image, face.eyes, templates),
        eyes: face.eyes,
        method: 'detector',
        fallback: `${rejection}: used the face detector`,
      };
    }
  }
  const crops = mapTemplates(templates, (t) => wholeImageCrop(image, t.size));
  const found = detectorFallback ? '; no face detected' : '';
  return {
    crops,
    eyes: null,
    method: 'whole-image',
    fallback: `${rejection}${found}: used the whole image`,
  };
}

function alignAll<K extends string>(
  image: PixelImage,
  eyes: EyePair,
  templates: Record<K, CropTemplate>,
): Record<K, PixelImage> {
  return mapTemplates(templates, (t) => alignFace(image, eyes, t));
}

function mapTemplates<K extends string>(
  templates: Record<K, CropTemplate>,
  make: (template: CropTemplate) => PixelImage,
): Record<K, PixelImage> {
  const out = {} as Record<K, PixelImage>;
  for (const key of Object.keys(templates) as K[]) out[key] = make(templates[key]);
  return out;
}

/**
 * Below this spread of luma (standard deviation, 0–255) an image is taken to have no face to
 * find: the landmark net answers a featureless image (flat or nearly flat, dark background)
 * with its mean face, which passes every geometric check. Face crops of the demo photos spread
 * 26 or more; a dark patch of their background 9.8.
 */
const MIN_LUMA_SPREAD = 12;

/** Standard deviation of luma over a grid of at most 64×64 samples. */
function lumaSpread(image: PixelImage): number {
  const { width, height, channels, data } = image;
  const stepX = Math.max(1, Math.floor(width / 64));
  const stepY = Math.max(1, Math.floor(height / 64));
  let n = 0;
  let sum = 0;
  let squares = 0;
  for (let y = 0; y < height; y += stepY) {
    for (let x = 0; x < width; x += stepX) {
      const i = (y * width + x) * channels;
      const luma =
        0.299 * (data[i] as number) +
        0.587 * (data[i + 1] as number) +
        0.114 * (data[i + 2] as number);
      n += 1;
      sum += luma;
      squares += luma * luma;
    }
  }
  const mean = sum / n;
  return Math.sqrt(Math.max(0, squares / n - mean * mean));
}

/**
 * Side of the central square the second look frames, as a fraction of the image: a face whose
 * eyes are 0.18–0.22 of the image apart (the demo portraits cut at 1.8× the face box) then has
 * them about 0.3 of the net input apart, as the net expects from a detector box (0.33).
 */
const LOOSE_CROP_CENTRE = 0.6;

/**
 * On a face the refining pass finds the eyes again close to where the first pass put them; on
 * a guess (a face too small for the whole-crop framing, part of a face, texture) it does not.
 * The largest shift of either eye, in eye distances of the first pass: at most 0.10 on 80
 * generated crops of the demo faces, 0.36–0.47 on the wrong eyes it caught in zoomed-out crops.
 */
const MAX_REFINE_SHIFT = 0.2;

function eyesMoved(first: EyePair, refined: EyePair): number {
  const d = Math.hypot(first.right.x - first.left.x, first.right.y - first.left.y);
  const shift = Math.max(
    Math.hypot(refined.left.x - first.left.x, refined.left.y - first.left.y),
    Math.hypot(refined.right.x - first.right.x, refined.right.y - first.right.y),
  );
  return shift / d;
}

/** Counted outcomes of one or more alignFaceCrops calls, for the UI. */
export interface CropAlignSummary {
  total: number;
  byLandmarks: number;
  byDetector: number;
  wholeImage: number;
  /** Fallback reason → how many images took it, most frequent first. */
  reasons: { reason: string; count: number }[];
}

export function summarizeCropAlignment(
  results: readonly Pick<AlignedFaceCrop<string>, 'method' | 'fallback'>[],
): CropAlignSummary {
  const counts = new Map<string, number>();
  for (const r of results)
    if (r.fallback) counts.set(r.fallback, (counts.get(r.fallback) ?? 0) + 1);
  return {
    total: results.length,
    byLandmarks: results.filter((r) => r.method === 'landmarks').length,
    byDetector: results.filter((r) => r.method === 'detector').length,
    wholeImage: results.filter((r) => r.method === 'whole-image').length,
    reasons: [...counts]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}
