/**
 * The worker's memory of the photos in the Pair panel: decoded pixels and detected faces, so
 * choosing another face or toggling an option re-scores without decoding or detecting again.
 * Bounded: only the most recent photos are kept.
 */
import { KinshipError } from '../lib/errors';
import { DESCRIPTOR_TEMPLATE, RESNET_TEMPLATE, alignFace, wholeImageCrop } from '../ml/face/align';
import { detectFaces, type DetectedFace, type DetectorKind } from '../ml/face/detect';
import type { Box } from '../ml/face/geometry';
import type { PixelImage } from '../ml/face/pixels';
import { decodeImageBlob, fitWithin, type DecodedImage } from '../ml/image/decode';

const MAX_PHOTOS = 6;
const PREVIEW_SIDE = 720;

interface StoredPhoto {
  id: number;
  name: string;
  decoded: DecodedImage;
  faces: DetectedFace[];
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
  ms: number;
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
): Promise<PhotoAnalysis> {
  const started = performance.now();
  const decoded = await decodeImageBlob(blob, name);
  const faces = await detectFaces(decoded.image, { detector, signal });
  const id = nextPhotoId++;
  photos.set(id, { id, name, decoded, faces });
  while (photos.size > MAX_PHOTOS) {
    const oldest = photos.keys().next().value;
    if (oldest === undefined) break;
    photos.delete(oldest);
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
    ms: performance.now() - started,
  };
}

export function releasePhoto(photoId: number): void {
  photos.delete(photoId);
}

function photoOf(ref: FaceRef): StoredPhoto {
  const photo = photos.get(ref.photoId);
  if (!photo)
    throw new KinshipError('NOT_READY', 'This photo is no longer in memory; drop it again');
  return photo;
}

/** The aligned crops of the chosen face (or of the whole image) for both crop kinds. */
export function cropsFor(ref: FaceRef): { descriptor: PixelImage; resnet: PixelImage } {
  const photo = photoOf(ref);
  const image = photo.decoded.image;
  if (ref.choice === 'whole') {
    return {
      descriptor: wholeImageCrop(image, DESCRIPTOR_TEMPLATE.size),
      resnet: wholeImageCrop(image, RESNET_TEMPLATE.size),
    };
  }
  const face = photo.faces[ref.choice];
  if (!face)
    throw new KinshipError('NO_FACE', `Face ${ref.choice + 1} does not exist`, {
      file: photo.name,
    });
  return {
    descriptor: alignFace(image, face.eyes, DESCRIPTOR_TEMPLATE),
    resnet: alignFace(image, face.eyes, RESNET_TEMPLATE),
  };
}
