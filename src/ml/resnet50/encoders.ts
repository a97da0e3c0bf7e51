/**
 * Registry of the ResNet50 encoders the app offers. An encoder id names what the features mean
 * (VGGFace2 faces vs ImageNet objects); the variant, detected from the weight file, names the
 * exact graph that computes them.
 */
import { KinshipError } from '../../lib/errors';
import { IMAGENET_CAFFE_MEAN_BGR, VGGFACE2_MEAN_BGR, type Bgr } from './preprocess';
import {
  RESNET50_EMBEDDING_DIM,
  RESNET50_INPUT_SIZE,
  VARIANT_SPECS,
  type ResNetVariant,
} from './variants';

export type EncoderId = 'resnet50-vggface' | 'resnet50-imagenet';

export interface OfficialWeightsFile {
  url: string;
  fileName: string;
  /** Published md5, when the publisher gives one (keras-vggface does not). */
  md5: string | null;
}

export interface EncoderInfo {
  id: EncoderId;
  label: string;
  /** Graphs whose weights produce this encoder's features. */
  variants: readonly ResNetVariant[];
  meanBgr: Bgr;
  inputSize: number;
  minInputSize: number;
  /** GlobalMaxPool ‖ GlobalAvgPool of the 2048-channel final map. */
  embeddingDim: number;
  /** The notop weight file the publisher ships (ENCODERS.md §1.8, §2.6). */
  officialWeights: OfficialWeightsFile;
}

export const ENCODERS: Readonly<Record<EncoderId, EncoderInfo>> = {
  'resnet50-vggface': {
    id: 'resnet50-vggface',
    label: 'ResNet50 · VGGFace2 (keras-vggface)',
    variants: ['vggface'],
    meanBgr: VGGFACE2_MEAN_BGR,
    inputSize: RESNET50_INPUT_SIZE,
    minInputSize: VARIANT_SPECS.vggface.minInputSize,
    embeddingDim: RESNET50_EMBEDDING_DIM,
    officialWeights: {
      url: 'https://github.com/rcmalli/keras-vggface/releases/download/v2.0/rcmalli_vggface_tf_notop_resnet50.h5',
      fileName: 'rcmalli_vggface_tf_notop_resnet50.h5',
      md5: null,
    },
  },
  'resnet50-imagenet': {
    id: 'resnet50-imagenet',
    label: 'ResNet50 · ImageNet (Keras)',
    variants: ['keras-old', 'keras-new'],
    meanBgr: IMAGENET_CAFFE_MEAN_BGR,
    inputSize: RESNET50_INPUT_SIZE,
    minInputSize: VARIANT_SPECS['keras-old'].minInputSize,
    embeddingDim: RESNET50_EMBEDDING_DIM,
    officialWeights: {
      url: 'https://github.com/fchollet/deep-learning-models/releases/download/v0.2/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5',
      fileName: 'resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5',
      md5: 'a268eb855778b3df3c7506639542a6af',
    },
  },
};

export const ENCODER_IDS = Object.keys(ENCODERS) as EncoderId[];

export function isEncoderId(value: unknown): value is EncoderId {
  return typeof value === 'string' && (ENCODER_IDS as string[]).includes(value);
}

export function getEncoderInfo(id: string): EncoderInfo {
  if (!isEncoderId(id)) {
    throw new KinshipError('INTERNAL', `Unknown encoder "${id}"; valid: ${ENCODER_IDS.join(', ')}`);
  }
  return ENCODERS[id];
}

export function encoderIdForVariant(variant: ResNetVariant): EncoderId {
  return variant === 'vggface' ? 'resnet50-vggface' : 'resnet50-imagenet';
}
