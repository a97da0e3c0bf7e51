export { rocCurve, rocAuc, tprAtFpr, thinRoc, type RocPoint } from './roc';
export { accuracyAt, bestAccuracyThreshold, type ThresholdChoice } from './threshold';
export { bootstrapAucCi, type AucInterval, type BootstrapOptions } from './bootstrap';
export { cosineSimilarity } from './similarity';
export { meanByGroup } from './aggregate';
