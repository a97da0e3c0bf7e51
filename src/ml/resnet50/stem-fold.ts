/**
 * Keras preprocessing (RGB → BGR, minus the variant's mean) folded into the stem convolution, so
 * the network takes 0–255 RGB pixels straight from the host and runs no Reverse/Sub/Pad ops.
 *
 * Away from the border this is plain algebra: with p = bgr(x) − m,
 *   conv(p, W) = conv(x, W_rgb) − Σ_{kh,kw,c} W[kh,kw,c,:]·m[c],
 * where W_rgb is W with its input-channel axis reversed. At the border it is not: Keras pads the
 * *preprocessed* image with zeros, i.e. the raw image with the mean colour. So the raw image is
 * padded with the mean colour here (on the host, while the batch is assembled) and the folded
 * stem runs with 'valid' padding; then every window sees exactly what Keras's window saw.
 */
import type { PixelImage } from '../face/pixels';
import { tf } from '../tf';
import type { Tensor4D } from '../tf';
import type { Bgr } from './preprocess';

export interface StemPadding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** What the stem does to its input's border: explicit zero padding, or the conv's own padding. */
export interface StemGeometry {
  kernel: number;
  strides: number;
  /** 'same' (vggface conv1), or 'valid' after a ZeroPadding2D of `zeroPad` (Keras conv1_pad). */
  padding: 'same' | 'valid';
  zeroPad: number;
}

/** TensorFlow's 'same' rule for one dimension: the extra pixel goes after (bottom/right). */
function samePad(size: number, kernel: number, strides: number): [number, number] {
  const out = Math.ceil(size / strides);
  const total = Math.max((out - 1) * strides + kernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** The padding Keras applies before the stem conv's first window, for an input of h×w. */
export function stemPadding(geometry: StemGeometry, height: number, width: number): StemPadding {
  if (geometry.padding === 'valid') {
    const p = geometry.zeroPad;
    return { top: p, bottom: p, left: p, right: p };
  }
  // A ZeroPadding2D before a 'same' conv occurs in no variant; refuse it rather than guess.
  if (geometry.zeroPad !== 0) throw new Error('stem: zero padding before a same-padded conv');
  const [top, bottom] = samePad(height, geometry.kernel, geometry.strides);
  const [left, right] = samePad(width, geometry.kernel, geometry.strides);
  return { top, bottom, left, right };
}

/**
 * Folds the preprocessing into a stem conv's filter [k, k, 3, out] and bias [out] (the bias after
 * BN folding). Returns new tensors; the inputs are not disposed.
 */
export function foldPreprocessingIntoStem(
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  meanBgr: Bgr,
): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
  if (filter.shape[2] !== 3) throw new Error(`stem filter has ${filter.shape[2]} input channels`);
  return tf.tidy(() => {
    const mean = tf.tensor4d([...meanBgr], [1, 1, 3, 1]);
    const meanResponse = tf.sum(tf.mul(filter, mean), [0, 1, 2]);
    return {
      filter: tf.reverse(filter, 2) as tf.Tensor4D,
      bias: tf.sub(bias, meanResponse) as tf.Tensor1D,
    };
  });
}

/**
 * Equally sized RGB(A) images → one float32 [N, top+H+bottom, left+W+right, 3] RGB batch whose
 * border is `fillRgb`, built on the host in one pass and uploaded once. The caller disposes it.
 */
export function paddedPixelBatch(
  images: readonly PixelImage[],
  pad: StemPadding,
  fillRgb: readonly [number, number, number],
): Tensor4D {
  const first = images[0];
  if (!first) throw new RangeError('paddedPixelBatch: no images');
  const { width, height } = first;
  if (images.some((im) => im.width !== width || im.height !== height)) {
    throw new RangeError('paddedPixelBatch: images differ in size');
  }
  const h = pad.top + height + pad.bottom;
  const w = pad.left + width + pad.right;
  const out = new Float32Array(images.length * h * w * 3);
  const [r, g, b] = fillRgb;
  // The mean-coloured row and side strips are copied from one template row.
  const border = new Float32Array(w * 3);
  for (let x = 0; x < w; x++) border.set([r, g, b], x * 3);
  let o = 0;
  for (const image of images) {
    const { data, channels } = image;
    for (let y = 0; y < h; y++) {
      const sy = y - pad.top;
      if (sy < 0 || sy >= height) {
        out.set(border, o);
        o += w * 3;
        continue;
      }
      out.set(border.subarray(0, pad.left * 3), o);
      o += pad.left * 3;
      for (let x = 0, i = sy * width * channels; x < width; x++, i += channels) {
        out[o++] = data[i] ?? 0;
        out[o++] = data[i + 1] ?? 0;
        out[o++] = data[i + 2] ?? 0;
      }
      out.set(border.subarray(0, pad.right * 3), o);
      o += pad.right * 3;
    }
  }
  return tf.tensor4d(out, [images.length, h, w, 3], 'float32');
}
