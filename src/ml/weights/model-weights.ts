/** Reads a loaded ResNet50's weights back out, in canonical order with canonical names. */
import type { tf } from '../tf';
import { weightedLayers, type WeightSpec } from '../resnet50/architecture';
import type { ResNetVariant } from '../resnet50/variants';

export interface CanonicalWeight {
  spec: WeightSpec;
  /** The variable's own data (not a copy): read it, do not modify it. */
  values: Float32Array;
}

/** Every weight tensor (265 / 318) in Keras layer order, then per-layer order. */
export function readCanonicalWeights(
  model: tf.LayersModel,
  variant: ResNetVariant,
): CanonicalWeight[] {
  return weightedLayers(variant).flatMap((layer) => {
    const variables = model.getLayer(layer.name).weights;
    return layer.weights.map((spec, i) => {
      const variable = variables[i];
      if (!variable) throw new Error(`layer ${layer.name} has no weight ${i}`);
      // LayerVariable.read() returns the variable itself, not a copy: nothing to dispose.
      const values = variable.read().dataSync();
      if (!(values instanceof Float32Array)) throw new Error(`${spec.name} is not float32`);
      return { spec, values };
    });
  });
}
