/**
 * A built ResNet50 filled directly with the seeded fixture values (what a fixture .h5 of the
 * same seed holds), for tests of the TF.js and installed formats that do not need an .h5.
 */
import { tf } from '../ml/tf';
import { buildResNet50 } from '../ml/resnet50/build';
import type { ResNetVariant } from '../ml/resnet50/variants';
import { fixtureLayers, type FixtureWeightsOptions } from './h5-fixtures';

export function modelFromFixture(
  variant: ResNetVariant,
  inputSize: number,
  opts: FixtureWeightsOptions = {},
): tf.LayersModel {
  const model = buildResNet50(variant, { inputSize });
  for (const layer of fixtureLayers(variant, opts)) {
    if (layer.weights.length === 0) continue;
    const tensors = layer.weights.map((w) => tf.tensor(w.values, w.shape, 'float32'));
    model.getLayer(layer.name).setWeights(tensors);
    tf.dispose(tensors);
  }
  return model;
}
