/**
 * One training step's forward and backward pass, with the gradients written out by hand and as
 * few kernel calls as the math allows (per-op dispatch dominates a small head's step on wasm).
 *
 *   r = relu(F·W1 + b1)  (one fused matMul),  h = r ⊙ m  (m: inverted-dropout mask)
 *   z = h·W2 + b2        (one fused matMul),  ΣL = Σ softplus(z) − z·y  (BCE on logits)
 *   e = sigmoid(z) − y = ∂ΣL/∂z,  dW2 = hᵀ·e,  db2 = Σ e
 *   dh = e ⊗ W2ᵀ (an outer product: a broadcast multiply, no K=1 matMul)
 *   dz1 = dh ⊙ m ⊙ [r > 0],  dW1 = Fᵀ·dz1,  db1 = Σ dz1
 *
 * The gradients are of the *summed* loss; FlatAdamHead folds in the 1/B of the mean. dW1 is
 * `matMul(Fᵀ, dz1)`: tfjs-wasm's matMul packs its right operand as XNNPACK weights on every call,
 * and packing fresh [B, f] features (the autodiff / `(dz1ᵀ·F)ᵀ` form) cost more than a transpose
 * (Chromium, 2 threads, 4096-d, batch 1024: 178 vs 132 ms with tf.transpose, 75 with the blocked
 * transposeMatrix); transposeA would take the naive, ~10× slower loop. db1 = dz1ᵀ·1 is that naive
 * loop on purpose: at h·B multiply-adds it beats Sum over axis 0, which transposes first (0.17 vs
 * 0.5 ms at batch 1024). head.test.ts checks against autodiff.
 */
import type { Rng } from '../../lib/random';
import { tf } from '../tf';
import type { HeadParams } from './flat-adam';
import type { HeadWeights } from './network';
import { transposeMatrix } from './transpose';

export interface SummedStep {
  /** Gradients of the batch-summed loss, shaped like the parameters. */
  grads: HeadParams;
  /** Σ BCE over the batch. */
  lossSum: tf.Scalar;
  /** Pairs on the wrong side of probability 0.5 (logit 0). */
  wrong: tf.Scalar;
}

/**
 * Forward + backward for pair features [B, F] and 0/1 labels [B, 1], with an optional
 * inverted-dropout mask [B, hidden] (see `dropoutMask`). Call inside tf.tidy.
 */
export function summedGradients(
  p: HeadParams,
  features: tf.Tensor2D,
  labels: tf.Tensor2D,
  mask?: tf.Tensor2D,
): SummedStep {
  const hiddenUnits = p.kernel1.shape[1];
  const r = tf.fused.matMul({ a: features, b: p.kernel1, bias: p.bias1, activation: 'relu' });
  const hidden = mask ? tf.mul(r, mask) : r;
  const z = tf.fused.matMul({ a: hidden, b: p.kernel2, bias: p.bias2 });

  const e = tf.sub(tf.sigmoid(z), labels);
  // [h, B]·[B, 1] through the plain loop: 100·B multiply-adds, cheaper than a transpose.
  const dKernel2 = tf.matMul(hidden, e, true, false) as tf.Tensor2D;
  const dBias2 = tf.sum(e, 0) as tf.Tensor1D;
  const dHidden = tf.mul(e, tf.reshape(p.kernel2, [1, hiddenUnits]));
  // step(r) = [z1 > 0], since r = relu(z1).
  const gate = mask ? tf.mul(tf.step(r), mask) : tf.step(r);
  const dz1 = tf.mul(dHidden, gate) as tf.Tensor2D;
  const dKernel1 = tf.matMul(transposeMatrix(features), dz1) as tf.Tensor2D;
  const ones = tf.ones([features.shape[0], 1]);
  const dBias1 = tf.reshape(tf.matMul(dz1, ones, true, false), [hiddenUnits]) as tf.Tensor1D;

  return {
    grads: { kernel1: dKernel1, bias1: dBias1, kernel2: dKernel2, bias2: dBias2 },
    // softplus(z) − z·y = max(z, 0) − z·y + log(1 + e^−|z|), without overflow.
    lossSum: tf.sum(tf.sub(tf.softplus(z), tf.mul(z, labels))) as tf.Scalar,
    // step(z) is the 0/1 prediction, so |step(z) − y| is 1 exactly for a wrong one.
    wrong: tf.sum(tf.abs(tf.sub(tf.step(z), labels))) as tf.Scalar,
  };
}

export interface StepResult {
  /** Gradients of the mean loss keyed by variable name (as `tf.variableGrads` returns them). */
  grads: tf.NamedTensorMap;
  /** Mean binary cross-entropy of the batch. */
  loss: tf.Scalar;
  /** Pairs on the right side of probability 0.5. */
  correct: tf.Scalar;
}

/** `summedGradients` on the head's variables, as mean-loss gradients. Call inside tf.tidy. */
export function headGradients(
  w: HeadWeights,
  features: tf.Tensor2D,
  labels: tf.Tensor2D,
  mask?: tf.Tensor2D,
): StepResult {
  const batch = features.shape[0];
  const params: HeadParams = {
    kernel1: w.kernel1 as tf.Tensor2D,
    bias1: w.bias1 as tf.Tensor1D,
    kernel2: w.kernel2 as tf.Tensor2D,
    bias2: w.bias2 as tf.Tensor1D,
  };
  const s = summedGradients(params, features, labels, mask);
  const mean = (t: tf.Tensor): tf.Tensor => tf.div(t, batch);
  return {
    grads: {
      [w.kernel1.name]: mean(s.grads.kernel1),
      [w.bias1.name]: mean(s.grads.bias1),
      [w.kernel2.name]: mean(s.grads.kernel2),
      [w.bias2.name]: mean(s.grads.bias2),
    },
    loss: mean(s.lossSum) as tf.Scalar,
    correct: tf.sub(batch, s.wrong),
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
 * as tf.dropout uses. Drawn on the host with mulberry32 (tf.randomUniform's seeded generator is
 * ~15× slower). The gaps between dropped entries are drawn instead of every entry: a gap is
 * geometric, P(gap = k) = (1−rate)ᵏ·rate, which is exactly i.i.d. Bernoulli entries, and at the
 * seed's rate of 0.01 it takes ~100× fewer draws.
 */
export function dropoutMask(rows: number, cols: number, rate: number, rng: Rng): tf.Tensor2D {
  const keep = 1 - rate;
  const values = new Float32Array(rows * cols).fill(1 / keep);
  if (rate > 0) {
    const logKeep = Math.log(keep);
    // 1 − rng() is in (0, 1], so the log is finite.
    for (let i = Math.floor(Math.log(1 - rng()) / logKeep); i < values.length;) {
      values[i] = 0;
      i += 1 + Math.floor(Math.log(1 - rng()) / logKeep);
    }
  }
  return tf.tensor2d(values, [rows, cols]);
}
