/**
 * Identifies an image from its first bytes — format, pixel size, and the traits that decide
 * whether and how it can be decoded — without decoding it. Lets us refuse a 20000×20000 image
 * before a decoder allocates 1.6 GB, and name the real problem of a file ("a PDF named .jpg").
 */
export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'heic' | 'avif' | 'unknown';

export interface ImageHeader {
  format: ImageFormat;
  width: number | null;
  height: number | null;
  /** GIF with more than one frame, APNG, or animated WebP: only the first frame is used. */
  animated: boolean;
  /** Bits per channel (PNG); null when unknown. */
  bitDepth: number | null;
  /** JPEG colour components: 1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK. */
  components: number | null;
  /** What the bytes look like when they are not an image (for messages). */
  looksLike?: string;
}

const u16be = (b: Uint8Array, i: number): number => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const u16le = (b: Uint8Array, i: number): number => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, i: number): number => u16le(b, i) | ((b[i + 2] ?? 0) << 16);
const u32be = (b: Uint8Array, i: number): number => ((u16be(b, i) << 16) >>> 0) + u16be(b, i + 2);
const u32le = (b: Uint8Array, i: number): number => u16le(b, i) + u16le(b, i + 2) * 65536;
const ascii = (b: Uint8Array, i: number, n: number): string =>
  String.fromCharCode(...Array.from(b.subarray(i, i + n)));

function jpegHeader(b: Uint8Array): ImageHeader {
  const h: ImageHeader = {
    format: 'jpeg',
    width: null,
    height: null,
    animated: false,
    bitDepth: 8,
    components: null,
  };
  let pos = 2;
  while (pos + 4 <= b.length) {
    if (b[pos] !== 0xff) break;
    const marker = b[pos + 1] ?? 0;
    if (marker === 0xff) {
      pos += 1;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      pos += 2;
      continue;
    }
    const length = u16be(b, pos + 2);
    // Start-of-frame markers carry the size: C0–CF except C4 (DHT), C8 (JPG), CC (DAC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (pos + 9 < b.length) {
        h.bitDepth = b[pos + 4] ?? 8;
        h.height = u16be(b, pos + 5);
        h.width = u16be(b, pos + 7);
        h.components = b[pos + 9] ?? null;
      }
      return h;
    }
    if (length < 2) break;
    pos += 2 + length;
  }
  return h;
}

function pngHeader(b: Uint8Array): ImageHeader {
  const h: ImageHeader = {
    format: 'png',
    width: b.length >= 24 ? u32be(b, 16) : null,
    height: b.length >= 24 ? u32be(b, 20) : null,
    animated: false,
    bitDepth: b.length >= 25 ? (b[24] ?? null) : null,
    components: null,
  };
  // An acTL chunk before IDAT makes it an animated PNG.
  let pos = 8;
  while (pos + 8 <= b.length) {
    const len = u32be(b, pos);
    const type = ascii(b, pos + 4, 4);
    if (type === 'acTL') h.animated = true;
    if (type === 'IDAT' || type === 'IEND') break;
    pos += 12 + len;
  }
  return h;
}

function gifHeader(b: Uint8Array): ImageHeader {
  // Count image descriptors (0x2C) naively is unreliable; a NETSCAPE loop extension or a second
  // graphic control block marks animation well enough for a notice.
  const text = ascii(b, 0, Math.min(b.length, 65536));
  const frames = text.split('\x21\xf9\x04').length - 1;
  return {
    format: 'gif',
    width: b.length >= 10 ? u16le(b, 6) : null,
    height: b.length >= 10 ? u16le(b, 8) : null,
    animated: frames > 1 || text.includes('NETSCAPE2.0'),
    bitDepth: 8,
    components: null,
  };
}

function webpHeader(b: Uint8Array): ImageHeader {
  const chunk = ascii(b, 12, 4);
  const h: ImageHeader = {
    format: 'webp',
    width: null,
    height: null,
    animated: false,
    bitDepth: 8,
    components: null,
  };
  if (chunk === 'VP8X' && b.length >= 30) {
    h.animated = ((b[20] ?? 0) & 0x02) !== 0;
    h.width = u24le(b, 24) + 1;
    h.height = u24le(b, 27) + 1;
  } else if (chunk === 'VP8 ' && b.length >= 30) {
    h.width = u16le(b, 26) & 0x3fff;
    h.height = u16le(b, 28) & 0x3fff;
  } else if (chunk === 'VP8L' && b.length >= 25) {
    const bits = u32le(b, 21);
    h.width = (bits & 0x3fff) + 1;
    h.height = ((bits >>> 14) & 0x3fff) + 1;
  }
  return h;
}

function bmpHeader(b: Uint8Array): ImageHeader {
  const height = b.length >= 26 ? Math.abs(u32le(b, 22) | 0) : null;
  return {
    format: 'bmp',
    width: b.length >= 22 ? u32le(b, 18) : null,
    height,
    animated: false,
    bitDepth: null,
    components: null,
  };
}

function nonImageGuess(b: Uint8Array): string {
  const head = ascii(b, 0, 8);
  if (head.startsWith('%PDF')) return 'a PDF document';
  if (head.startsWith('PK')) return 'a ZIP archive';
  if (head.startsWith('\x89HDF')) return 'an HDF5 file';
  if (b.length >= 8 && ascii(b, 4, 4) === 'ftyp') return 'a video or other ISO media file';
  const sample = b.subarray(0, Math.min(b.length, 512));
  const printable = sample.filter(
    (c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127),
  ).length;
  if (sample.length > 0 && printable / sample.length > 0.95) return 'a text file';
  return 'not a known image format';
}

export function readImageHeader(bytes: Uint8Array): ImageHeader {
  const b = bytes;
  const unknown: ImageHeader = {
    format: 'unknown',
    width: null,
    height: null,
    animated: false,
    bitDepth: null,
    components: null,
  };
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpegHeader(b);
  if (b.length >= 8 && ascii(b, 0, 8) === '\x89PNG\r\n\x1a\n') return pngHeader(b);
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a'))
    return gifHeader(b);
  if (b.length >= 16 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP')
    return webpHeader(b);
  if (b.length >= 26 && ascii(b, 0, 2) === 'BM') return bmpHeader(b);
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    if (/^(heic|heix|hevc|hevx|mif1|msf1|heim|heis)$/.test(brand))
      return { ...unknown, format: 'heic' };
    if (/^(avif|avis)$/.test(brand)) return { ...unknown, format: 'avif' };
  }
  return { ...unknown, looksLike: nonImageGuess(b) };
}
