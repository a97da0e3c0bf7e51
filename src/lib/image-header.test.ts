import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { readImageHeader } from './image-header';

function jpegBytes(width: number, height: number): Uint8Array {
  const data = Buffer.alloc(width * height * 4, 128);
  return new Uint8Array(jpeg.encode({ data, width, height }, 80).data);
}

function pngBytes(width: number, height: number, bitDepth: 8 | 16 = 8): Uint8Array {
  const png = new PNG({
    width,
    height,
    bitDepth,
    colorType: 6,
    inputColorType: 6,
    inputHasAlpha: true,
  });
  png.data = Buffer.alloc(width * height * 4 * (bitDepth / 8), 200);
  return new Uint8Array(PNG.sync.write(png, { bitDepth, colorType: 6, inputColorType: 6 }));
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('readImageHeader', () => {
  it('reads JPEG size and components from the SOF segment', () => {
    const h = readImageHeader(jpegBytes(37, 21));
    expect(h).toMatchObject({
      format: 'jpeg',
      width: 37,
      height: 21,
      components: 3,
      animated: false,
    });
  });

  it('reads PNG size and bit depth, 8 and 16 bit', () => {
    expect(readImageHeader(pngBytes(5, 9))).toMatchObject({
      format: 'png',
      width: 5,
      height: 9,
      bitDepth: 8,
    });
    expect(readImageHeader(pngBytes(4, 3, 16))).toMatchObject({
      format: 'png',
      width: 4,
      height: 3,
      bitDepth: 16,
    });
  });

  it('reads a huge declared size without decoding (20000×20000 PNG header)', () => {
    const b = pngBytes(2, 2);
    const view = new DataView(b.buffer, b.byteOffset);
    view.setUint32(16, 20000);
    view.setUint32(20, 20000);
    expect(readImageHeader(b)).toMatchObject({ width: 20000, height: 20000 });
  });

  it('recognises GIF (animated when several frames), WebP VP8X and HEIC brands', () => {
    const gif = new Uint8Array([
      ...text('GIF89a'),
      10,
      0,
      20,
      0,
      0,
      0,
      0,
      0x21,
      0xf9,
      4,
      0,
      0,
      0,
      0,
      0,
      0x21,
      0xf9,
      4,
    ]);
    expect(readImageHeader(gif)).toMatchObject({
      format: 'gif',
      width: 10,
      height: 20,
      animated: true,
    });

    const webp = new Uint8Array(30);
    webp.set(text('RIFF'), 0);
    webp.set(text('WEBP'), 8);
    webp.set(text('VP8X'), 12);
    webp[20] = 0x02; // animation flag
    webp[24] = 99; // width-1 = 99
    webp[27] = 49; // height-1 = 49
    expect(readImageHeader(webp)).toMatchObject({
      format: 'webp',
      width: 100,
      height: 50,
      animated: true,
    });

    const heic = new Uint8Array([0, 0, 0, 24, ...text('ftypheic'), 0, 0, 0, 0]);
    expect(readImageHeader(heic).format).toBe('heic');
  });

  it('names what a non-image looks like', () => {
    expect(readImageHeader(text('%PDF-1.7 ...')).looksLike).toBe('a PDF document');
    expect(readImageHeader(text('hello, I am a text file\n')).looksLike).toBe('a text file');
    expect(readImageHeader(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])).looksLike).toBe(
      'a ZIP archive',
    );
    expect(readImageHeader(new Uint8Array(0)).format).toBe('unknown');
  });

  it('handles a truncated JPEG header without throwing', () => {
    const b = jpegBytes(16, 16).subarray(0, 30);
    expect(readImageHeader(b).format).toBe('jpeg');
  });
});
