/**
 * Plane geometry for face alignment: points, 2D affine transforms and the eye-based similarity
 * transform. Pure functions, no tensors.
 *
 * Coordinates are continuous pixel coordinates: (0, 0) is the top-left corner of the image and
 * the centre of pixel (i, j) is (i + 0.5, j + 0.5). Landmarks, boxes and templates all use it.
 */

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** x' = a·x + c·y + e, y' = b·x + d·y + f (the canvas `setTransform` order). */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

export const IDENTITY: Affine = { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 };

export function applyAffine(t: Affine, p: Point): Point {
  return { x: t.a * p.x + t.c * p.y + t.e, y: t.b * p.x + t.d * p.y + t.f };
}

export function invertAffine(t: Affine): Affine {
  const det = t.a * t.d - t.b * t.c;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) {
    throw new RangeError('invertAffine: transform is singular');
  }
  const a = t.d / det;
  const b = -t.b / det;
  const c = -t.c / det;
  const d = t.a / det;
  return { a, b, c, d, e: -(a * t.e + c * t.f), f: -(b * t.e + d * t.f) };
}

/** The transform that applies `first`, then `second`. */
export function composeAffine(second: Affine, first: Affine): Affine {
  return {
    a: second.a * first.a + second.c * first.b,
    b: second.b * first.a + second.d * first.b,
    c: second.a * first.c + second.c * first.d,
    d: second.b * first.c + second.d * first.d,
    e: second.a * first.e + second.c * first.f + second.e,
    f: second.b * first.e + second.d * first.f + second.f,
  };
}

/** Uniform scale of a transform (geometric mean of the axis scales): output pixels per input pixel. */
export function affineScale(t: Affine): number {
  return Math.sqrt(Math.abs(t.a * t.d - t.b * t.c));
}

/**
 * The similarity transform (rotation, uniform scale, translation; no shear, no mirroring) that
 * maps `from[0]` onto `to[0]` and `from[1]` onto `to[1]` exactly. Treating points as complex
 * numbers: z' = m·z + t with m = (to1 − to0) / (from1 − from0).
 */
export function similarityFromPointPairs(
  from: readonly [Point, Point],
  to: readonly [Point, Point],
): Affine {
  const [p0, p1] = from;
  const [q0, q1] = to;
  const fx = p1.x - p0.x;
  const fy = p1.y - p0.y;
  const tx = q1.x - q0.x;
  const ty = q1.y - q0.y;
  const norm = fx * fx + fy * fy;
  if (norm < 1e-12)
    throw new RangeError('similarityFromPointPairs: the two source points coincide');
  const a = (tx * fx + ty * fy) / norm; // real part of m
  const b = (ty * fx - tx * fy) / norm; // imaginary part of m
  return { a, b, c: -b, d: a, e: q0.x - (a * p0.x - b * p0.y), f: q0.y - (b * p0.x + a * p0.y) };
}

/** Where an aligned crop puts the eyes, as fractions of its width and height. */
export interface EyeTemplate {
  /** The eye on the image's left (the subject's right eye; 68-point landmarks 36–41). */
  left: Point;
  /** The eye on the image's right (landmarks 42–47). */
  right: Point;
}

/** Eye centres in image coordinates, left/right as they appear in the image. */
export interface EyePair {
  left: Point;
  right: Point;
}

/**
 * Maps image coordinates to the coordinates of a `size`×`size` crop in which the eyes sit on
 * the template. The inverse (crop → image) is what a sampler needs.
 */
export function eyeAlignmentTransform(eyes: EyePair, template: EyeTemplate, size: number): Affine {
  return similarityFromPointPairs(
    [eyes.left, eyes.right],
    [
      { x: template.left.x * size, y: template.left.y * size },
      { x: template.right.x * size, y: template.right.y * size },
    ],
  );
}

/** Mean of a set of points; NaN coordinates when the set is empty. */
export function centroid(points: readonly Point[]): Point {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p.x;
    y += p.y;
  }
  return { x: x / points.length, y: y / points.length };
}

/** Eye centres from 68-point landmarks: the mean of 36–41 and of 42–47. */
export function eyeCentresFrom68(landmarks: readonly Point[]): EyePair {
  if (landmarks.length !== 68) {
    throw new RangeError(`eyeCentresFrom68: expected 68 landmarks, got ${landmarks.length}`);
  }
  return { left: centroid(landmarks.slice(36, 42)), right: centroid(landmarks.slice(42, 48)) };
}

/**
 * Transform that maps an image of `width`×`height` into a `size`×`size` square, centred and
 * keeping the aspect ratio: 'crop' fills the square (the shorter side fits, the longer side is
 * cut evenly), 'pad' fits the whole image (the rest of the square is padding).
 */
export function fitSquareTransform(
  width: number,
  height: number,
  size: number,
  fit: 'crop' | 'pad',
): Affine {
  const scale = fit === 'crop' ? size / Math.min(width, height) : size / Math.max(width, height);
  return {
    a: scale,
    b: 0,
    c: 0,
    d: scale,
    e: (size - width * scale) / 2,
    f: (size - height * scale) / 2,
  };
}
