/**
 * Face crops with known eye points, the way a face-crop dataset (FIW: 224×224) frames them:
 * faces from face-api's demo photos, each warped by a seeded random similarity transform
 * (shift, scale, rotation) into a square crop. The eyes of each face are found once on the
 * full-resolution photo (detector + landmarks); mapped through the same transform they are the
 * crop's true eye points, independent of anything run on the crop itself.
 */
import { readFile } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import { detectFaces } from '../ml/face/detect';
import { similarityFromPointPairs, type EyePair } from '../ml/face/geometry';
import type { PixelImage } from '../ml/face/pixels';
import { warpAffine } from '../ml/face/resample';
import { mulberry32 } from './rng';

export const DEMO_PHOTOS = [1, 2, 3, 4, 5, 6].map(
  (k) => `node_modules/@vladmandic/face-api/demo/sample${k}.jpg`,
);

export interface FaceCropFraming {
  /** Eye distance as a fraction of the crop side: [min, max). */
  eyeDistance: readonly [number, number];
  /** Eye midpoint height as a fraction of the side, ± `shift`. */
  eyeHeight: number;
  /** Largest shift of the eye midpoint, fraction of the side, each axis. */
  shift: number;
  /** Largest |tilt| of the eye line in the crop, degrees. */
  maxTiltDegrees: number;
}

/** Like FIW's crops: the face fills most of the square, eyes a little above the middle. */
export const DATASET_FRAMING: FaceCropFraming = {
  eyeDistance: [0.26, 0.36],
  eyeHeight: 0.42,
  shift: 0.05,
  maxTiltDegrees: 20,
};

export interface GeneratedFaceCrop {
  image: PixelImage;
  /** True eye centres in crop coordinates. */
  eyes: EyePair;
  /** Which photo and face it came from, e.g. "sample3.jpg face 2". */
  source: string;
}

interface SourceFace {
  photo: PixelImage;
  eyes: EyePair;
  source: string;
}

/**
 * The faces of the demo photos the detector is sure of (score ≥ 0.9; 17 faces), with their eyes.
 * Less sure faces have less sure eyes on the photo itself: sample2's third face (0.88), half
 * hidden by hair and looking down, has its right eye covered. Needs the face models.
 */
async function sourceFaces(): Promise<SourceFace[]> {
  const out: SourceFace[] = [];
  for (const path of DEMO_PHOTOS) {
    const d = jpeg.decode(await readFile(path), { useTArray: true });
    const photo: PixelImage = { width: d.width, height: d.height, channels: 4, data: d.data };
    const faces = await detectFaces(photo, { thumbnailSize: 0 });
    faces.forEach((face, i) => {
      if (face.score >= 0.9)
        out.push({ photo, eyes: face.eyes, source: `${path.split('/').pop()} face ${i + 1}` });
    });
  }
  return out;
}

/** `count` crops of `size`², cycling over the demo faces, each with its own random framing. */
export async function generateFaceCrops(
  count: number,
  size = 224,
  framing: FaceCropFraming = DATASET_FRAMING,
  seed = 7,
): Promise<GeneratedFaceCrop[]> {
  const faces = await sourceFaces();
  if (faces.length === 0) throw new Error('generateFaceCrops: no faces found in the demo photos');
  const rand = mulberry32(seed);
  const between = (lo: number, hi: number): number => lo + (hi - lo) * rand();
  const crops: GeneratedFaceCrop[] = [];
  for (let n = 0; n < count; n++) {
    const face = faces[n % faces.length] as SourceFace;
    const distance = between(framing.eyeDistance[0], framing.eyeDistance[1]) * size;
    const tilt = (between(-framing.maxTiltDegrees, framing.maxTiltDegrees) * Math.PI) / 180;
    const mid = {
      x: (0.5 + between(-framing.shift, framing.shift)) * size,
      y: (framing.eyeHeight + between(-framing.shift, framing.shift)) * size,
    };
    const half = { x: (Math.cos(tilt) * distance) / 2, y: (Math.sin(tilt) * distance) / 2 };
    const target = {
      left: { x: mid.x - half.x, y: mid.y - half.y },
      right: { x: mid.x + half.x, y: mid.y + half.y },
    };
    const toCrop = similarityFromPointPairs(
      [face.eyes.left, face.eyes.right],
      [target.left, target.right],
    );
    crops.push({
      image: warpAffine(face.photo, toCrop, size, size),
      eyes: target,
      source: face.source,
    });
  }
  return crops;
}
