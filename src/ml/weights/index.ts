export { detectVariant, KNOWN_HEAD_LAYERS } from './detect';
export {
  describeInstalled,
  ENCODER_DB_NAME,
  openEncoderStore,
  type EncoderStore,
  type InstalledEncoderMeta,
} from './encoder-store';
export { getH5Runtime, type H5Source } from './h5-runtime';
export {
  INSTALLED_WEIGHTS_FORMAT,
  loadInstalledWeights,
  serializeInstalledWeights,
  sha256Hex,
  type InstalledLoadOptions,
  type InstalledWeights,
} from './installed';
export { assertWeightsFileSize, MAX_WEIGHTS_FILE_BYTES } from './limits';
export { loadResNet50FromH5 } from './load-h5';
export {
  loadResNet50FromTfjs,
  loadResNet50FromUrl,
  shardsFromFiles,
  urlShardReader,
  type ShardReader,
} from './load-tfjs';
export { parseTfjsModelJson, type TfjsModelJson, type TfjsWeightEntry } from './tfjs-manifest';
export {
  DEFAULT_SHARD_BYTES,
  writeTfjsArtifacts,
  type TfjsArtifacts,
  type TfjsArtifactsOptions,
} from './tfjs-writer';
export type { LoadedResNet50, WeightsLoadOptions, WeightsSourceFormat } from './types';
