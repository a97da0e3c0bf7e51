/**
 * Keras preprocessing for both encoders (ENCODERS.md §1.7, §2.5, trap 10): RGB → BGR, subtract
 * the variant's BGR mean, no scaling. Pixels arrive as 0–255 floats, RGB or RGBA (canvas
 * ImageData); alpha is dropped before the channels are reversed.
 */
import { tf } from '../tf';
import type { Tensor3D, Tensor4D } from '../tf';
import type { ResNetVariant } from './variants';

export type Bgr = readonly [b: number, g: number, r: number];

/** keras_vggface.utils.preprocess_input(version=2): the VGGFace2 Caffe mean. */
export const VGGFACE2_MEAN_BGR: Bgr = [91.4953, 103.8827, 131.0912];
/** keras imagenet_utils.preprocess_input(mode='caffe'). */
export const IMAGENET_CAFFE_MEAN_BGR: Bgr = [103.939, 116.779, 123.68];

export function meanBgrFor(variant: ResNetVariant): Bgr {
  return variant === 'vggface' ? VGGFACE2_MEAN_BGR : IMAGENET_CAFFE_MEAN_BGR;
}

/**
 * Returns a new float32 [N, H, W, 3] BGR, mean-subtracted batch. A single [H, W, C] image
 * becomes a batch of one. The input is not disposed.
 */
export function preprocessBatch(pixels: Tensor3D | Tensor4D, meanBgr: Bgr): Tensor4D {
  return tf.tidy(() => {
    const batch = (pixels.rank === 3 ? pixels.expandDims(0) : pixels) as Tensor4D;
    const channels = batch.shape[3];
    if (channels !== 3 && channels !== 4) {
      throw new Error(`preprocess: expected 3 (RGB) or 4 (RGBA) channels, got ${channels}`);
    }
    const [n, h, w] = batch.shape;
    const rgb = channels === 4 ? batch.slice([0, 0, 0, 0], [n, h, w, 3]) : batch;
    const bgr = tf.reverse(rgb.toFloat(), 3);
    return tf.sub(bgr, tf.tensor1d([...meanBgr], 'float32')) as Tensor4D;
  });
}

export function preprocessForVariant(
  pixels: Tensor3D | Tensor4D,
  variant: ResNetVariant,
): Tensor4D {
  return preprocessBatch(pixels, meanBgrFor(variant));
}
