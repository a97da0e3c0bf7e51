import { flipHorizontal } from '../face/resample';
import { pixelsToBatch, type PixelImage } from '../face/pixels';
import { createResNetEncoder } from '../resnet50/encoder';
import {
  RESNET50_EMBEDDING_DIM,
  RESNET50_INPUT_SIZE,
  type ResNetVariant,
} from '../resnet50/variants';
import { tf } from '../tf';
import { throwIfAborted } from '../../lib/abort';
import { ENCODER_LABELS, type EmbedOptions, type Encoder } from './types';

/** Bump when crops or preprocessing change, so cached embeddings are recomputed. */
export const RESNET_PREPROCESSING_VERSION = 1;

/** Images per forward pass: enough to amortise kernel launches, small enough for phones. */
const CHUNK = 8;

/**
 * A loaded ResNet50 (either variant) as an app encoder: 224×224 crops → 4096-d
 * GlobalMaxPool ‖ GlobalAvgPool embeddings, optionally averaged with the mirrored crop.
 */
export function createResNet50AppEncoder(
  model: tf.LayersModel,
  variant: ResNetVariant,
  weightsSha256: string,
): Encoder {
  const inner = createResNetEncoder(model, variant);
  const embedChunk = async (crops: readonly PixelImage[]): Promise<Float32Array[]> => {
    const out = tf.tidy(() => inner.embed(pixelsToBatch(crops)));
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
    id: inner.id,
    label: ENCODER_LABELS[inner.id],
    dim: RESNET50_EMBEDDING_DIM,
    inputSize: RESNET50_INPUT_SIZE,
    crop: 'resnet',
    identity: `${inner.id}/${variant}/${weightsSha256.slice(0, 16)}/pre${RESNET_PREPROCESSING_VERSION}`,
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
    dispose: () => inner.dispose(),
  };
}
