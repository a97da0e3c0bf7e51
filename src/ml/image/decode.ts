/**
 * Worker-side image decoding: Blob → RGBA pixels, EXIF orientation applied by the browser,
 * large photos downscaled during decode so a 6000×4000 phone picture never exists as a
 * 96 MB buffer. Every failure names the file and the problem.
 */
import { KinshipError } from '../../lib/errors';
import { readExifOrientation, orientedSize, type ExifOrientation } from '../../lib/exif';
import { readImageHeader, type ImageHeader } from '../../lib/image-header';
import { assertImageSize, type PixelImage } from '../face/pixels';

export interface DecodedImage {
  image: PixelImage;
  /** Size of the upright original, before any downscaling. */
  originalWidth: number;
  originalHeight: number;
  /** decoded size / original size (≤ 1). */
  scale: number;
  header: ImageHeader;
  orientation: ExifOrientation;
  /** Human-readable remarks worth showing (animated → first frame, 16-bit → 8-bit, …). */
  notes: string[];
}

export interface DecodeOptions {
  /** Longest side of the decoded pixels; larger images are downscaled while decoding. */
  maxSide?: number;
}

/** Enough for detection and for 224-px crops of faces that fill a tenth of the photo. */
export const DEFAULT_MAX_SIDE = 2048;
const HEADER_BYTES = 256 * 1024;

function formatLabel(h: ImageHeader): string {
  return h.format === 'jpeg' ? 'JPEG' : h.format.toUpperCase();
}

export async function decodeImageBlob(
  blob: Blob,
  name: string,
  opts: DecodeOptions = {},
): Promise<DecodedImage> {
  if (blob.size === 0)
    throw new KinshipError('IMAGE_DECODE', 'the file is empty (0 bytes)', { file: name });
  const head = new Uint8Array(await blob.slice(0, HEADER_BYTES).arrayBuffer());
  const header = readImageHeader(head);
  if (header.format === 'unknown') {
    throw new KinshipError(
      'IMAGE_DECODE',
      `not an image (${header.looksLike ?? 'unknown content'})`,
      { file: name },
    );
  }
  if (header.width !== null && header.height !== null)
    assertImageSize(header.width, header.height, name);

  const truncated = await truncationOf(blob, header);
  if (truncated) throw new KinshipError('IMAGE_DECODE', truncated, { file: name });

  const orientation = header.format === 'jpeg' ? readExifOrientation(head) : 1;
  const notes: string[] = [];
  if (header.animated) notes.push('animated image: the first frame is used');
  if (header.bitDepth !== null && header.bitDepth > 8)
    notes.push(`${header.bitDepth}-bit image reduced to 8 bits`);
  if (header.components === 4) notes.push('CMYK JPEG converted to RGB');
  if (orientation !== 1) notes.push(`EXIF orientation ${orientation} applied`);

  const maxSide = opts.maxSide ?? DEFAULT_MAX_SIDE;
  let bitmap: ImageBitmap;
  try {
    const resize = resizeFor(header, orientation, maxSide);
    bitmap = await createImageBitmap(blob, {
      imageOrientation: 'from-image',
      premultiplyAlpha: 'none',
      ...(resize
        ? { resizeWidth: resize.width, resizeHeight: resize.height, resizeQuality: 'high' }
        : {}),
    });
  } catch (e) {
    const why =
      header.format === 'heic' || header.format === 'avif'
        ? `${formatLabel(header)} photos cannot be decoded by this browser; convert it to JPEG first`
        : `could not be decoded as ${formatLabel(header)} (the file is corrupt or truncated)`;
    throw new KinshipError('IMAGE_DECODE', why, { file: name, cause: e });
  }

  try {
    const upright =
      header.width !== null && header.height !== null
        ? orientedSize(header.width, header.height, orientation)
        : { width: bitmap.width, height: bitmap.height };
    // When the header had no size, the bitmap is the full image: downscale it now.
    const target = fitWithin(bitmap.width, bitmap.height, maxSide);
    const canvas = new OffscreenCanvas(target.width, target.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx)
      throw new KinshipError('IMAGE_DECODE', '2D canvas unavailable in this browser', {
        file: name,
      });
    ctx.drawImage(bitmap, 0, 0, target.width, target.height);
    const pixels = ctx.getImageData(0, 0, target.width, target.height);
    return {
      image: { width: target.width, height: target.height, data: pixels.data, channels: 4 },
      originalWidth: upright.width,
      originalHeight: upright.height,
      scale: target.width / upright.width,
      header,
      orientation,
      notes,
    };
  } finally {
    bitmap.close();
  }
}

export function fitWithin(
  width: number,
  height: number,
  maxSide: number,
): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** The decode-time resize (in upright coordinates), or null when the image is small enough. */
function resizeFor(
  header: ImageHeader,
  orientation: ExifOrientation,
  maxSide: number,
): { width: number; height: number } | null {
  if (header.width === null || header.height === null) return null;
  const upright = orientedSize(header.width, header.height, orientation);
  if (Math.max(upright.width, upright.height) <= maxSide) return null;
  return fitWithin(upright.width, upright.height, maxSide);
}

/**
 * JPEG and PNG files end with a fixed marker (FF D9, the IEND chunk). Browsers decode a cut-off
 * file into a half-grey picture without complaint; we say what happened instead.
 */
async function truncationOf(blob: Blob, header: ImageHeader): Promise<string | null> {
  if (header.format !== 'jpeg' && header.format !== 'png') return null;
  const tail = new Uint8Array(await blob.slice(Math.max(0, blob.size - 16)).arrayBuffer());
  if (header.format === 'jpeg') {
    // Some writers pad after EOI; look for FF D9 in the last bytes.
    for (let i = tail.length - 2; i >= 0; i--)
      if (tail[i] === 0xff && tail[i + 1] === 0xd9) return null;
    return 'the JPEG file is truncated (it ends before the image data is complete)';
  }
  const iend = [0x49, 0x45, 0x4e, 0x44];
  for (let i = tail.length - 8; i >= 0; i--) {
    if (iend.every((b, k) => tail[i + k] === b)) return null;
  }
  return 'the PNG file is truncated (its end chunk is missing)';
}
