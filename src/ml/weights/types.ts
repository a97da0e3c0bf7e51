import type { tf } from '../tf';
import type { ProgressFn } from '../../lib/abort';
import type { ResNetVariant } from '../resnet50/variants';

export interface WeightsLoadOptions {
  signal?: AbortSignal;
  /** Reports `done` of `total` weighted layers (106), phase 'weights'. */
  onProgress?: ProgressFn;
  /** Square model input in pixels (default 224). */
  inputSize?: number;
  /** Shown in error messages ("<file>: …"). */
  fileName?: string;
}

export type WeightsSourceFormat =
  'keras-h5-weights' | 'keras-h5-full-model' | 'tfjs-layers' | 'installed';

/** A built ResNet50 whose every weight was set by a strict load. The caller disposes `model`. */
export interface LoadedResNet50 {
  variant: ResNetVariant;
  model: tf.LayersModel;
  format: WeightsSourceFormat;
}
