/**
 * The one interface the worker holds for a loaded ResNet50: which encoder and graph it is, how
 * to embed a batch, and `dispose()` to free its ~94 MB of weights.
 */
import type { Tensor2D, Tensor3D, Tensor4D } from '../tf';
import { tf } from '../tf';
import { embedPixels } from './embed';
import { encoderIdForVariant, ENCODERS, type EncoderId, type EncoderInfo } from './encoders';
import type { ResNetVariant } from './variants';

export interface ResNetEncoder {
  readonly id: EncoderId;
  readonly variant: ResNetVariant;
  readonly info: EncoderInfo;
  readonly model: tf.LayersModel;
  /** 0–255 RGB(A) pixels ([H,W,C] or [N,H,W,C]) → [N, 4096]; the caller disposes the result. */
  embed(pixels: Tensor3D | Tensor4D): Tensor2D;
  dispose(): void;
}

export function createResNetEncoder(model: tf.LayersModel, variant: ResNetVariant): ResNetEncoder {
  const id = encoderIdForVariant(variant);
  let disposed = false;
  return {
    id,
    variant,
    info: ENCODERS[id],
    model,
    embed: (pixels) => {
      if (disposed) throw new Error('ResNet50 encoder used after dispose()');
      return embedPixels(model, variant, pixels);
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      model.dispose();
    },
  };
}
