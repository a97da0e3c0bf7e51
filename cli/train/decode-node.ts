/**
 * Image decoding for the CLI: JPEG (jpeg-js) and PNG (pngjs) to RGBA, larger images shrunk to
 * `maxSide` by box averaging. Dataset face crops (≤ 2× the encoder input) are never resized, so
 * their pixels are the same as the browser's for PNG; JPEG decoders can differ by a level or two.
 * EXIF orientation is not applied (FIW crops carry none). Failures name the file.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { KinshipError } from '../../src/lib/errors';
import { readImageHeader } from '../../src/lib/image-header';
import { fitWithin } from '../../src/ml/image/decode';
import { assertImageSize, type PixelImage } from '../../src/ml/face/pixels';
import type { DecodeImage } from '../../src/finetune/types';

export const decodeImageNode: DecodeImage = async (file, path, opts) => {
  if (file.size === 0)
    throw new KinshipError('IMAGE_DECODE', 'the file is empty (0 bytes)', { file: path });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const header = readImageHeader(bytes.subarray(0, 256 * 1024));
  if (header.width !== null && header.height !== null)
    assertImageSize(header.width, header.height, path);
  let image: PixelImage;
  try {
    if (header.format === 'jpeg') {
      const d = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxMemoryUsageInMB: 1024,
      });
      image = { width: d.width, height: d.height, channels: 4, data: d.data };
    } else if (header.format === 'png') {
      const d = PNG.sync.read(Buffer.from(bytes));
      image = { width: d.width, height: d.height, channels: 4, data: new Uint8Array(d.data) };
    } else {
      throw new Error(`${header.format} is not decoded by the CLI (JPEG and PNG are)`);
    }
  } catch (e) {
    if (e instanceof KinshipError) throw e;
    throw new KinshipError(
      'IMAGE_DECODE',
      `could not be decoded (${e instanceof Error ? e.message : String(e)})`,
      { file: path, cause: e },
    );
  }
  return shrinkTo(image, opts.maxSide);
};

/** Box-average downscale so the longest side is at most `maxSide` (no-op when it already is). */
export function shrinkTo(image: PixelImage, maxSide: number): PixelImage {
  const { width, height } = fitWithin(image.width, image.height, maxSide);
  if (width === image.width && height === image.height) return image;
  const c = image.channels;
  const out = new Uint8Array(width * height * c);
  const sx = image.width / width;
  const sy = image.height / height;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * sy);
    const y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * sx);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
      for (let k = 0; k < c; k++) {
        let sum = 0;
        for (let yy = y0; yy < y1; yy++)
          for (let xx = x0; xx < x1; xx++) sum += image.data[(yy * image.width + xx) * c + k] ?? 0;
        out[(y * width + x) * c + k] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
      }
    }
  }
  return { width, height, channels: c, data: out };
}
