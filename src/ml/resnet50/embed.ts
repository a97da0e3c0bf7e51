/**
 * Per-image embedding of the seed recipe: GlobalMaxPool ‖ GlobalAvgPool over the encoder's final
 * feature map → [N, 4096]. For vggface the map is 1×1 (its avg_pool is kept, trap 1), so both
 * halves hold the same 2048 values; that is what the Keras features were, so it is kept.
 */
import { tf } from '../tf';
import type { Tensor, Tensor2D, Tensor3D, Tensor4D } from '../tf';
import { preprocessForVariant } from './preprocess';
import type { ResNetVariant } from './variants';

/** [N, H, W, C] → [N, 2C]: max over H×W, then mean over H×W. */
export function poolFeatureMap(map: Tensor4D): Tensor2D {
  return tf.tidy(() => tf.concat([tf.max(map, [1, 2]), tf.mean(map, [1, 2])], 1) as Tensor2D);
}

/** Preprocessed [N, H, W, 3] batch → model → pooled [N, 4096]. The input is not disposed. */
export function embedPreprocessed(model: tf.LayersModel, batch: Tensor4D): Tensor2D {
  return tf.tidy(() => {
    const out = model.predict(batch) as Tensor;
    return poolFeatureMap(out as Tensor4D);
  });
}

/** 0–255 RGB(A) pixels → preprocessing of `variant` → model → pooled [N, 4096]. */
export function embedPixels(
  model: tf.LayersModel,
  variant: ResNetVariant,
  pixels: Tensor3D | Tensor4D,
): Tensor2D {
  return tf.tidy(() => embedPreprocessed(model, preprocessForVariant(pixels, variant)));
}
