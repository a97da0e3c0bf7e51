/**
 * Strict, name-based weight assignment into a built ResNet50 (ENCODERS.md §4.5, trap 7): each
 * layer is found by its full Keras name, its tensors are checked in count and shape against the
 * plan, and `finish()` proves that every one of the 265 / 318 tensors was set exactly once.
 * Nothing is ever loaded by global order, and nothing is silently left at its initial value.
 */
import { tf } from '../tf';
import type { Tensor } from '../tf';
import { KinshipError } from '../../lib/errors';
import { weightedLayers, type WeightedLayerSpec } from '../resnet50/architecture';
import { VARIANT_SPECS, type ResNetVariant } from '../resnet50/variants';

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export class StrictWeightAssigner {
  private readonly expected = new Map<string, WeightedLayerSpec>();
  private readonly assigned = new Set<string>();
  private tensorCount = 0;

  constructor(
    private readonly model: tf.LayersModel,
    readonly variant: ResNetVariant,
    private readonly file?: string,
  ) {
    for (const layer of weightedLayers(variant)) this.expected.set(layer.name, layer);
  }

  /** The weighted layers to fill, in Keras order. */
  get layers(): WeightedLayerSpec[] {
    return [...this.expected.values()];
  }

  expects(layerName: string): boolean {
    return this.expected.has(layerName);
  }

  /** Checks and sets one layer's tensors (in per-layer Keras order). Always disposes `tensors`. */
  assign(layerName: string, tensors: Tensor[]): void {
    try {
      const spec = this.expected.get(layerName);
      if (!spec) throw this.error('WEIGHTS_MISMATCH', `unexpected layer "${layerName}"`);
      if (this.assigned.has(layerName)) {
        throw this.error('WEIGHTS_MISMATCH', `layer "${layerName}" appears twice`);
      }
      if (tensors.length !== spec.weights.length) {
        throw this.error(
          tensors.length < spec.weights.length ? 'WEIGHTS_MISSING' : 'WEIGHTS_MISMATCH',
          `layer "${layerName}" has ${tensors.length} weight tensors, expected ` +
            `${spec.weights.length} (${spec.weights.map((w) => w.param).join(', ')})`,
        );
      }
      spec.weights.forEach((w, i) => {
        const found = tensors[i]?.shape ?? [];
        if (!sameShape(found, w.shape)) {
          throw this.error(
            'WEIGHTS_MISMATCH',
            `layer "${layerName}" weight ${i} (${w.param}): expected shape ` +
              `${formatShape(w.shape)}, found ${formatShape(found)}`,
          );
        }
      });
      const layer = this.model.getLayer(layerName);
      layer.setWeights(tensors);
      this.assigned.add(layerName);
      this.tensorCount += tensors.length;
    } finally {
      tf.dispose(tensors);
    }
  }

  /** Throws unless every weighted layer of the model was assigned. */
  finish(): void {
    const missing = [...this.expected.keys()].filter((name) => !this.assigned.has(name));
    if (missing.length > 0) {
      const list = missing.slice(0, 5).join('", "');
      const more = missing.length > 5 ? ` and ${missing.length - 5} more` : '';
      throw this.error('WEIGHTS_MISSING', `no weights for layer "${list}"${more}`);
    }
    const expectedCount = VARIANT_SPECS[this.variant].weightTensorCount;
    if (this.tensorCount !== expectedCount || this.model.weights.length !== expectedCount) {
      throw this.error(
        'INTERNAL',
        `set ${this.tensorCount} of ${expectedCount} weight tensors (model has ${this.model.weights.length})`,
      );
    }
  }

  private error(
    code: 'WEIGHTS_MISMATCH' | 'WEIGHTS_MISSING' | 'INTERNAL',
    message: string,
  ): KinshipError {
    return new KinshipError(code, message, this.file ? { file: this.file } : {});
  }
}
