/**
 * The head as a stock two-input tf.LayersModel, so the saved model.json loads with plain
 * `tf.loadLayersModel` (and maps onto Keras layers) with no custom layer classes:
 *
 *   x1, x2 ─ Multiply ──────────────────────────────┐
 *   x2 ─ Rescaling(−1) ─ Add(x1, ·) ─ Multiply(·, ·) ─┤ Concatenate ─ Dense(relu) ─ Dropout ─ Dense(sigmoid)
 *   [x1², x2² ─ Rescaling(−1) ─ Add ──────────────────┘]  (diffSquares option)
 *
 * tfjs-layers has no Subtract layer, hence Add with a Rescaling(scale −1): x1 + (−x2) is
 * bit-identical to x1 − x2 in float32, so predictions match the training graph exactly.
 */
import { tf } from '../tf';
import { featureDim, headMembers, type HeadArchitecture } from './config';
import { weightList, type HeadWeights } from './network';

const HIDDEN_LAYER = 'hidden';
const OUTPUT_LAYER = 'kinship';
/** An ensemble's per-member probabilities, averaged by OUTPUT_LAYER (fixed weights 1/K). */
const MEMBERS_LAYER = 'kinship_members';

export function buildHeadLayersModel(arch: HeadArchitecture): tf.LayersModel {
  const d = arch.embeddingDim;
  const x1 = tf.input({ shape: [d], name: 'x1' });
  const x2 = tf.input({ shape: [d], name: 'x2' });
  const apply = (layer: tf.layers.Layer, inputs: tf.SymbolicTensor | tf.SymbolicTensor[]) =>
    layer.apply(inputs) as tf.SymbolicTensor;

  const product = apply(tf.layers.multiply({ name: 'product' }), [x1, x2]);
  const negX2 = apply(tf.layers.rescaling({ scale: -1, name: 'neg_x2' }), x2);
  const difference = apply(tf.layers.add({ name: 'difference' }), [x1, negX2]);
  const squaredDifference = apply(tf.layers.multiply({ name: 'squared_difference' }), [
    difference,
    difference,
  ]);
  const blocks = [product, squaredDifference];
  if (arch.diffSquares) {
    const x1Squared = apply(tf.layers.multiply({ name: 'x1_squared' }), [x1, x1]);
    const x2Squared = apply(tf.layers.multiply({ name: 'x2_squared' }), [x2, x2]);
    const negX2Squared = apply(
      tf.layers.rescaling({ scale: -1, name: 'neg_x2_squared' }),
      x2Squared,
    );
    blocks.push(apply(tf.layers.add({ name: 'difference_of_squares' }), [x1Squared, negX2Squared]));
  }
  const features = apply(tf.layers.concatenate({ axis: -1, name: 'pair_features' }), blocks);
  const members = headMembers(arch);
  const hidden = apply(
    tf.layers.dense({ units: arch.hiddenUnits * members, activation: 'relu', name: HIDDEN_LAYER }),
    features,
  );
  const dropped = apply(tf.layers.dropout({ rate: arch.dropout, name: 'dropout' }), hidden);
  const output =
    members === 1
      ? apply(tf.layers.dense({ units: 1, activation: 'sigmoid', name: OUTPUT_LAYER }), dropped)
      : apply(
          tf.layers.dense({ units: 1, useBias: false, trainable: false, name: OUTPUT_LAYER }),
          apply(
            tf.layers.dense({ units: members, activation: 'sigmoid', name: MEMBERS_LAYER }),
            dropped,
          ),
        );
  return tf.model({ inputs: [x1, x2], outputs: output, name: 'kinlens_siamese_head' });
}

/** A layers model carrying the given weights (the caller disposes it). */
export function toLayersModel(arch: HeadArchitecture, weights: HeadWeights): tf.LayersModel {
  const model = buildHeadLayersModel(arch);
  const [k1, b1, k2, b2] = weightList(weights);
  const members = headMembers(arch);
  model.getLayer(HIDDEN_LAYER).setWeights([k1 as tf.Tensor, b1 as tf.Tensor]);
  if (members === 1) {
    model.getLayer(OUTPUT_LAYER).setWeights([k2 as tf.Tensor, b2 as tf.Tensor]);
  } else {
    model.getLayer(MEMBERS_LAYER).setWeights([k2 as tf.Tensor, b2 as tf.Tensor]);
    const mean = tf.fill([members, 1], 1 / members);
    model.getLayer(OUTPUT_LAYER).setWeights([mean]);
    mean.dispose();
  }
  return model;
}

/**
 * The architecture and weight tensors of a loaded layers model built by
 * `buildHeadLayersModel`; throws RangeError when the graph is not that shape.
 */
export function readLayersModel(model: tf.LayersModel): {
  arch: HeadArchitecture;
  values: [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
} {
  const inputs = model.inputs;
  const d = inputs[0]?.shape[1];
  if (inputs.length !== 2 || typeof d !== 'number' || inputs[1]?.shape[1] !== d) {
    throw new RangeError('expected a model with two inputs x1, x2 of the same length');
  }
  const names = new Set(model.layers.map((l) => l.name));
  for (const name of [HIDDEN_LAYER, OUTPUT_LAYER, 'dropout', 'pair_features']) {
    if (!names.has(name)) throw new RangeError(`expected a layer named "${name}"`);
  }
  const stacked = names.has(MEMBERS_LAYER);
  const hidden = model.getLayer(HIDDEN_LAYER).getWeights();
  const output = model.getLayer(stacked ? MEMBERS_LAYER : OUTPUT_LAYER).getWeights();
  const [k1, b1] = hidden;
  const [k2, b2] = output;
  if (!k1 || !b1 || !k2 || !b2) throw new RangeError('dense layers must have kernel and bias');
  const members = stacked ? (k2.shape[1] ?? 0) : 1;
  if (stacked) assertMeanLayer(model.getLayer(OUTPUT_LAYER).getWeights()[0], members);
  const dropoutConfig = model.getLayer('dropout').getConfig();
  const arch: HeadArchitecture = {
    embeddingDim: d,
    hiddenUnits: (k1.shape[1] ?? 0) / members,
    dropout: typeof dropoutConfig.rate === 'number' ? dropoutConfig.rate : 0,
    diffSquares: names.has('difference_of_squares'),
    ...(stacked ? { members } : {}),
  };
  if (!Number.isInteger(arch.hiddenUnits) || arch.hiddenUnits <= 0) {
    throw new RangeError(`${k1.shape[1]} hidden units do not split into ${members} members`);
  }
  if (k1.shape[0] !== featureDim(arch)) {
    throw new RangeError(`hidden kernel has ${k1.shape[0]} rows, expected ${featureDim(arch)}`);
  }
  return { arch, values: [k1, b1, k2, b2] };
}

/** The averaging layer of an ensemble must hold 1/K weights, or the file is not ours. */
function assertMeanLayer(kernel: tf.Tensor | undefined, members: number): void {
  if (!kernel || kernel.shape.join('x') !== `${members}x1`) {
    throw new RangeError(`the averaging layer must be a [${members}, 1] kernel`);
  }
  const values = kernel.dataSync();
  if (values.some((v) => Math.abs(v - 1 / members) > 1e-6)) {
    throw new RangeError('the averaging layer must weigh every member 1/K');
  }
}
