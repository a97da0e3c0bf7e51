/**
 * The worker's memory of the photos in the Pair panel: the encoder crops of every detected face
 * (and of the whole image), cut once when the photo is analysed, and the faces' embeddings once
 * computed, so choosing another face, adding photos or toggling an option re-scores without
 * decoding, detecting or embedding again. The decoded pixels are not kept. Bounded: only the
 * most recent photos are remembered.
 */
import type { ProgressFn } from '../lib/abort';
import { KinshipError } from '../lib/errors';
import { encoderCrops } from '../ml/face/align';
import { detectFaces, type DetectorKind } from '../ml/face/detect';
import type { Box } from '../ml/face/geometry';
import { decodeImageBlob, fitWithin } from '../ml/image/decode';
import type { FaceCrops } from '../ml/pair/score';

/** Enough for several photos per person and a few family photos; crops are ~0.2 MB a face. */
const MAX_PHOTOS = 48;
const PREVIEW_SIDE = 720;

interface StoredPhoto {
  id: number;
  name: string;
  /** Crops of each detected face, largest first. */
  faces: FaceCrops[];
  whole: FaceCrops;
}

export interface FaceSummary {
  box: Box;
  score: number;
  thumbnail: ImageData | null;
}

export interface PhotoAnalysis {
  photoId: number;
  name: string;
  width: number;
  height: number;
  decodedWidth: number;
  decodedHeight: number;
  notes: string[];
  /** Largest first; boxes in decoded-pixel coordinates. */
  faces: FaceSummary[];
  preview: ImageBitmap;
  /** The detector that found the faces. */
  detector: DetectorKind;
  ms: number;
  /** Where the time went, ms. */
  steps: { decode: number; detect: number; crops: number };
}

/** Which face of a photo to use: an index into `faces`, or the whole image as the face. */
export type FaceChoice = number | 'whole';

export interface FaceRef {
  photoId: number;
  choice: FaceChoice;
}

const photos = new Map<number, StoredPhoto>();
let nextPhotoId = 1;

export async function analyzePhoto(
  blob: Blob,
  name: string,
  detector: DetectorKind,
  signal: AbortSignal,
  onProgress?: ProgressFn,
): Promise<PhotoAnalysis> {
  const started = performance.now();
  const step = (phase: string, done: number): void => onProgress?.({ phase, done, total: 3 });
  step('reading the photo', 0);
  const decoded = await decodeImageBlob(blob, name);
  const decodeMs = performance.now() - started;
  step('finding faces', 1);
  const faces = await detectFaces(decoded.image, { detector, signal });
  const detectMs = performance.now() - started - decodeMs;
  step('cutting out the faces', 2);
  const id = nextPhotoId++;
  photos.set(id, {
    id,
    name,
    faces: faces.map((f) => encoderCrops(decoded.image, f.eyes)),
    whole: encoderCrops(decoded.image, null),
  });
  const cropMs = performance.now() - started - decodeMs - detectMs;
  while (photos.size > MAX_PHOTOS) {
    const oldest = photos.keys().next().value;
    if (oldest === undefined) break;
    releasePhoto(oldest);
  }
  const { width, height, data } = decoded.image;
  const previewSize = fitWithin(width, height, PREVIEW_SIDE);
  const preview = await createImageBitmap(
    new ImageData(new Uint8ClampedArray(data), width, height),
    {
      resizeWidth: previewSize.width,
      resizeHeight: previewSize.height,
      resizeQuality: 'high',
    },
  );
  return {
    photoId: id,
    name,
    width: decoded.originalWidth,
    height: decoded.originalHeight,
    decodedWidth: width,
    decodedHeight: height,
    notes: decoded.notes,
    faces: faces.map((f) => ({
      box: f.box,
      score: f.score,
      thumbnail: f.thumbnail
        ? new ImageData(
            new Uint8ClampedArray(f.thumbnail.data),
            f.thumbnail.width,
            f.thumbnail.height,
          )
        : null,
    })),
    preview,
    detector,
    ms: performance.now() - started,
    steps: { decode: decodeMs, detect: detectMs, crops: cropMs },
  };
}

export function releasePhoto(photoId: number): void {
  photos.delete(photoId);
  for (const key of vectorCache.keys()) if (key.startsWith(`${photoId}:`)) vectorCache.delete(key);
}

function photoOf(ref: FaceRef): StoredPhoto {
  const photo = photos.get(ref.photoId);
  if (!photo)
    throw new KinshipError('NOT_READY', 'This photo is no longer in memory; drop it again');
  return photo;
}

/** The crops of the chosen face (or of the whole image), for every crop kind. */
export function cropsFor(ref: FaceRef): FaceCrops {
  const photo = photoOf(ref);
  if (ref.choice === 'whole') return photo.whole;
  const face = photo.faces[ref.choice];
  if (!face)
    throw new KinshipError('NO_FACE', `Face ${ref.choice + 1} does not exist`, {
      file: photo.name,
    });
  return face;
}

/** Embeddings of faces, keyed by photo, face and what made the vector (encoder identity, TTA). */
const vectorCache = new Map<string, Float32Array>();
const MAX_VECTORS = 20_000;

export function faceKey(ref: FaceRef): string {
  return `${ref.photoId}:${ref.choice}`;
}

export function cachedVector(ref: FaceRef, identity: string): Float32Array | undefined {
  return vectorCache.get(`${faceKey(ref)}|${identity}`);
}

export function cacheVector(ref: FaceRef, identity: string, vector: Float32Array): void {
  if (vectorCache.size >= MAX_VECTORS) vectorCache.clear();
  vectorCache.set(`${faceKey(ref)}|${identity}`, vector);
}
