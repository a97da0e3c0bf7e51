/**
 * One training step's forward and backward pass, with the gradients written out by hand.
 *
 * Autodiff (`tf.variableGrads`) would compute ∂L/∂W1 as matMul(features, dz1, transposeA), and
 * the wasm backend's transposed matMul is ~10× slower than a plain one (measured: 245 ms vs
 * 20 ms for 8192×128×100). Writing the backward pass with explicit small transposes keeps every
 * matMul on the fast path on all backends. head.test.ts checks these gradients against autodiff.
 *
 *   z1 = F·W1 + b1,  h = relu(z1) ⊙ m   (m: inverted-dropout mask, 1 when not training)
 *   z2 = h·W2 + b2,  L = mean BCE(sigmoid(z2), y)
 *   dz2 = (sigmoid(z2) − y)/B,  dW2 = hᵀ·dz2,  db2 = Σ dz2
 *   dz1 = (dz2·W2ᵀ) ⊙ m ⊙ [z1 > 0],  dW1 = (dz1ᵀ·F)ᵀ,  db1 = Σ dz1
 */
import type { Rng } from '../../lib/random';
import { tf } from '../tf';
import type { HeadWeights } from './network';

export interface StepResult {
  /** Gradients keyed by variable name, ready for `optimizer.applyGradients`. */
  grads: tf.NamedTensorMap;
  /** Mean binary cross-entropy of the batch. */
  loss: tf.Scalar;
  /** Pairs on the right side of probability 0.5. */
  correct: tf.Scalar;
}

/**
 * Forward + backward for a batch of pair features [B, F] and labels [B, 1], with an optional
 * inverted-dropout mask [B, hidden] (see `dropoutMask`). Call inside tf.tidy.
 */
export function headGradients(
  w: HeadWeights,
  features: tf.Tensor2D,
  labels: tf.Tensor2D,
  mask?: tf.Tensor2D,
): StepResult {
  const batch = features.shape[0];
  const z1 = tf.add(tf.matMul(features, w.kernel1), w.bias1);
  const hidden = mask ? tf.mul(tf.relu(z1), mask) : tf.relu(z1);
  const z2 = tf.add(tf.matMul(hidden, w.kernel2), w.bias2);

  const dz2 = tf.div(tf.sub(tf.sigmoid(z2), labels), batch);
  const dKernel2 = tf.matMul(tf.transpose(hidden), dz2);
  const dBias2 = tf.sum(dz2, 0);
  let dHidden = tf.matMul(dz2, tf.transpose(w.kernel2));
  if (mask) dHidden = tf.mul(dHidden, mask);
  const dz1 = tf.mul(dHidden, tf.step(z1));
  const dKernel1 = tf.transpose(tf.matMul(tf.transpose(dz1), features));
  const dBias1 = tf.sum(dz1, 0);

  return {
    grads: {
      [w.kernel1.name]: dKernel1,
      [w.bias1.name]: dBias1,
      [w.kernel2.name]: dKernel2,
      [w.bias2.name]: dBias2,
    },
    loss: bceWithLogits(z2, labels),
    correct: tf.sum(tf.cast(tf.equal(tf.greater(z2, 0), tf.greater(labels, 0.5)), 'float32')),
  };
}

/** mean(max(z, 0) − z·y + log(1 + e^−|z|)): BCE on logits without overflow. */
export function bceWithLogits(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.mean(
    tf.add(
      tf.sub(tf.relu(logits), tf.mul(logits, labels)),
      tf.log1p(tf.exp(tf.neg(tf.abs(logits)))),
    ),
  );
}

/**
 * An inverted-dropout mask [rows, cols]: each entry 0 with probability `rate`, else 1/(1−rate),
 * as tf.dropout uses. Drawn with mulberry32 on the host: tf.randomUniform's seeded generator
 * is ~15× slower and cost as much as the whole backward pass for 128-d batches (measured).
 */
export function dropoutMask(rows: number, cols: number, rate: number, rng: Rng): tf.Tensor2D {
  const keep = 1 - rate;
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < values.length; i++) values[i] = rng() < keep ? 1 / keep : 0;
  return tf.tensor2d(values, [rows, cols]);
}
