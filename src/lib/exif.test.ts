import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import {
  applyOrientation,
  orientationTransform,
  orientedSize,
  readExifOrientation,
  type ExifOrientation,
  type RawPixels,
} from './exif';

const ORIENTATIONS: ExifOrientation[] = [1, 2, 3, 4, 5, 6, 7, 8];

interface ExifOptions {
  littleEndian?: boolean;
  /** TIFF field type of the Orientation entry (3 = SHORT). */
  type?: number;
}

/** An APP1 "Exif" segment whose IFD0 holds a Make entry, then Orientation = `value`. */
function exifSegment(
  value: number,
  { littleEndian = false, type = 3 }: ExifOptions = {},
): Uint8Array {
  const tiff = new DataView(new ArrayBuffer(8 + 2 + 2 * 12 + 4));
  tiff.setUint16(0, littleEndian ? 0x4949 : 0x4d4d, false);
  tiff.setUint16(2, 42, littleEndian);
  tiff.setUint32(4, 8, littleEndian);
  tiff.setUint16(8, 2, littleEndian);
  // Make (0x010F), ASCII, 4 bytes inline: "Cam\0".
  tiff.setUint16(10, 0x010f, littleEndian);
  tiff.setUint16(12, 2, littleEndian);
  tiff.setUint32(14, 4, littleEndian);
  [0x43, 0x61, 0x6d, 0].forEach((b, i) => tiff.setUint8(18 + i, b));
  // Orientation (0x0112), SHORT, count 1, value left-aligned in the 4-byte field.
  tiff.setUint16(22, 0x0112, littleEndian);
  tiff.setUint16(24, type, littleEndian);
  tiff.setUint32(26, 1, littleEndian);
  tiff.setUint16(30, value, littleEndian);
  const body = [...new TextEncoder().encode('Exif'), 0, 0, ...new Uint8Array(tiff.buffer)];
  return segment(0xe1, body);
}

function segment(marker: number, body: number[]): Uint8Array {
  const length = body.length + 2;
  return Uint8Array.from([0xff, marker, length >> 8, length & 0xff, ...body]);
}

const SOI = [0xff, 0xd8];
const APP0_JFIF = segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
const XMP_APP1 = segment(0xe1, [
  ...new TextEncoder().encode('http://ns.adobe.com/xap/1.0/'),
  0,
  0x3c,
  0x3e,
]);
const SCAN = [0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0, 0x12, 0x34, 0xff, 0xd9];

function jpegBytes(...segments: Uint8Array[]): Uint8Array {
  return Uint8Array.from([...SOI, ...segments.flatMap((s) => [...s]), ...SCAN]);
}

/** Deterministic pseudo-random bytes (LCG), so garbage tests are repeatable. */
function garbage(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

describe('readExifOrientation', () => {
  it.each(ORIENTATIONS)('reads orientation %i in both byte orders', (o) => {
    expect(readExifOrientation(jpegBytes(APP0_JFIF, exifSegment(o)))).toBe(o);
    expect(readExifOrientation(jpegBytes(APP0_JFIF, exifSegment(o, { littleEndian: true })))).toBe(
      o,
    );
  });

  it('accepts an ArrayBuffer and skips non-Exif APP1 segments and fill bytes', () => {
    const bytes = jpegBytes(
      XMP_APP1,
      Uint8Array.from([0xff]),
      exifSegment(6, { littleEndian: true }),
    );
    expect(readExifOrientation(bytes.slice().buffer)).toBe(6);
  });

  it('returns 1 when there is no Exif segment or no orientation tag', () => {
    expect(readExifOrientation(jpegBytes(APP0_JFIF))).toBe(1);
    // The real sample carries Exif (camera, GPS) but no Orientation entry.
    const sample = readFileSync('node_modules/@vladmandic/face-api/demo/sample1.jpg');
    expect(readExifOrientation(sample)).toBe(1);
  });

  it('returns 1 for out-of-range values and a wrong field type', () => {
    expect(readExifOrientation(jpegBytes(exifSegment(0)))).toBe(1);
    expect(readExifOrientation(jpegBytes(exifSegment(9)))).toBe(1);
    expect(readExifOrientation(jpegBytes(exifSegment(6, { type: 4 })))).toBe(1);
  });

  it('returns 1 for non-JPEG data and garbage, never throwing', () => {
    expect(readExifOrientation(new Uint8Array(0))).toBe(1);
    expect(
      readExifOrientation(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    ).toBe(1);
    for (let seed = 1; seed <= 200; seed++) {
      const bytes = garbage(64 + seed, seed);
      expect(readExifOrientation(bytes)).toBe(1);
      // Garbage after a valid SOI, and garbage inside an Exif segment.
      bytes[0] = 0xff;
      bytes[1] = 0xd8;
      expect(ORIENTATIONS).toContain(readExifOrientation(bytes));
      const exif = exifSegment(3);
      exif.set(garbage(exif.length - 10, seed).subarray(0, exif.length - 16), 16);
      expect(ORIENTATIONS).toContain(readExifOrientation(jpegBytes(exif)));
    }
  });

  it('survives every truncation of a valid file', () => {
    const full = jpegBytes(APP0_JFIF, exifSegment(8, { littleEndian: true }));
    // The Orientation value ends 32 bytes into the TIFF block, which starts 10 bytes into APP1.
    const valueEnd = SOI.length + APP0_JFIF.length + 10 + 32;
    for (let n = 0; n <= full.length; n++) {
      expect(readExifOrientation(full.subarray(0, n))).toBe(n >= valueEnd ? 8 : 1);
    }
  });

  it('reads the tag spliced into a real JPEG encoded by jpeg-js', () => {
    const encoded = encodeHalves();
    expect(readExifOrientation(encoded)).toBe(1);
    expect(readExifOrientation(spliceExif(encoded, 6))).toBe(6);
  });
});

describe('orientation geometry', () => {
  it('swaps the size for orientations 5–8 only', () => {
    for (const o of ORIENTATIONS) {
      expect(orientedSize(40, 30, o)).toEqual(
        o >= 5 ? { width: 30, height: 40 } : { width: 40, height: 30 },
      );
    }
  });

  it('maps the stored corners onto the corners of the upright canvas', () => {
    const w = 40;
    const h = 30;
    // Where the stored top-left corner must end up on the upright image.
    const topLeftGoesTo: Record<ExifOrientation, [number, number]> = {
      1: [0, 0],
      2: [w, 0],
      3: [w, h],
      4: [0, h],
      5: [0, 0],
      6: [h, 0],
      7: [h, w],
      8: [0, w],
    };
    for (const o of ORIENTATIONS) {
      const [a, b, c, d, e, f] = orientationTransform(o, w, h);
      expect([a * 0 + c * 0 + e, b * 0 + d * 0 + f]).toEqual(topLeftGoesTo[o]);
      const size = orientedSize(w, h, o);
      const corners = [
        [0, 0],
        [w, 0],
        [0, h],
        [w, h],
      ].map(([x = 0, y = 0]) => `${a * x + c * y + e},${b * x + d * y + f}`);
      expect(new Set(corners)).toEqual(
        new Set([`0,0`, `${size.width},0`, `0,${size.height}`, `${size.width},${size.height}`]),
      );
    }
  });

  /** Reference: the upright pixel (x, y) reads stored pixel `source(x, y)`, written per case. */
  function expectedSource(
    o: ExifOrientation,
    x: number,
    y: number,
    w: number,
    h: number,
  ): [number, number] {
    switch (o) {
      case 1:
        return [x, y];
      case 2:
        return [w - 1 - x, y];
      case 3:
        return [w - 1 - x, h - 1 - y];
      case 4:
        return [x, h - 1 - y];
      case 5:
        return [y, x];
      case 6:
        return [y, h - 1 - x];
      case 7:
        return [w - 1 - y, h - 1 - x];
      case 8:
        return [w - 1 - y, x];
    }
  }

  it.each(ORIENTATIONS)('applyOrientation(%i) moves every pixel where EXIF says', (o) => {
    const w = 3;
    const h = 2;
    // Pixel value = its index, in both channels, so every pixel is distinguishable.
    const data = Uint8Array.from({ length: w * h * 2 }, (_, i) => Math.floor(i / 2) * 10 + (i % 2));
    const upright = applyOrientation({ width: w, height: h, channels: 2, data }, o);
    const size = orientedSize(w, h, o);
    expect([upright.width, upright.height]).toEqual([size.width, size.height]);
    expect(upright.data).toBeInstanceOf(Uint8Array);
    for (let y = 0; y < size.height; y++) {
      for (let x = 0; x < size.width; x++) {
        const [sx, sy] = expectedSource(o, x, y, w, h);
        const i = (y * size.width + x) * 2;
        expect([upright.data[i], upright.data[i + 1]]).toEqual([
          (sy * w + sx) * 10,
          (sy * w + sx) * 10 + 1,
        ]);
      }
    }
  });

  it('turns a jpeg-js decode upright: orientation 6 puts the left half on top', () => {
    const bytes = spliceExif(encodeHalves(), 6);
    const decoded = jpeg.decode(bytes, { useTArray: true });
    const stored: RawPixels = {
      width: decoded.width,
      height: decoded.height,
      channels: 4,
      data: decoded.data,
    };
    const upright = applyOrientation(stored, readExifOrientation(bytes));
    expect([upright.width, upright.height]).toEqual([16, 32]);
    const red = (x: number, y: number): number => upright.data[(y * 16 + x) * 4] ?? -1;
    const blue = (x: number, y: number): number => upright.data[(y * 16 + x) * 4 + 2] ?? -1;
    expect(red(8, 4)).toBeGreaterThan(200);
    expect(blue(8, 4)).toBeLessThan(50);
    expect(red(8, 28)).toBeLessThan(50);
    expect(blue(8, 28)).toBeGreaterThan(200);
  });
});

/** A 32×16 JPEG: left half red, right half blue. */
function encodeHalves(): Uint8Array {
  const width = 32;
  const height = 16;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set(x < width / 2 ? [255, 0, 0, 255] : [0, 0, 255, 255], (y * width + x) * 4);
    }
  }
  return new Uint8Array(jpeg.encode({ width, height, data }, 95).data);
}

/** Inserts an Exif APP1 with the given orientation right after SOI. */
function spliceExif(bytes: Uint8Array, orientation: number): Uint8Array {
  return Uint8Array.from([
    ...bytes.subarray(0, 2),
    ...exifSegment(orientation),
    ...bytes.subarray(2),
  ]);
}
