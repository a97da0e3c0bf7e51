/**
 * EXIF Orientation (tag 0x0112) for JPEG files, and helpers to apply it.
 *
 * Browsers' createImageBitmap already applies the orientation (imageOrientation 'from-image'),
 * but Node decoders (jpeg-js) do not, and the UI reports the tag. The parser never throws:
 * anything truncated, malformed or absent reads as 1 (upright).
 */

/** EXIF orientation: 1 upright, 2 mirrored, 3 rotated 180°, 4 flipped, 5–8 the transposed set. */
export type ExifOrientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** 2D affine transform in canvas `setTransform(a, b, c, d, e, f)` order: x' = a·x + c·y + e, y' = b·x + d·y + f. */
export type CanvasTransform = readonly [number, number, number, number, number, number];

const ORIENTATION_TAG = 0x0112;
const TIFF_TYPE_SHORT = 3;

/** Reads the EXIF orientation of a JPEG; 1 when the bytes are not a JPEG, carry no tag, or are broken. */
export function readExifOrientation(bytes: Uint8Array | ArrayBuffer): ExifOrientation {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  try {
    const tiff = findExifTiff(data);
    return tiff ? readOrientationFromTiff(tiff) : 1;
  } catch {
    // A DataView read past the end of a truncated segment: treat as "no orientation".
    return 1;
  }
}

/** Walks the JPEG marker segments up to the image data and returns the TIFF block of the first Exif APP1. */
function findExifTiff(data: Uint8Array): DataView | null {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return null;
  let pos = 2;
  while (pos + 4 <= data.length) {
    if (data[pos] !== 0xff) return null;
    const marker = data[pos + 1] ?? 0;
    if (marker === 0xff) {
      pos += 1; // fill byte before a marker
      continue;
    }
    // Standalone markers carry no length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    // Start of scan or end of image: metadata segments all come before these.
    if (marker === 0xda || marker === 0xd9) return null;
    const length = ((data[pos + 2] ?? 0) << 8) | (data[pos + 3] ?? 0);
    if (length < 2) return null;
    const start = pos + 4;
    const end = Math.min(pos + 2 + length, data.length);
    if (marker === 0xe1 && isExifHeader(data, start) && end - start > 6) {
      return new DataView(data.buffer, data.byteOffset + start + 6, end - start - 6);
    }
    pos += 2 + length;
  }
  return null;
}

function isExifHeader(data: Uint8Array, at: number): boolean {
  const header = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"
  return header.every((byte, i) => data[at + i] === byte);
}

function readOrientationFromTiff(tiff: DataView): ExifOrientation {
  const order = tiff.getUint16(0, false);
  if (order !== 0x4949 && order !== 0x4d4d) return 1; // "II" little-endian, "MM" big-endian
  const little = order === 0x4949;
  if (tiff.getUint16(2, little) !== 42) return 1;
  const ifd0 = tiff.getUint32(4, little);
  const entries = tiff.getUint16(ifd0, little);
  for (let i = 0; i < entries; i++) {
    const entry = ifd0 + 2 + i * 12;
    if (tiff.getUint16(entry, little) !== ORIENTATION_TAG) continue;
    if (tiff.getUint16(entry + 2, little) !== TIFF_TYPE_SHORT) return 1;
    return toOrientation(tiff.getUint16(entry + 8, little));
  }
  return 1;
}

function toOrientation(value: number): ExifOrientation {
  return Number.isInteger(value) && value >= 1 && value <= 8 ? (value as ExifOrientation) : 1;
}

/** Orientations 5–8 swap width and height. */
export function swapsDimensions(orientation: ExifOrientation): boolean {
  return orientation >= 5;
}

/** Size of the upright image, given the stored (decoded) size. */
export function orientedSize(
  width: number,
  height: number,
  orientation: ExifOrientation,
): { width: number; height: number } {
  return swapsDimensions(orientation) ? { width: height, height: width } : { width, height };
}

/**
 * The transform that draws the stored image (width × height) upright onto a canvas of
 * `orientedSize(width, height, orientation)`: `ctx.setTransform(...t); ctx.drawImage(img, 0, 0)`.
 */
export function orientationTransform(
  orientation: ExifOrientation,
  width: number,
  height: number,
): CanvasTransform {
  switch (orientation) {
    case 1:
      return [1, 0, 0, 1, 0, 0];
    case 2: // mirrored horizontally
      return [-1, 0, 0, 1, width, 0];
    case 3: // rotated 180°
      return [-1, 0, 0, -1, width, height];
    case 4: // mirrored vertically
      return [1, 0, 0, -1, 0, height];
    case 5: // transposed (mirror across the main diagonal)
      return [0, 1, 1, 0, 0, 0];
    case 6: // needs a 90° clockwise turn
      return [0, 1, -1, 0, height, 0];
    case 7: // transverse (mirror across the anti-diagonal)
      return [0, -1, -1, 0, height, width];
    case 8: // needs a 90° counter-clockwise turn
      return [0, -1, 1, 0, 0, width];
  }
}

/** Interleaved 8-bit pixels, row-major from the top-left corner. */
export interface RawPixels<
  T extends Uint8Array | Uint8ClampedArray = Uint8Array | Uint8ClampedArray,
> {
  width: number;
  height: number;
  channels: number;
  data: T;
}

/** Returns a new, upright copy of decoded pixels (for decoders that ignore EXIF, such as jpeg-js). */
export function applyOrientation<T extends Uint8Array | Uint8ClampedArray>(
  image: RawPixels<T>,
  orientation: ExifOrientation,
): RawPixels<T> {
  const { width, height, channels, data } = image;
  const size = orientedSize(width, height, orientation);
  const out = new (data.constructor as new (length: number) => T)(data.length);
  const [a, b, c, d, e, f] = orientationTransform(orientation, width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Map the pixel centre, then floor back to the destination pixel index.
      const cx = x + 0.5;
      const cy = y + 0.5;
      const ox = Math.floor(a * cx + c * cy + e);
      const oy = Math.floor(b * cx + d * cy + f);
      const src = (y * width + x) * channels;
      const dst = (oy * size.width + ox) * channels;
      for (let k = 0; k < channels; k++) out[dst + k] = data[src + k] ?? 0;
    }
  }
  return { width: size.width, height: size.height, channels, data: out };
}
