export { buildResNet50, type BuildOptions } from './build';
export {
  resnet50Plan,
  weightedLayers,
  weightSpecs,
  type LayerSpec,
  type WeightParam,
  type WeightSpec,
  type WeightedLayerSpec,
} from './architecture';
export { embedPixels, embedPreprocessed, poolFeatureMap } from './embed';
export { createResNetEncoder, type ResNetEncoder } from './encoder';
export {
  ENCODER_IDS,
  ENCODERS,
  encoderIdForVariant,
  getEncoderInfo,
  isEncoderId,
  type EncoderId,
  type EncoderInfo,
  type OfficialWeightsFile,
} from './encoders';
export {
  IMAGENET_CAFFE_MEAN_BGR,
  meanBgrFor,
  preprocessBatch,
  preprocessForVariant,
  VGGFACE2_MEAN_BGR,
  type Bgr,
} from './preprocess';
export {
  isResNetVariant,
  RESNET50_EMBEDDING_DIM,
  RESNET50_FEATURE_CHANNELS,
  RESNET50_INPUT_SIZE,
  RESNET50_WEIGHTED_LAYER_COUNT,
  RESNET_VARIANTS,
  VARIANT_SPECS,
  type ResNetVariant,
  type VariantSpec,
} from './variants';
