/**
 * Face detection and 68-point landmarks. The detector sees the image downscaled (with
 * antialiasing) to its own input size, since it would resize to that anyway; landmark crops are
 * sampled from the full-resolution pixels. Everything returned is in original image coordinates.
 */
import { throwIfAborted } from '../../lib/abort';
import { tf } from '../tf';
import { alignFace, RESNET_TEMPLATE } from './align';
import { faceNet, type RawDetection } from './faceApi';
import {
  applyAffine,
  eyeCentresFrom68,
  invertAffine,
  type Affine,
  type Box,
  type EyePair,
  type Point,
} from './geometry';
import { assertFaceModelsLoaded } from './models';
import { assertPixelImage, pixelsToTensor, toRgba, type PixelImage } from './pixels';
import { scaleImage, warpAffine } from './resample';

export type DetectorKind = 'ssd' | 'tiny';

export interface DetectOptions {
  /** 'ssd' (SSD MobileNet v1, default, more accurate) or 'tiny' (Tiny Face Detector, faster). */
  detector?: DetectorKind;
  /** Minimum detection score, 0–1. Default 0.5, face-api's default for both detectors. */
  minConfidence?: number;
  /** At most this many faces (the highest scoring). Default 100. */
  maxFaces?: number;
  /** Tiny detector input side, a multiple of 32. Default 416. */
  tinyInputSize?: number;
  /** Side of the RGBA thumbnail per face; 0 for none. Default 96. */
  thumbnailSize?: number;
  signal?: AbortSignal;
}

export interface DetectedFace {
  box: Box;
  score: number;
  /** 68 points in the iBUG 300-W order. */
  landmarks: Point[];
  /** Eye centres: the mean of landmarks 36–41 (image left) and 42–47 (image right). */
  eyes: EyePair;
  /** Upright face for the UI (loose crop), RGBA; absent when `thumbnailSize` is 0. */
  thumbnail?: PixelImage & { data: Uint8ClampedArray; channels: 4 };
}

/** Input side of SSD MobileNet v1 in face-api. */
const SSD_INPUT_SIZE = 512;
/** Input side of the 68-point landmark net. */
const LANDMARK_INPUT_SIZE = 112;

/** Finds faces, largest box first. Throws NOT_READY before loadFaceModels, IMAGE_* for bad input. */
export async function detectFaces(
  image: PixelImage,
  options: DetectOptions = {},
): Promise<DetectedFace[]> {
  assertPixelImage(image);
  assertFaceModelsLoaded();
  const { signal, thumbnailSize = 96 } = options;
  throwIfAborted(signal);

  const boxes = await locateFaces(image, options);
  throwIfAborted(signal);
  if (boxes.length === 0) return [];

  const landmarks = await detectLandmarks(
    image,
    boxes.map((d) => d.box),
  );
  throwIfAborted(signal);

  const faces = boxes.map((detection, i): DetectedFace => {
    const points = landmarks[i] ?? [];
    const eyes = eyeCentresFrom68(points);
    const face: DetectedFace = {
      box: detection.box,
      score: detection.score,
      landmarks: points,
      eyes,
    };
    if (thumbnailSize > 0)
      face.thumbnail = toRgba(alignFace(image, eyes, RESNET_TEMPLATE, thumbnailSize));
    return face;
  });
  return faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
}

/** Runs the chosen detector on a downscaled copy; boxes come back in original coordinates. */
async function locateFaces(image: PixelImage, options: DetectOptions): Promise<RawDetection[]> {
  const { detector = 'ssd', minConfidence = 0.5, maxFaces = 100, tinyInputSize = 416 } = options;
  const inputSize = detector === 'ssd' ? SSD_INPUT_SIZE : tinyInputSize;
  const scale = Math.min(1, inputSize / Math.max(image.width, image.height));
  const small = scale < 1 ? scaleImage(image, scale) : image;
  // Per-axis factors: the downscaled size is rounded to whole pixels.
  const sx = image.width / small.width;
  const sy = image.height / small.height;

  const input = pixelsToTensor(small);
  let found: RawDetection[];
  try {
    found =
      detector === 'ssd'
        ? await faceNet('ssdMobilenetv1').locateFaces(input, {
            minConfidence,
            maxResults: maxFaces,
          })
        : (
            await faceNet('tinyFaceDetector').locateFaces(input, {
              inputSize: tinyInputSize,
              scoreThreshold: minConfidence,
            })
          )
            .sort((a, b) => b.score - a.score)
            .slice(0, maxFaces);
  } finally {
    input.dispose();
  }
  return found.map(({ score, box }) => ({
    score,
    box: { x: box.x * sx, y: box.y * sy, width: box.width * sx, height: box.height * sy },
  }));
}

/** 68 landmarks per box of `image` (the detector's second stage on its own; also warms it up). */
export function detectLandmarksIn(image: PixelImage, boxes: readonly Box[]): Promise<Point[][]> {
  assertPixelImage(image);
  assertFaceModelsLoaded();
  return detectLandmarks(image, boxes);
}

/**
 * 68 landmarks per box. Each landmark input is the square around the box centre with the
 * box's longer side (face-api pads the box to a square instead; real pixels do at least as
 * well and keep faces at the image border correct), resized to 112×112.
 */
async function detectLandmarks(image: PixelImage, boxes: readonly Box[]): Promise<Point[][]> {
  const crops = boxes.map((box) => {
    const imageToCrop = landmarkCropTransform(box);
    return {
      toImage: invertAffine(imageToCrop),
      pixels: warpAffine(image, imageToCrop, LANDMARK_INPUT_SIZE, LANDMARK_INPUT_SIZE),
    };
  });
  const inputs = crops.map((crop) => pixelsToTensor(crop.pixels));
  try {
    const results = await faceNet('faceLandmark68Net').detectLandmarks(inputs);
    return crops.map((crop, i) => {
      const positions = results[i]?.positions;
      if (positions?.length !== 68)
        throw new Error(`Landmark net returned no 68 points for face ${i}`);
      return positions.map((p) => applyAffine(crop.toImage, { x: p.x, y: p.y }));
    });
  } finally {
    tf.dispose(inputs);
  }
}

/** Image → landmark input: the square of the box's longer side around its centre, to 112×112. */
function landmarkCropTransform(box: Box): Affine {
  const side = Math.max(box.width, box.height);
  const scale = LANDMARK_INPUT_SIZE / side;
  return {
    a: scale,
    b: 0,
    c: 0,
    d: scale,
    e: (side / 2 - (box.x + box.width / 2)) * scale,
    f: (side / 2 - (box.y + box.height / 2)) * scale,
  };
}
