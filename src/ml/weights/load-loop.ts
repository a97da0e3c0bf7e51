/**
 * The shared skeleton of every loader: build the variant, fill it layer by layer through the
 * strict assigner with progress and cancellation, prove completeness, and never leak the model.
 */
import { tf } from '../tf';
import type { Tensor } from '../tf';
import { throwIfAborted, yieldToEventLoop } from '../../lib/abort';
import { KinshipError } from '../../lib/errors';
import { buildResNet50 } from '../resnet50/build';
import type { WeightedLayerSpec } from '../resnet50/architecture';
import type { ResNetVariant } from '../resnet50/variants';
import { StrictWeightAssigner } from './assign';
import type { WeightsLoadOptions } from './types';

/** Layers between event-loop yields, so an abort message reaches a busy worker. */
const YIELD_EVERY = 8;

export async function fillResNet50(
  variant: ResNetVariant,
  options: WeightsLoadOptions,
  readLayer: (layer: WeightedLayerSpec) => Tensor[],
): Promise<tf.LayersModel> {
  throwIfAborted(options.signal);
  const model = buildResNet50(variant, { inputSize: options.inputSize });
  try {
    const assigner = new StrictWeightAssigner(model, variant, options.fileName);
    const layers = assigner.layers;
    for (const [i, layer] of layers.entries()) {
      assigner.assign(layer.name, readLayer(layer));
      options.onProgress?.({ phase: 'weights', done: i + 1, total: layers.length });
      if ((i + 1) % YIELD_EVERY === 0) {
        await yieldToEventLoop();
        throwIfAborted(options.signal);
      }
    }
    assigner.finish();
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** Re-throws a KinshipError raised without a file name with `file` attached ("<file>: …"). */
export function withFileName(e: unknown, file: string | undefined): unknown {
  if (file && e instanceof KinshipError && e.file !== file && !e.message.startsWith(`${file}:`)) {
    return new KinshipError(e.code, e.message, { file, cause: e });
  }
  return e;
}
