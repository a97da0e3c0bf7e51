import { describe, expect, it } from 'vitest';
import { isKinshipError } from '../../lib/errors';
import { tf } from '../tf';
import {
  alignFace,
  DESCRIPTOR_TEMPLATE,
  encoderCrops,
  RESNET_TEMPLATE,
  wholeImageCrop,
} from './align';
import { applyAffine, type Affine, type Point } from './geometry';
import {
  assertImageSize,
  assertPixelImage,
  pixelsToBatch,
  pixelsToTensor,
  toRgba,
  type PixelImage,
} from './pixels';
import { flipHorizontal, scaleImage, warpAffine } from './resample';

/**
 * Linear ramps: R = slope·x, G = slope·y, B = 255 − slope·x (alpha 128 when RGBA). Steep ramps
 * make a sub-pixel misplacement show up as a value error well above rounding.
 */
function gradient(width: number, height: number, slope = 1, channels: 3 | 4 = 4): PixelImage {
  const data = new Uint8ClampedArray(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      data[i] = slope * x;
      data[i + 1] = slope * y;
      data[i + 2] = 255 - slope * x;
      if (channels === 4) data[i + 3] = 128;
    }
  }
  return { width, height, channels, data };
}

/** Deterministic RGBA noise: any sub-pixel error blends neighbours and changes values. */
function noise(width: number, height: number): PixelImage {
  const data = new Uint8ClampedArray(width * height * 4);
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s >>> 24;
  }
  return { width, height, channels: 4, data };
}

function rgbAt(image: PixelImage, x: number, y: number): number[] {
  const i = (y * image.width + x) * image.channels;
  return [image.data[i] ?? NaN, image.data[i + 1] ?? NaN, image.data[i + 2] ?? NaN];
}

function expectRgbNear(actual: number[], expected: number[], tolerance = 0.51): void {
  expected.forEach((v, k) =>
    expect(Math.abs((actual[k] ?? NaN) - v)).toBeLessThanOrEqual(tolerance),
  );
}

const shift = (x: number, y: number): Affine => ({ a: 1, b: 0, c: 0, d: 1, e: x, f: y });

describe('warpAffine', () => {
  it('copies the image exactly under the identity, dropping alpha', () => {
    const src = noise(37, 23);
    const out = warpAffine(src, shift(0, 0), 37, 23);
    expect(out.channels).toBe(3);
    for (let y = 0; y < 23; y++)
      for (let x = 0; x < 37; x++) expect(rgbAt(out, x, y)).toEqual(rgbAt(src, x, y));
  });

  it('shifts by whole pixels and fills outside the source with black', () => {
    const src = noise(20, 10);
    const out = warpAffine(src, shift(3, 2), 20, 10);
    expect(rgbAt(out, 3, 2)).toEqual(rgbAt(src, 0, 0));
    expect(rgbAt(out, 19, 9)).toEqual(rgbAt(src, 16, 7));
    expect(rgbAt(out, 2, 5)).toEqual([0, 0, 0]);
    expect(rgbAt(out, 10, 1)).toEqual([0, 0, 0]);
  });

  it('rotates by 90° exactly when pixel centres map onto pixel centres', () => {
    const src = noise(8, 6);
    // (x, y) → (6 − y, x): a clockwise quarter turn into a 6×8 image.
    const rotate: Affine = { a: 0, b: 1, c: -1, d: 0, e: 6, f: 0 };
    const out = warpAffine(src, rotate, 6, 8);
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 8; x++) {
        const p = applyAffine(rotate, { x: x + 0.5, y: y + 0.5 });
        expect(rgbAt(out, Math.floor(p.x), Math.floor(p.y))).toEqual(rgbAt(src, x, y));
      }
    }
  });

  it('averages over the footprint when shrinking: a linear ramp halves exactly', () => {
    const src = gradient(64, 48, 4);
    const out = scaleImage(src, 0.5);
    expect([out.width, out.height]).toEqual([32, 24]);
    // Each output pixel is the mean of a 2×2 block, centred on source index 2x + 0.5.
    for (let y = 0; y < 24; y += 5) {
      for (let x = 0; x < 32; x += 3) {
        expectRgbNear(rgbAt(out, x, y), [
          4 * (2 * x + 0.5),
          4 * (2 * y + 0.5),
          255 - 4 * (2 * x + 0.5),
        ]);
      }
    }
  });

  it('interpolates bilinearly when enlarging: a ramp stays a ramp', () => {
    const src = gradient(16, 16, 16);
    const out = warpAffine(src, { a: 2, b: 0, c: 0, d: 2, e: 0, f: 0 }, 32, 32);
    for (let x = 1; x < 31; x++) {
      // Output pixel centre x + 0.5 reads source x-coordinate (x + 0.5) / 2, i.e. index (x + 0.5) / 2 − 0.5.
      const index = (x + 0.5) / 2 - 0.5;
      expectRgbNear(rgbAt(out, x, 9), [16 * index, 16 * (9.5 / 2 - 0.5), 255 - 16 * index]);
    }
    // Within half a pixel of the border the edge pixel is used, not black.
    expect(rgbAt(out, 0, 0)).toEqual(rgbAt(src, 0, 0));
  });

  it('mirrors left ↔ right', () => {
    const src = gradient(5, 3, 1, 3);
    const out = flipHorizontal(src);
    expect(rgbAt(out, 0, 1)).toEqual(rgbAt(src, 4, 1));
    expect(rgbAt(out, 4, 2)).toEqual(rgbAt(src, 0, 2));
  });
});

/** A grey image with two white discs at the eye positions. */
function eyesImage(
  width: number,
  height: number,
  eyes: { left: Point; right: Point },
  radius: number,
): PixelImage {
  const data = new Uint8ClampedArray(width * height * 3).fill(40);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (const c of [eyes.left, eyes.right]) {
        if (Math.hypot(x + 0.5 - c.x, y + 0.5 - c.y) <= radius)
          data.fill(255, (y * width + x) * 3, (y * width + x) * 3 + 3);
      }
    }
  }
  return { width, height, channels: 3, data };
}

/** Intensity-weighted centre of the bright pixels in the given column range. */
function brightCentre(image: PixelImage, fromX: number, toX: number): Point {
  let sx = 0;
  let sy = 0;
  let sw = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = fromX; x < toX; x++) {
      const w = Math.max(0, (image.data[(y * image.width + x) * image.channels] ?? 0) - 40);
      sx += w * (x + 0.5);
      sy += w * (y + 0.5);
      sw += w;
    }
  }
  return { x: sx / sw, y: sy / sw };
}

describe('alignFace', () => {
  it('rotates a 30°-tilted, off-centre pair of eyes onto the template', () => {
    const mid = { x: 260, y: 170 };
    const half = 45;
    const r = (30 * Math.PI) / 180;
    const eyes = {
      left: { x: mid.x - half * Math.cos(r), y: mid.y - half * Math.sin(r) },
      right: { x: mid.x + half * Math.cos(r), y: mid.y + half * Math.sin(r) },
    };
    const crop = alignFace(eyesImage(400, 300, eyes, 6), eyes, DESCRIPTOR_TEMPLATE);
    expect([crop.width, crop.height]).toEqual([150, 150]);
    const left = brightCentre(crop, 0, 75);
    const right = brightCentre(crop, 75, 150);
    const size = DESCRIPTOR_TEMPLATE.size;
    expect(Math.abs(left.x - DESCRIPTOR_TEMPLATE.eyes.left.x * size)).toBeLessThan(0.1);
    expect(Math.abs(left.y - DESCRIPTOR_TEMPLATE.eyes.left.y * size)).toBeLessThan(0.1);
    expect(Math.abs(right.x - DESCRIPTOR_TEMPLATE.eyes.right.x * size)).toBeLessThan(0.1);
    expect(Math.abs(right.y - DESCRIPTOR_TEMPLATE.eyes.right.y * size)).toBeLessThan(0.1);
  });

  it('gives both encoder crops from one face, or the whole image without one', () => {
    const image = gradient(300, 200);
    const eyes = { left: { x: 120, y: 90 }, right: { x: 170, y: 92 } };
    const crops = encoderCrops(image, eyes);
    expect([crops.descriptor.width, crops.resnet.width]).toEqual([150, 224]);
    const whole = encoderCrops(image, null);
    const expected = wholeImageCrop(image, RESNET_TEMPLATE.size).data;
    expect(Buffer.from(whole.resnet.data).equals(Buffer.from(expected))).toBe(true);
  });
});

describe('wholeImageCrop', () => {
  const wide = gradient(120, 60, 2);

  it("'crop' keeps the centre square, shorter side fitted", () => {
    const out = wholeImageCrop(wide, 30, 'crop');
    // Scale 0.5, source columns 30…90: output (x, y) is the 2×2 mean at index (30 + 2x + 0.5, 2y + 0.5).
    for (let y = 0; y < 30; y += 4) {
      for (let x = 0; x < 30; x += 3) {
        const sx = 30 + 2 * x + 0.5;
        expectRgbNear(rgbAt(out, x, y), [2 * sx, 2 * (2 * y + 0.5), 255 - 2 * sx]);
      }
    }
  });

  it("'pad' keeps everything and pads top and bottom with black", () => {
    const out = wholeImageCrop(wide, 40, 'pad');
    // Scale 1/3: the image becomes 40×20 on rows 10…29; each pixel is a 3×3 mean at index 3x + 1.
    for (let x = 0; x < 40; x += 7) {
      expect(rgbAt(out, x, 9)).toEqual([0, 0, 0]);
      expect(rgbAt(out, x, 30)).toEqual([0, 0, 0]);
      expectRgbNear(rgbAt(out, x, 10), [2 * (3 * x + 1), 2, 255 - 2 * (3 * x + 1)]);
      expectRgbNear(rgbAt(out, x, 29), [2 * (3 * x + 1), 2 * 58, 255 - 2 * (3 * x + 1)]);
    }
  });
});

describe('pixels', () => {
  it('refuses absurd sizes before any buffer exists, and broken buffers', () => {
    const code = (fn: () => void): string | undefined => {
      try {
        fn();
      } catch (e) {
        return isKinshipError(e) ? e.code : 'other';
      }
      return undefined;
    };
    expect(code(() => assertImageSize(20_000, 6_000))).toBe('IMAGE_TOO_LARGE');
    expect(code(() => assertImageSize(10_000, 10_000))).toBeUndefined();
    expect(code(() => assertImageSize(0, 10))).toBe('IMAGE_DECODE');
    expect(
      code(() => assertPixelImage({ width: 4, height: 4, channels: 3, data: new Uint8Array(47) })),
    ).toBe('IMAGE_DECODE');
    expect(
      code(() =>
        alignFace(
          { width: 12_000, height: 9_000, channels: 4, data: new Uint8Array(0) },
          {
            left: { x: 1, y: 1 },
            right: { x: 9, y: 1 },
          },
          DESCRIPTOR_TEMPLATE,
        ),
      ),
    ).toBe('IMAGE_TOO_LARGE');
  });

  it('converts to float RGB tensors and RGBA buffers', () => {
    const image = gradient(3, 2);
    const before = tf.memory().numTensors;
    const t = pixelsToTensor(image);
    expect(t.shape).toEqual([2, 3, 3]);
    expect(t.dtype).toBe('float32');
    expect(Array.from(t.dataSync().slice(3, 6))).toEqual([1, 0, 254]);
    const batch = pixelsToBatch([image, image]);
    expect(batch.shape).toEqual([2, 2, 3, 3]);
    tf.dispose([t, batch]);
    expect(tf.memory().numTensors).toBe(before);

    const rgba = toRgba(gradient(3, 2, 1, 3));
    expect(rgba.data).toBeInstanceOf(Uint8ClampedArray);
    expect(Array.from(rgba.data.slice(4, 8))).toEqual([1, 0, 254, 255]);
  });
});
