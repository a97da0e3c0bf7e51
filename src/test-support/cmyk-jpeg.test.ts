import { existsSync, readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { encodeCmykJpeg, ZIGZAG_ORDER, type RgbaImage } from './cmyk-jpeg';

/*
 * How jpeg-js 0.4.4 reads a 4-component file with an APP14 Adobe segment, transform 0
 * (lib/decoder.js): getData() returns 255 − sample for each component, i.e. it treats the stored
 * samples as Adobe-inverted and un-inverts them to true C, M, Y, K. copyToImageData() then computes
 * R = 255 − (C·(1 − K/255) + K), which equals (255 − C)(255 − K)/255 = C'·K'/255 in terms of the
 * stored samples — the same Adobe-inverted formula Chromium/Skia use. The result is truncated (not
 * rounded) into the output buffer, a bias of up to −1 per channel. Without the Adobe segment
 * jpeg-js refuses 4-component files outright ("Unsupported color mode (4 components)").
 */

const SAMPLE_PHOTO = 'node_modules/@vladmandic/face-api/demo/sample1.jpg';

interface Segment {
  marker: number;
  payload: Uint8Array;
}

/** The marker segments before the entropy-coded data (SOI itself has no payload). */
function headerSegments(file: Uint8Array): Segment[] {
  const out: Segment[] = [];
  let p = 2;
  for (;;) {
    const marker = ((file[p] ?? 0) << 8) | (file[p + 1] ?? 0);
    const len = ((file[p + 2] ?? 0) << 8) | (file[p + 3] ?? 0);
    out.push({ marker, payload: file.subarray(p + 4, p + 2 + len) });
    p += 2 + len;
    if (marker === 0xffda) return out;
  }
}

function makeTestPattern(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  const patches: [number, number, number][] = [
    [255, 0, 0],
    [0, 255, 0],
    [0, 0, 255],
    [255, 255, 255],
    [0, 0, 0],
    [128, 128, 128],
  ];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      let rgb: [number, number, number];
      if (y < 12) {
        // Top band: six flat patches, 6 px wide each (the last one runs to the edge).
        rgb = patches[Math.min(Math.floor(x / 6), 5)] ?? [0, 0, 0];
      } else {
        // Bottom band: a smooth two-axis gradient through all hues and brightnesses.
        const fx = x / (width - 1);
        const fy = (y - 12) / (height - 13);
        rgb = [Math.round(255 * fx), Math.round(255 * fy), Math.round(255 * (1 - fx) * (1 - fy))];
      }
      data.set([...rgb, 255], i);
    }
  }
  return { data, width, height };
}

function rgbError(a: RgbaImage, b: RgbaImage): { mean: number; max: number } {
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    for (let c = 0; c < 3; c++) {
      const d = Math.abs((a.data[i * 4 + c] ?? 0) - (b.data[i * 4 + c] ?? 0));
      sum += d;
      if (d > max) max = d;
    }
  }
  return { mean: sum / (a.width * a.height * 3), max };
}

describe('ZIGZAG_ORDER', () => {
  it('is a permutation of 0..63 starting 0,1,8,16,9,2,3,10,17,24 and ending 63', () => {
    expect(ZIGZAG_ORDER.slice(0, 10)).toEqual([0, 1, 8, 16, 9, 2, 3, 10, 17, 24]);
    expect(ZIGZAG_ORDER.slice(-3)).toEqual([55, 62, 63]);
    expect([...ZIGZAG_ORDER].sort((p, q) => p - q)).toEqual(
      Array.from({ length: 64 }, (_, i) => i),
    );
  });
});

describe('encodeCmykJpeg', () => {
  it('writes SOI, an Adobe APP14 (transform 0), DQT, a 4-component SOF0, DHT and SOS', () => {
    const file = encodeCmykJpeg(makeTestPattern(37, 29));
    expect([file[0], file[1]]).toEqual([0xff, 0xd8]);
    expect([file.at(-2), file.at(-1)]).toEqual([0xff, 0xd9]);

    const segments = headerSegments(file);
    expect(segments.map((s) => s.marker)).toEqual([0xffee, 0xffdb, 0xffc0, 0xffc4, 0xffda]);

    const [app14, dqt, sof, dht, sos] = segments.map((s) => s.payload);
    expect(Buffer.from(app14 ?? []).toString('latin1', 0, 5)).toBe('Adobe');
    expect(app14?.length).toBe(12); // segment length 14 minus the 2-byte length field
    expect(app14?.[11]).toBe(0); // transform: plain CMYK, no YCCK

    expect(dqt?.length).toBe(65);
    expect(dqt?.[0]).toBe(0x00);
    expect(new Set(dqt?.subarray(1))).toEqual(new Set([2]));

    // precision, height, width, component count, then (id, sampling, table) × 4
    expect([...(sof ?? [])]).toEqual([
      8, 0, 29, 0, 37, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0,
    ]);
    expect(dht?.length).toBe(1 + 16 + 12 + 1 + 16 + 162);
    expect([...(sos ?? [])]).toEqual([4, 1, 0, 2, 0, 3, 0, 4, 0, 0, 63, 0]);
  });

  it('round-trips colour patches and gradients through jpeg-js (Adobe-inverted CMYK)', () => {
    const input = makeTestPattern(37, 29);
    const decoded = jpeg.decode(encodeCmykJpeg(input), { useTArray: true });
    expect([decoded.width, decoded.height]).toEqual([37, 29]);
    const err = rgbError(input, decoded);
    console.log(`37×29 pattern via jpeg-js: mean abs error ${err.mean.toFixed(3)}, max ${err.max}`);
    expect(err.mean).toBeLessThan(1);
    expect(err.max).toBeLessThan(8);

    // The patch centres are flat, so they should come back essentially exact.
    const at = (x: number, y: number) => [
      ...decoded.data.subarray((y * 37 + x) * 4, (y * 37 + x) * 4 + 3),
    ];
    for (const [x, rgb] of [
      [3, [255, 0, 0]],
      [9, [0, 255, 0]],
      [15, [0, 0, 255]],
      [21, [255, 255, 255]],
      [27, [0, 0, 0]],
      [33, [128, 128, 128]],
    ] as const) {
      at(x, 5).forEach((v, c) => expect(Math.abs(v - (rgb[c] ?? 0))).toBeLessThanOrEqual(2));
    }
  });

  it('survives the entropy-coder edge cases: full-range noise, long zero runs, tiny images', () => {
    // Noise at quant 1: large AC values in every category, and many 0xFF bytes to stuff.
    const noise = makeTestPattern(24, 16);
    let seed = 1;
    for (let i = 0; i < noise.data.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      if (i % 4 !== 3) noise.data[i] = seed >>> 24;
    }
    const noiseErr = rgbError(
      noise,
      jpeg.decode(encodeCmykJpeg(noise, { quant: 1 }), { useTArray: true }),
    );
    console.log(
      `24×16 noise at quant 1: mean abs error ${noiseErr.mean.toFixed(3)}, max ${noiseErr.max}`,
    );
    expect(noiseErr.mean).toBeLessThan(1);

    // A grey pure (7,7) DCT basis pattern puts K's only energy in the last zigzag coefficient:
    // 62 zeros (3 ZRLs plus a run of 14) and a block that ends without EOB.
    const basis = makeTestPattern(8, 8);
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const f = (t: number) => Math.cos(((2 * t + 1) * 7 * Math.PI) / 16);
        const v = Math.round(128 + 100 * f(x) * f(y));
        basis.data.set([v, v, v, 255], (y * 8 + x) * 4);
      }
    }
    const basisErr = rgbError(
      basis,
      jpeg.decode(encodeCmykJpeg(basis, { quant: 16 }), { useTArray: true }),
    );
    expect(basisErr.max).toBeLessThan(12);

    for (const [w, h] of [
      [1, 1],
      [8, 8],
      [9, 17],
    ] as const) {
      const img = makeTestPattern(w, h);
      const back = jpeg.decode(encodeCmykJpeg(img), { useTArray: true });
      expect([back.width, back.height]).toEqual([w, h]);
      expect(rgbError(img, back).max).toBeLessThan(8);
    }
  });

  it('honours the quant option: a coarser table gives a smaller, lossier file', () => {
    const input = makeTestPattern(37, 29);
    const fine = encodeCmykJpeg(input, { quant: 1 });
    const coarse = encodeCmykJpeg(input, { quant: 16 });
    expect(coarse.length).toBeLessThan(fine.length);
    const fineErr = rgbError(input, jpeg.decode(fine, { useTArray: true }));
    const coarseErr = rgbError(input, jpeg.decode(coarse, { useTArray: true }));
    expect(coarseErr.mean).toBeGreaterThan(fineErr.mean);
    expect(() => encodeCmykJpeg(input, { quant: 0 })).toThrow(/quant/);
  });

  it('round-trips a real photo (face-api sample1.jpg) through CMYK', () => {
    expect(existsSync(SAMPLE_PHOTO)).toBe(true);
    const photo = jpeg.decode(readFileSync(SAMPLE_PHOTO), { useTArray: true });
    const start = performance.now();
    const cmyk = encodeCmykJpeg(photo);
    const encodeMs = performance.now() - start;
    const back = jpeg.decode(cmyk, { useTArray: true, maxMemoryUsageInMB: 1024 });
    const err = rgbError(photo, back);
    console.log(
      `sample1.jpg ${photo.width}×${photo.height}: CMYK encode ${encodeMs.toFixed(0)} ms, ` +
        `${(cmyk.length / 1024).toFixed(0)} KiB, mean abs error ${err.mean.toFixed(3)}, max ${err.max}`,
    );
    expect([back.width, back.height]).toEqual([photo.width, photo.height]);
    expect(err.mean).toBeLessThan(2);
    expect(err.max).toBeLessThan(12);
  });
});
