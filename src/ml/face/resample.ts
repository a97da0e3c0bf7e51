/**
 * Affine resampling of 8-bit images in plain TypeScript: detector inputs, landmark crops,
 * aligned face crops, whole-image inputs and thumbnails all come from here, read straight from
 * the full-resolution pixels, so no full-size tensor is ever allocated.
 */
import { affineScale, invertAffine, type Affine } from './geometry';
import type { PixelImage } from './pixels';

/** Cap on samples per axis per output pixel; 6×6 keeps large downscales smooth and fast. */
const MAX_SUPERSAMPLE = 6;

/**
 * Renders `src` through `imageToOutput` into a new `width`×`height` RGB image.
 *
 * Each output pixel is the mean of k×k bilinear samples spread over its footprint in the
 * source, k = ceil(source pixels per output pixel) — so downscaling is antialiased and
 * upscaling is plain bilinear. Points outside the source rectangle read as black (0); inside
 * it, samples within half a pixel of the border use the edge pixels, so borders stay crisp.
 */
export function warpAffine(
  src: PixelImage,
  imageToOutput: Affine,
  width: number,
  height: number,
): PixelImage & { data: Uint8ClampedArray; channels: 3 } {
  const inv = invertAffine(imageToOutput);
  const k = Math.min(
    MAX_SUPERSAMPLE,
    Math.max(1, Math.ceil(1 / affineScale(imageToOutput) - 1e-9)),
  );
  const out = new Uint8ClampedArray(width * height * 3);
  const { width: sw, height: sh, channels: sc, data } = src;
  const weight = 1 / (k * k);

  for (let oy = 0; oy < height; oy++) {
    for (let ox = 0; ox < width; ox++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < k; sy++) {
        const py = oy + (sy + 0.5) / k;
        for (let sx = 0; sx < k; sx++) {
          const px = ox + (sx + 0.5) / k;
          const u = inv.a * px + inv.c * py + inv.e;
          const v = inv.b * px + inv.d * py + inv.f;
          if (u < 0 || v < 0 || u > sw || v > sh) continue; // outside: fill value 0
          // Bilinear tap positions in pixel-index space, clamped to the edge pixels.
          const x = Math.min(Math.max(u - 0.5, 0), sw - 1);
          const y = Math.min(Math.max(v - 0.5, 0), sh - 1);
          const x0 = Math.floor(x);
          const y0 = Math.floor(y);
          const fx = x - x0;
          const fy = y - y0;
          const i00 = (y0 * sw + x0) * sc;
          const i10 = x0 + 1 < sw ? i00 + sc : i00;
          const i01 = y0 + 1 < sh ? i00 + sw * sc : i00;
          const i11 = i01 + (i10 - i00);
          const w00 = (1 - fx) * (1 - fy);
          const w10 = fx * (1 - fy);
          const w01 = (1 - fx) * fy;
          const w11 = fx * fy;
          r +=
            w00 * px8(data, i00) +
            w10 * px8(data, i10) +
            w01 * px8(data, i01) +
            w11 * px8(data, i11);
          g +=
            w00 * px8(data, i00 + 1) +
            w10 * px8(data, i10 + 1) +
            w01 * px8(data, i01 + 1) +
            w11 * px8(data, i11 + 1);
          b +=
            w00 * px8(data, i00 + 2) +
            w10 * px8(data, i10 + 2) +
            w01 * px8(data, i01 + 2) +
            w11 * px8(data, i11 + 2);
        }
      }
      const o = (oy * width + ox) * 3;
      out[o] = r * weight;
      out[o + 1] = g * weight;
      out[o + 2] = b * weight;
    }
  }
  return { width, height, channels: 3, data: out };
}

function px8(data: Uint8Array | Uint8ClampedArray, i: number): number {
  return data[i] as number; // callers index inside the buffer
}

/** Scales an image by `scale` (≤ 1 shrinks) with antialiasing; the size is rounded, at least 1. */
export function scaleImage(src: PixelImage, scale: number): PixelImage {
  const width = Math.max(1, Math.round(src.width * scale));
  const height = Math.max(1, Math.round(src.height * scale));
  // Exact per-axis factors so the image edges map onto the output edges.
  const t: Affine = { a: width / src.width, b: 0, c: 0, d: height / src.height, e: 0, f: 0 };
  return warpAffine(src, t, width, height);
}

/** Mirror image (left ↔ right). */
export function flipHorizontal(src: PixelImage): PixelImage {
  const { width, height, channels, data } = src;
  const out = new Uint8ClampedArray(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * channels;
      const to = (y * width + (width - 1 - x)) * channels;
      for (let ch = 0; ch < channels; ch++) out[to + ch] = data[from + ch] ?? 0;
    }
  }
  return { width, height, channels, data: out };
}
