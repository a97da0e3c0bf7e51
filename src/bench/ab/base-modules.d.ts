/**
 * `@ab-base/…` is the baseline checkout that cli/bench-inline-ab.ts extracts (vite alias); its
 * API is assumed to be this tree's.
 */
declare module '@ab-base/ml/encoders/resnet' {
  export const createResNet50AppEncoder: typeof import('../../ml/encoders/resnet').createResNet50AppEncoder;
}
declare module '@ab-base/ml/resnet50/build' {
  export const buildResNet50: typeof import('../../ml/resnet50/build').buildResNet50;
}
declare module '@ab-base/ml/head/throughput' {
  export const headTrainingRates: typeof import('../../ml/head/throughput').headTrainingRates;
}
