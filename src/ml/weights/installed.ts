/**
 * The installed-weights form kept in IndexedDB: all float32 tensors concatenated in canonical
 * order, a manifest of names and shapes, and the SHA-256 of the data as the weights' identity
 * (so cached embeddings can be keyed by exactly which weights produced them).
 */
import { tf } from '../tf';
import { KinshipError } from '../../lib/errors';
import { sha256Hex } from '../../lib/hash';
import { isResNetVariant, type ResNetVariant } from '../resnet50/variants';
import { readCanonicalWeights } from './model-weights';
import { fillResNet50 } from './load-loop';
import type { LoadedResNet50, WeightsLoadOptions } from './types';

export const INSTALLED_WEIGHTS_FORMAT = 'kinlens-resnet50-weights/1';

export interface InstalledWeights {
  format: typeof INSTALLED_WEIGHTS_FORMAT;
  variant: ResNetVariant;
  manifest: { name: string; shape: number[] }[];
  /** float32 little-endian values of every manifest entry, concatenated in manifest order. */
  data: ArrayBuffer;
  /** Lower-case hex SHA-256 of `data`. */
  sha256: string;
}

/** The weights' identity hash: the project's one SHA-256 helper. */
export { sha256Hex };

export async function serializeInstalledWeights(
  model: tf.LayersModel,
  variant: ResNetVariant,
): Promise<InstalledWeights> {
  const weights = readCanonicalWeights(model, variant);
  const total = weights.reduce((n, w) => n + w.values.length, 0);
  const all = new Float32Array(total);
  let offset = 0;
  for (const w of weights) {
    all.set(w.values, offset);
    offset += w.values.length;
  }
  return {
    format: INSTALLED_WEIGHTS_FORMAT,
    variant,
    manifest: weights.map((w) => ({ name: w.spec.name, shape: [...w.spec.shape] })),
    data: all.buffer,
    sha256: await sha256Hex(all.buffer),
  };
}

export interface InstalledLoadOptions extends WeightsLoadOptions {
  /** Re-hash the data and compare with `sha256` (default true; ~0.3 s for 94 MB). */
  verifyHash?: boolean;
}

export async function loadInstalledWeights(
  installed: InstalledWeights,
  options: InstalledLoadOptions = {},
): Promise<LoadedResNet50> {
  if (installed.format !== INSTALLED_WEIGHTS_FORMAT || !isResNetVariant(installed.variant)) {
    throw new KinshipError('WEIGHTS_FORMAT', 'stored weights have an unknown format');
  }
  const { variant, manifest, data } = installed;
  const located = new Map<string, { offset: number; shape: number[] }>();
  let offset = 0;
  for (const entry of manifest) {
    located.set(entry.name, { offset, shape: entry.shape });
    offset += entry.shape.reduce((a, b) => a * b, 1);
  }
  if (offset * 4 !== data.byteLength) {
    throw new KinshipError(
      'WEIGHTS_FORMAT',
      `stored weights hold ${data.byteLength} bytes, the manifest needs ${offset * 4}`,
    );
  }
  if (options.verifyHash !== false && (await sha256Hex(data)) !== installed.sha256) {
    throw new KinshipError('WEIGHTS_FORMAT', 'stored weights are corrupt (SHA-256 mismatch)');
  }
  const values = new Float32Array(data);
  const model = await fillResNet50(variant, options, (layer) =>
    layer.weights.map((w) => {
      const at = located.get(w.name);
      if (!at) {
        throw new KinshipError('WEIGHTS_MISSING', `layer "${layer.name}": no stored "${w.param}"`);
      }
      const size = at.shape.reduce((a, b) => a * b, 1);
      // A copy, so the model never aliases a buffer the caller may transfer or drop.
      return tf.tensor(values.slice(at.offset, at.offset + size), at.shape, 'float32');
    }),
  );
  return { variant, model, format: 'installed' };
}
