/**
 * Raw 8-bit images as the face stack takes and returns them, their validation, and conversion
 * to and from tensors. The worker makes them from createImageBitmap + OffscreenCanvas
 * (RGBA), Node from jpeg-js / pngjs.
 */
import { KinshipError } from '../../lib/errors';
import { tf, type Tensor3D, type Tensor4D } from '../tf';

export interface PixelImage {
  width: number;
  height: number;
  /** Interleaved channels, row-major from the top-left corner, `width·height·channels` bytes. */
  data: Uint8ClampedArray | Uint8Array;
  channels: 3 | 4;
}

/** Larger images are refused: their buffers alone would be hundreds of megabytes. */
export const MAX_IMAGE_PIXELS = 100_000_000;

/**
 * Throws IMAGE_TOO_LARGE for images over MAX_IMAGE_PIXELS and IMAGE_DECODE for empty or
 * non-integer sizes. Call it with the header's size before allocating any pixel buffer.
 */
export function assertImageSize(width: number, height: number, file?: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new KinshipError('IMAGE_DECODE', `Image has an invalid size ${width}×${height}`, {
      file,
    });
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    const mp = ((width * height) / 1e6).toFixed(0);
    throw new KinshipError(
      'IMAGE_TOO_LARGE',
      `Image is ${width}×${height} (${mp} megapixels); the limit is ${MAX_IMAGE_PIXELS / 1e6} megapixels`,
      { file },
    );
  }
}

/** Checks the size limit and that the buffer length matches the declared size and channels. */
export function assertPixelImage(image: PixelImage, file?: string): void {
  assertImageSize(image.width, image.height, file);
  if (image.channels !== 3 && image.channels !== 4) {
    throw new KinshipError('IMAGE_DECODE', `Unsupported channel count ${String(image.channels)}`, {
      file,
    });
  }
  const expected = image.width * image.height * image.channels;
  if (image.data.length !== expected) {
    throw new KinshipError(
      'IMAGE_DECODE',
      `Pixel buffer has ${image.data.length} bytes, expected ${expected} for ${image.width}×${image.height}×${image.channels}`,
      { file },
    );
  }
}

/** RGB values as float32 0–255, the input range every face-api net expects. */
export function pixelsToTensor(image: PixelImage): Tensor3D {
  const { width, height, channels, data } = image;
  const rgb = new Float32Array(width * height * 3);
  for (let i = 0, j = 0; j < rgb.length; i += channels, j += 3) {
    rgb[j] = data[i] ?? 0;
    rgb[j + 1] = data[i + 1] ?? 0;
    rgb[j + 2] = data[i + 2] ?? 0;
  }
  return tf.tensor3d(rgb, [height, width, 3], 'float32');
}

/** Stacks equally sized images into a float32 0–255 RGB batch. The caller disposes it. */
export function pixelsToBatch(images: readonly PixelImage[]): Tensor4D {
  const first = images[0];
  if (!first) throw new RangeError('pixelsToBatch: no images');
  if (images.some((im) => im.width !== first.width || im.height !== first.height)) {
    throw new RangeError('pixelsToBatch: images differ in size');
  }
  return tf.tidy(() => tf.stack(images.map(pixelsToTensor)) as Tensor4D);
}

/** A copy with an opaque alpha channel added (what ImageData and the UI want). */
export function toRgba(image: PixelImage): PixelImage & { data: Uint8ClampedArray; channels: 4 } {
  const { width, height, channels, data } = image;
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; j < out.length; i += channels, j += 4) {
    out[j] = data[i] ?? 0;
    out[j + 1] = data[i + 1] ?? 0;
    out[j + 2] = data[i + 2] ?? 0;
    out[j + 3] = channels === 4 ? (data[i + 3] ?? 255) : 255;
  }
  return { width, height, channels: 4, data: out };
}
