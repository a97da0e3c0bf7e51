export {
  HEAD_PRESETS,
  architectureOf,
  featureDim,
  headParameterCount,
  resolveTrainOptions,
  type HeadArchitecture,
  type HeadPresetName,
  type HeadTrainOptions,
  type MonitoredMetric,
} from './config';
export { KinshipHead, type PredictOptions } from './head';
export { HEAD_FILES, exportHead, headFiles, importHead, type HeadArtifacts } from './io';
export { buildHeadLayersModel } from './layers-model';
export { minimalMeta, parseHeadMeta, type HeadMeta, type HeadValidationSummary } from './meta';
export {
  trainHead,
  type EpochStats,
  type HeadTrainingInput,
  type HeadTrainingResult,
  type TrainHeadOptions,
  type TrainHeadRun,
  type ValidationScores,
} from './train';
