import { flipHorizontal } from '../face/resample';
import type { PixelImage } from '../face/pixels';
import { encoderIdForVariant } from '../resnet50/encoders';
import { poolFeatureMap } from '../resnet50/embed';
import { fuseResNet50 } from '../resnet50/fused';
import {
  RESNET50_EMBEDDING_DIM,
  RESNET50_INPUT_SIZE,
  type ResNetVariant,
} from '../resnet50/variants';
import { tf } from '../tf';
import { throwIfAborted } from '../../lib/abort';
import { ENCODER_LABELS, type EmbedOptions, type Encoder } from './types';

/**
 * Bump when crops or preprocessing change, so cached embeddings are recomputed. (Folding the
 * preprocessing into the stem did not: same values within float32 rounding, fused.test.ts.)
 */
export const RESNET_PREPROCESSING_VERSION = 2;

/** Images per forward pass: enough to amortise kernel launches, small enough for phones. */
const CHUNK = 8;

/**
 * A loaded ResNet50 (either variant) as an app encoder: 224×224 crops → 4096-d
 * GlobalMaxPool ‖ GlobalAvgPool embeddings, optionally averaged with the mirrored crop.
 * Runs the BN-folded graph (fused.ts) on the raw pixels, the preprocessing folded into its stem,
 * and disposes the layers model, whose weights it no longer needs: one copy of the ~94 MB of
 * weights stays on the backend.
 */
export function createResNet50AppEncoder(
  model: tf.LayersModel,
  variant: ResNetVariant,
  weightsSha256: string,
): Encoder {
  const id = encoderIdForVariant(variant);
  const fused = fuseResNet50(model, variant);
  model.dispose();
  const embedChunk = async (crops: readonly PixelImage[]): Promise<Float32Array[]> => {
    const out = tf.tidy(() => poolFeatureMap(fused.runPixels(crops)));
    try {
      const data = await out.data();
      return crops.map((_, i) =>
        Float32Array.from(
          data.subarray(i * RESNET50_EMBEDDING_DIM, (i + 1) * RESNET50_EMBEDDING_DIM),
        ),
      );
    } finally {
      out.dispose();
    }
  };
  return {
    id,
    label: ENCODER_LABELS[id],
    dim: RESNET50_EMBEDDING_DIM,
    inputSize: RESNET50_INPUT_SIZE,
    crop: 'resnet',
    identity: `${id}/${variant}/${weightsSha256.slice(0, 16)}/pre${RESNET_PREPROCESSING_VERSION}`,
    builtIn: false,
    embed: async (crops: readonly PixelImage[], opts: EmbedOptions = {}) => {
      const out: Float32Array[] = [];
      for (let start = 0; start < crops.length; start += CHUNK) {
        throwIfAborted(opts.signal);
        const chunk = crops.slice(start, start + CHUNK);
        const plain = await embedChunk(chunk);
        if (opts.tta) {
          const mirrored = await embedChunk(chunk.map(flipHorizontal));
          plain.forEach((v, i) => {
            const m = mirrored[i] as Float32Array;
            for (let k = 0; k < v.length; k++) v[k] = ((v[k] ?? 0) + (m[k] ?? 0)) / 2;
          });
        }
        out.push(...plain);
      }
      return out;
    },
    dispose: () => fused.dispose(),
  };
}
