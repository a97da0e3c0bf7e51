/**
 * Keras .h5 (weights-only or full-model) → built, fully loaded ResNet50. The variant comes from
 * the file's layer names; every layer is read from its own group by full name, and its tensors
 * are mapped by POSITION in `weight_names` (so Keras-1 names such as `bn_conv1_running_std:0`,
 * which holds the variance, and `_1`-suffixed names map correctly), then shape-checked.
 */
import { tf } from '../tf';
import { KinshipError } from '../../lib/errors';
import { RESNET50_WEIGHTED_LAYER_COUNT } from '../resnet50/variants';
import { weightedLayers } from '../resnet50/architecture';
import { detectVariant, KNOWN_HEAD_LAYERS } from './detect';
import { withH5File, type H5Source } from './h5-runtime';
import {
  openKerasWeightsRoot,
  readLayerTensors,
  readLayerWeightNames,
  type KerasWeightsRoot,
} from './keras-h5';
import { assertWeightsFileSize, byteLengthOf } from './limits';
import { fillResNet50, withFileName } from './load-loop';
import type { LoadedResNet50, WeightsLoadOptions } from './types';
import type { H5Runtime } from './h5-runtime';

export async function loadResNet50FromH5(
  source: H5Source,
  options: WeightsLoadOptions = {},
): Promise<LoadedResNet50> {
  try {
    assertWeightsFileSize(byteLengthOf(source));
    return await withH5File(source, async (file, rt) => {
      const root = openKerasWeightsRoot(file, rt);
      if (root.backend === 'theano') {
        throw new KinshipError(
          'WEIGHTS_FORMAT',
          'Theano-ordered weights (backend "theano") are not supported; use a *_tf_kernels* file',
        );
      }
      const variant = detectVariant(root.layerNames);
      rejectForeignLayers(root, rt, variant);
      const model = await fillResNet50(variant, options, (layer) => {
        const names = readLayerWeightNames(root, rt, layer.name);
        if (names === null) {
          throw new KinshipError('WEIGHTS_MISSING', `layer "${layer.name}" is not in the file`);
        }
        return readLayerTensors(root, rt, layer.name, names).map((t) =>
          tf.tensor(t.values, t.shape, 'float32'),
        );
      });
      const format = root.layout === 'weights-only' ? 'keras-h5-weights' : 'keras-h5-full-model';
      return { variant, model, format };
    });
  } catch (e) {
    throw withFileName(e, options.fileName);
  }
}

/** A weighted layer the architecture does not have means a different model: refuse it. */
function rejectForeignLayers(
  root: KerasWeightsRoot,
  rt: H5Runtime,
  variant: ReturnType<typeof detectVariant>,
): void {
  const known = new Set(weightedLayers(variant).map((l) => l.name));
  const foreign: string[] = [];
  for (const name of root.layerNames) {
    if (known.has(name) || KNOWN_HEAD_LAYERS.has(name)) continue;
    const weightNames = readLayerWeightNames(root, rt, name);
    if (weightNames && weightNames.length > 0) foreign.push(name);
  }
  if (foreign.length > 0) {
    throw new KinshipError(
      'WEIGHTS_MISMATCH',
      `layer "${foreign[0]}" has weights but is not one of the ${RESNET50_WEIGHTED_LAYER_COUNT} ` +
        `weighted layers of ResNet50 (${variant})` +
        (foreign.length > 1 ? `; ${foreign.length - 1} more such layers` : ''),
    );
  }
}
