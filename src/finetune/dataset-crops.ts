/**
 * How dataset files become the crops an encoder reads, one encode batch at a time. Dataset
 * images are usually face crops already: the whole image is the face unless `detect` asks for
 * eye alignment. Then face-crop-sized images go through the fast aligner (the landmark net on
 * the whole crop, batched; no detector pass), and only photos larger than a face crop get the
 * full face detector. Where the eyes were found is remembered per path, so the parts of a fused
 * encoder (and a re-encode) align without looking again.
 */
import { errorMessage, isAbortError } from '../lib/errors';
import type { CropKind } from '../ml/encoders/types';
import {
  alignFace,
  DESCRIPTOR_TEMPLATE,
  RESNET_TEMPLATE,
  wholeImageCrop,
  type CropTemplate,
} from '../ml/face/align';
import { alignFaceCrops, type AlignedFaceCrop } from '../ml/face/crop-align';
import { detectFaces } from '../ml/face/detect';
import type { PixelImage } from '../ml/face/pixels';
import type { CropOutcome, DecodeImage } from './types';

/**
 * Longest side (px) up to which a dataset image counts as a face crop, and the aspect ratio it
 * may have. FIW's crops are 224², LFW's 250², VGGFace2's loose crops a few hundred px; phone
 * photos are thousands.
 */
const FACE_CROP_MAX_SIDE = 512;
const FACE_CROP_MAX_ASPECT = 2;

/** Longest side a dataset image is decoded at when faces are aligned (eyes are kept in it). */
const ALIGN_DECODE_SIDE = 1024;

export interface DatasetCropItem {
  path: string;
  file: Blob;
}

export interface DatasetCropIo {
  decode: DecodeImage;
  /** Eyes found earlier, by path (read and filled here). */
  alignments: Map<string, CropOutcome>;
  signal: AbortSignal;
}

/** The crop of each item, in order, or the Error that stopped it (aborts are thrown). */
export async function cropsForDataset(
  items: readonly DatasetCropItem[],
  encoder: { crop: CropKind; inputSize: number },
  detect: boolean,
  io: DatasetCropIo,
): Promise<(PixelImage | Error)[]> {
  const { decode, alignments, signal } = io;
  // Dataset images are small face crops; decoding at 2× the encoder input keeps resampling sharp.
  const maxSide = detect ? ALIGN_DECODE_SIDE : encoder.inputSize * 2;
  const images = await Promise.all(
    items.map(({ file, path }) => decode(file, path, { maxSide }).catch(asError)),
  );
  if (!detect)
    return images.map((im) => (im instanceof Error ? im : wholeImageCrop(im, encoder.inputSize)));

  const template = encoder.crop === 'descriptor' ? DESCRIPTOR_TEMPLATE : RESNET_TEMPLATE;
  const out: (PixelImage | Error)[] = images.map((im) =>
    im instanceof Error ? im : new Error(''),
  );
  const toAlign: number[] = [];
  for (const [i, image] of images.entries()) {
    if (image instanceof Error) continue;
    const known = alignments.get((items[i] as DatasetCropItem).path);
    if (known) out[i] = cropFrom(image, known, template, encoder.inputSize);
    else if (isFaceCrop(image)) toAlign.push(i);
    else {
      try {
        const outcome = await detectInPhoto(image, signal);
        alignments.set((items[i] as DatasetCropItem).path, outcome);
        out[i] = cropFrom(image, outcome, template, encoder.inputSize);
      } catch (e) {
        out[i] = asError(e);
      }
    }
  }
  if (toAlign.length > 0) {
    try {
      const aligned = await alignFaceCrops(
        toAlign.map((i) => images[i] as PixelImage),
        { face: template },
        { signal },
      );
      toAlign.forEach((i, j) => {
        const result = aligned[j] as AlignedFaceCrop<'face'>;
        alignments.set((items[i] as DatasetCropItem).path, outcomeOf(result));
        out[i] =
          result.method === 'whole-image'
            ? wholeImageCrop(images[i] as PixelImage, encoder.inputSize)
            : result.crops.face;
      });
    } catch (e) {
      const error = asError(e);
      for (const i of toAlign) out[i] = error;
    }
  }
  return out;
}

function isFaceCrop(image: PixelImage): boolean {
  const long = Math.max(image.width, image.height);
  const short = Math.min(image.width, image.height);
  return long <= FACE_CROP_MAX_SIDE && long <= short * FACE_CROP_MAX_ASPECT;
}

/**
 * A photo, not a face crop: the full detector finds its largest face. (Reasons carry no sizes,
 * so the Encode result counts them as one line each.)
 */
async function detectInPhoto(image: PixelImage, signal: AbortSignal): Promise<CropOutcome> {
  const [face] = await detectFaces(image, { signal, thumbnailSize: 0 });
  return face
    ? {
        eyes: face.eyes,
        method: 'detector',
        fallback: 'a photo larger than a face crop: used the face detector',
      }
    : {
        eyes: null,
        method: 'whole-image',
        fallback: 'a photo larger than a face crop, no face found: used the whole image',
      };
}

function outcomeOf(result: AlignedFaceCrop<'face'>): CropOutcome {
  return {
    eyes: result.eyes,
    method: result.method,
    ...(result.fallback ? { fallback: result.fallback } : {}),
  };
}

function cropFrom(
  image: PixelImage,
  outcome: CropOutcome,
  template: CropTemplate,
  inputSize: number,
): PixelImage {
  return outcome.eyes ? alignFace(image, outcome.eyes, template) : wholeImageCrop(image, inputSize);
}

function asError(e: unknown): Error {
  if (isAbortError(e)) throw e;
  return e instanceof Error ? e : new Error(errorMessage(e));
}
