/**
 * Is this a face? A plausibility check of 68 landmarks found on an image that is meant to be a
 * face crop. On non-faces (noise, flat colour, background) the landmark net still returns 68
 * points, but their eyes sit close together, tilted or off the image, and the rest of the
 * shape does not hang below the eyes the way a face does. Pure geometry, no tensors.
 */
import { centroid, eyeCentresFrom68, type EyePair, type Point } from './geometry';

export interface EyeCheckLimits {
  /** Eye distance as a fraction of the image width: [min, max]. */
  eyeDistance: readonly [number, number];
  /** Largest |tilt| of the eye line, in degrees. */
  maxTiltDegrees: number;
  /** Mouth centre below the eye midpoint, in eye distances: [min, max]. */
  mouthDrop: readonly [number, number];
  /** Largest sideways offset of the mouth centre from the eye midpoint, in eye distances. */
  maxMouthShift: number;
}

/**
 * Defaults: eyes 15–70 % of the width apart and within 35° of level; the mouth 0.7–1.8 eye
 * distances below the eye midpoint (frontal faces ≈ 1.1–1.3) and at most 0.45 to the side.
 */
export const DEFAULT_EYE_CHECK: EyeCheckLimits = {
  eyeDistance: [0.15, 0.7],
  maxTiltDegrees: 35,
  mouthDrop: [0.7, 1.8],
  maxMouthShift: 0.45,
};

/** Why the landmarks were not accepted, as a short phrase for counted fallback reasons. */
export type EyeRejection =
  | 'image has almost no detail'
  | 'eyes outside the image'
  | 'eyes too close together'
  | 'eyes too far apart'
  | 'eyes not level'
  | 'no face shape around the eyes'
  | 'eyes not found again when looked at closer';

export type EyeCheck = { ok: true; eyes: EyePair } | { ok: false; reason: EyeRejection };

/** Checks 68 landmarks (image coordinates) of a `width`×`height` image. */
export function checkFaceLandmarks(
  landmarks: readonly Point[],
  width: number,
  height: number,
  limits: EyeCheckLimits = DEFAULT_EYE_CHECK,
): EyeCheck {
  const eyes = eyeCentresFrom68(landmarks);
  const inside = (p: Point): boolean => p.x >= 0 && p.y >= 0 && p.x <= width && p.y <= height;
  if (!inside(eyes.left) || !inside(eyes.right))
    return { ok: false, reason: 'eyes outside the image' };

  const dx = eyes.right.x - eyes.left.x;
  const dy = eyes.right.y - eyes.left.y;
  const distance = Math.hypot(dx, dy);
  if (distance < limits.eyeDistance[0] * width)
    return { ok: false, reason: 'eyes too close together' };
  if (distance > limits.eyeDistance[1] * width) return { ok: false, reason: 'eyes too far apart' };
  // atan2 covers a swapped pair too: right eye left of the left eye is ≈ 180° of tilt.
  if (Math.abs((Math.atan2(dy, dx) * 180) / Math.PI) > limits.maxTiltDegrees)
    return { ok: false, reason: 'eyes not level' };

  // The mouth in the eyes' own frame: x along the eye line, y perpendicular (down the face).
  const mid = { x: (eyes.left.x + eyes.right.x) / 2, y: (eyes.left.y + eyes.right.y) / 2 };
  const mouth = centroid(landmarks.slice(48, 68));
  const ux = dx / distance;
  const uy = dy / distance;
  const along = ((mouth.x - mid.x) * ux + (mouth.y - mid.y) * uy) / distance;
  const down = (-(mouth.x - mid.x) * uy + (mouth.y - mid.y) * ux) / distance;
  if (
    down < limits.mouthDrop[0] ||
    down > limits.mouthDrop[1] ||
    Math.abs(along) > limits.maxMouthShift
  )
    return { ok: false, reason: 'no face shape around the eyes' };
  return { ok: true, eyes };
}
