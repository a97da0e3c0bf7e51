/**
 * The head as plain tensors: pair features → Dense(h, relu) → Dropout → Dense(1) logit.
 * Training and prediction run this directly (no tf.LayersModel in the loop); layers-model.ts
 * builds the equivalent stock Keras-style graph for export.
 */
import { tf } from '../tf';
import { featureDim, headMembers, type HeadArchitecture } from './config';

/**
 * Shapes for K stacked members of h units each (K = 1 for a plain head): the members' hidden
 * layers side by side, and a block-diagonal output kernel giving one logit per member.
 */
export interface HeadWeights {
  /** [featureDim, K·h] */
  kernel1: tf.Variable;
  /** [K·h] */
  bias1: tf.Variable;
  /** [K·h, K] */
  kernel2: tf.Variable;
  /** [K] */
  bias2: tf.Variable;
}

export function weightList(w: HeadWeights): tf.Variable[] {
  return [w.kernel1, w.bias1, w.kernel2, w.bias2];
}

/** Keras defaults: Glorot-uniform kernels (seeded), zero biases. */
export function initHeadWeights(arch: HeadArchitecture, seed: number): HeadWeights {
  const f = featureDim(arch);
  const h = arch.hiddenUnits;
  return tf.tidy(() => ({
    kernel1: tf.variable(glorotUniform([f, h], seed)),
    bias1: tf.variable(tf.zeros([h])),
    kernel2: tf.variable(glorotUniform([h, 1], seed + 1)),
    bias2: tf.variable(tf.zeros([1])),
  }));
}

/** Variables holding copies of the given values (shapes are checked against `arch`). */
export function headWeightsFrom(
  arch: HeadArchitecture,
  values: readonly [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor],
): HeadWeights {
  const f = featureDim(arch);
  const k = headMembers(arch);
  const h = arch.hiddenUnits * k;
  const expected = [[f, h], [h], [h, k], [k]];
  values.forEach((v, i) => {
    if (v.shape.join('x') !== (expected[i] as number[]).join('x')) {
      throw new RangeError(
        `head weight ${i} has shape [${v.shape.join(', ')}], expected [${(expected[i] as number[]).join(', ')}]`,
      );
    }
  });
  const [k1, b1, k2, b2] = values;
  // A variable shares its initial tensor's data, so the caller may dispose `values` afterwards.
  return tf.tidy(() => ({
    kernel1: tf.variable(k1),
    bias1: tf.variable(b1.reshape([h])),
    kernel2: tf.variable(k2),
    bias2: tf.variable(b2.reshape([k])),
  }));
}

export function disposeHeadWeights(w: HeadWeights): void {
  for (const v of weightList(w)) v.dispose();
}

/**
 * x1⊙x2 ‖ (x1−x2)² [‖ x1²−x2²] for batches of embeddings [n, d] → [n, featureDim].
 * The block order is part of the saved format (layers-model.ts builds the same order).
 */
export function pairFeatures(a: tf.Tensor2D, b: tf.Tensor2D, diffSquares: boolean): tf.Tensor2D {
  return tf.tidy(() => {
    // One rounding per op, like the exported graph (squaredDifference on the cpu backend
    // rounds once, which differs in the last bit and breaks exact save/load equality).
    const difference = tf.sub(a, b);
    const blocks = [tf.mul(a, b), tf.mul(difference, difference)];
    if (diffSquares) blocks.push(tf.sub(tf.mul(a, a), tf.mul(b, b)));
    return tf.concat(blocks, 1) as tf.Tensor2D;
  });
}

/**
 * Logits [n, 1] from pair features. `mask` is a training-time dropout mask for the hidden
 * layer (see step.ts); without it this is the inference pass.
 */
export function headLogits(w: HeadWeights, features: tf.Tensor2D, mask?: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    let hidden = tf.fused.matMul({
      a: features,
      b: w.kernel1,
      bias: w.bias1,
      activation: 'relu',
    }) as tf.Tensor2D;
    if (mask) hidden = tf.mul(hidden, mask);
    return tf.fused.matMul({ a: hidden, b: w.kernel2, bias: w.bias2 }) as tf.Tensor2D;
  });
}

/** Kinship probabilities [n] for embedding batches a, b of shape [n, d]. */
export function headProbabilities(
  w: HeadWeights,
  arch: HeadArchitecture,
  a: tf.Tensor2D,
  b: tf.Tensor2D,
): tf.Tensor1D {
  return tf.tidy(() => {
    const p = tf.sigmoid(headLogits(w, pairFeatures(a, b, arch.diffSquares)));
    // An ensemble's probability is the mean of its members' probabilities.
    return (headMembers(arch) > 1 ? tf.mean(p, 1) : p.reshape([-1])) as tf.Tensor1D;
  });
}

function glorotUniform(shape: [number, number], seed: number): tf.Tensor2D {
  const limit = Math.sqrt(6 / (shape[0] + shape[1]));
  return tf.randomUniform(shape, -limit, limit, 'float32', seed);
}
