/**
 * A loaded ResNet50 → TF.js layers-model artifacts: model.json (full modelTopology from
 * `model.toJSON`, so stock `tf.loadLayersModel` reads it) and `group1-shardXofN.bin` shards of
 * at most 4 MiB, the tensorflowjs_converter defaults. Optional quantization touches conv
 * kernels only, never BN statistics.
 */
import type { tf } from '../tf';
import type { ResNetVariant } from '../resnet50/variants';
import { encoderIdForVariant } from '../resnet50/encoders';
import { readCanonicalWeights } from './model-weights';
import { quantize } from './quantize';
import type { QuantizationDtype, TfjsModelJson, TfjsWeightEntry } from './tfjs-manifest';

export const DEFAULT_SHARD_BYTES = 4 * 1024 * 1024;

export interface TfjsArtifactsOptions {
  /** Quantize conv kernels (`…/kernel`) to this dtype; everything else stays float32. */
  quantize?: QuantizationDtype;
  shardBytes?: number;
  /** 'none' writes `modelTopology: null`, like tensorflowjs_converter on a weights-only .h5. */
  topology?: 'full' | 'none';
}

export interface TfjsArtifacts {
  modelJson: TfjsModelJson;
  shards: { path: string; data: Uint8Array }[];
}

export function writeTfjsArtifacts(
  model: tf.LayersModel,
  variant: ResNetVariant,
  options: TfjsArtifactsOptions = {},
): TfjsArtifacts {
  const shardBytes = options.shardBytes ?? DEFAULT_SHARD_BYTES;
  const entries: TfjsWeightEntry[] = [];
  const chunks: Uint8Array[] = [];
  for (const { spec, values } of readCanonicalWeights(model, variant)) {
    const entry: TfjsWeightEntry = { name: spec.name, shape: [...spec.shape], dtype: 'float32' };
    if (options.quantize && spec.param === 'kernel') {
      const q = quantize(values, options.quantize);
      entry.quantization = q.quantization;
      chunks.push(q.bytes);
    } else {
      chunks.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    }
    entries.push(entry);
  }
  const total = chunks.reduce((n, c) => n + c.byteLength, 0);
  const all = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.byteLength;
  }
  const count = Math.max(1, Math.ceil(total / shardBytes));
  const shards = Array.from({ length: count }, (_, i) => ({
    path: `group1-shard${i + 1}of${count}.bin`,
    data: all.subarray(i * shardBytes, Math.min(total, (i + 1) * shardBytes)),
  }));
  const modelJson: TfjsModelJson = {
    format: 'layers-model',
    generatedBy: 'KinLens ResNet50 builder',
    convertedBy: 'KinLens convert',
    modelTopology: options.topology === 'none' ? null : model.toJSON(null, false),
    weightsManifest: [{ paths: shards.map((s) => s.path), weights: entries }],
    userDefinedMetadata: { kinlens: { variant, encoderId: encoderIdForVariant(variant) } },
  };
  return { modelJson, shards };
}
