/**
 * Bad and awkward inputs a real user drops, generated here so nothing is checked in: non-images
 * with image names, empty and truncated files, 16-bit and animated images, HEIC, absurd sizes,
 * a CMYK JPEG and an EXIF-rotated photo.
 */
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { encodeCmykJpeg } from '../src/test-support/cmyk-jpeg';
import type { DropFile } from './helpers';
import { samplePhoto } from './helpers';

const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];

/** An APP1 Exif segment (big-endian TIFF) whose IFD0 has just Orientation = value. */
function exifApp1(orientation: number): Buffer {
  const tiff = [
    0x4d,
    0x4d,
    0x00,
    0x2a,
    0x00,
    0x00,
    0x00,
    0x08, // MM, 42, IFD0 at 8
    ...u16(1), // one entry
    ...u16(0x0112),
    ...u16(3),
    0,
    0,
    0,
    1,
    ...u16(orientation),
    0,
    0, // Orientation SHORT
    0,
    0,
    0,
    0, // no next IFD
  ];
  const body = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  return Buffer.from([0xff, 0xe1, ...u16(body.length + 2), ...body]);
}

/** sample1.jpg stored rotated 90° counter-clockwise, tagged "rotate 90° clockwise to display". */
export function exifRotatedSample(): DropFile {
  const src = jpeg.decode(readFileSync(samplePhoto(1)));
  const { width: w, height: h } = src;
  const pixels = Buffer.from(src.data);
  const out = Buffer.alloc(w * h * 4);
  // Stored (h wide, w tall): stored(x, y) = original(w - 1 - y, x).
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < h; x++) {
      const from = (x * w + (w - 1 - y)) * 4;
      pixels.copy(out, (y * h + x) * 4, from, from + 4);
    }
  }
  const encoded = Buffer.from(jpeg.encode({ data: out, width: h, height: w }, 90).data);
  const withExif = Buffer.concat([encoded.subarray(0, 2), exifApp1(6), encoded.subarray(2)]);
  return { name: 'rotated-exif6.jpg', mimeType: 'image/jpeg', buffer: withExif };
}

/** sample1.jpg re-encoded as an Adobe (inverted) CMYK JPEG, the kind Photoshop writes. */
export function cmykSample(): DropFile {
  const src = jpeg.decode(readFileSync(samplePhoto(1)), { maxMemoryUsageInMB: 1024 });
  return {
    name: 'print-cmyk.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from(encodeCmykJpeg(src)),
  };
}

function png(width: number, height: number, bitDepth: 8 | 16 = 8): Buffer {
  const p = new PNG({ width, height, bitDepth, colorType: 6, inputHasAlpha: true });
  p.data = Buffer.alloc(width * height * 4 * (bitDepth / 8));
  for (let i = 0; i < p.data.length; i++) p.data[i] = (i * 37) % 256;
  return PNG.sync.write(p, { bitDepth, colorType: 6, inputColorType: 6 });
}

/** A two-frame 1×1 animated GIF. */
function animatedGif(): Buffer {
  const frame = [
    0x21,
    0xf9,
    0x04,
    0x00,
    0x0a,
    0x00,
    0x00,
    0x00, // graphic control: 100 ms
    0x2c,
    0,
    0,
    0,
    0,
    1,
    0,
    1,
    0,
    0x00, // image descriptor 1×1
    0x02,
    0x02,
    0x44,
    0x01,
    0x00, // LZW data
  ];
  return Buffer.from([
    ...Buffer.from('GIF89a'),
    1,
    0,
    1,
    0,
    0x80,
    0,
    0, // 1×1, global table of 2
    0,
    0,
    0,
    255,
    255,
    255,
    0x21,
    0xff,
    0x0b,
    ...Buffer.from('NETSCAPE2.0'),
    0x03,
    0x01,
    0x00,
    0x00,
    0x00,
    ...frame,
    ...frame,
    0x3b,
  ]);
}

export interface BadCase {
  file: DropFile;
  /** The whole message the Pair panel must show for it. */
  message: RegExp;
}

export function badImageCases(): BadCase[] {
  const sample = readFileSync(samplePhoto(2));
  const hugePng = png(2, 2);
  hugePng.writeUInt32BE(20000, 16);
  hugePng.writeUInt32BE(20000, 20);
  const corruptPng = Buffer.concat([
    png(8, 8).subarray(0, 33),
    Buffer.alloc(64, 0x5a),
    png(8, 8).subarray(-12),
  ]);
  return [
    {
      file: {
        name: 'holiday.jpg',
        mimeType: 'image/jpeg',
        buffer: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'),
      },
      message: /^holiday\.jpg: not an image \(a PDF document\)$/,
    },
    {
      file: { name: 'empty.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) },
      message: /^empty\.jpg: the file is empty \(0 bytes\)$/,
    },
    {
      file: {
        name: 'half.jpg',
        mimeType: 'image/jpeg',
        buffer: sample.subarray(0, Math.floor(sample.length / 2)),
      },
      message: /^half\.jpg: the JPEG file is truncated/,
    },
    {
      file: { name: 'broken.png', mimeType: 'image/png', buffer: corruptPng },
      message: /^broken\.png: could not be decoded as PNG \(the file is corrupt or truncated\)$/,
    },
    {
      file: {
        name: 'IMG_0001.heic',
        mimeType: 'image/heic',
        buffer: Buffer.from([
          0,
          0,
          0,
          24,
          ...Buffer.from('ftypheic'),
          0,
          0,
          0,
          0,
          ...Buffer.from('mif1heic'),
        ]),
      },
      message:
        /^IMG_0001\.heic: HEIC photos cannot be decoded by this browser; convert it to JPEG first$/,
    },
    {
      file: { name: 'huge.png', mimeType: 'image/png', buffer: hugePng },
      message: /^huge\.png: Image is 20000×20000 \(400 megapixels\); the limit is 100 megapixels$/,
    },
    {
      file: { name: 'deep16.png', mimeType: 'image/png', buffer: png(64, 48, 16) },
      message: /^No face found in deep16\.png\./,
    },
    {
      file: { name: 'anim.gif', mimeType: 'image/gif', buffer: animatedGif() },
      message: /^No face found in anim\.gif\./,
    },
    {
      file: { name: 'dot.png', mimeType: 'image/png', buffer: png(1, 1) },
      message: /^No face found in dot\.png\./,
    },
  ];
}
