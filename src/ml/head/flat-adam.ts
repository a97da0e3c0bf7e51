/**
 * The head's four parameters in two flat vectors — the first layer's kernel alone, the three small
 * parameters together — each trained by Adam in a dozen whole-vector ops per step.
 * tf.train.adam spends ~19 kernel calls and scalar uploads per variable (76 for the head), and
 * per-op dispatch is most of a small head's step on wasm. The kernel gets its own vector because
 * the step then reads it as a free reshape: tfjs-wasm's Slice copies its whole input first, so
 * cutting a 100-float bias out of one 1.2M-float vector cost ~2.5 ms, and the kernel ~3 ms
 * (Chromium, 4096-d: ~10 ms of a ~190 ms step, plus a 1.2M-float gradient concat).
 *
 * It is tfjs's Adam (same β₁, β₂, ε, bias correction), rearranged so that every per-step constant
 * is a host scalar:  θ −= lr·m̂/(√v̂ + ε)  with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)  equals
 *   θ −= lrₜ·m/(√v + εₜ),  lrₜ = lr·√(1−β₂ᵗ)/(1−β₁ᵗ),  εₜ = ε·√(1−β₂ᵗ).
 * Gradients arrive as sums over the batch; the 1/B of the mean loss is folded into the moment
 * updates (m gets (1−β₁)/B·g, v gets (1−β₂)/B²·g²). g² is `mul(g, g)`: tfjs-wasm's Square runs
 * through the thread pool and cost ~50× a Multiply of the same size with 2 threads (measured).
 */
import { tf } from '../tf';
import { featureDim, type HeadArchitecture } from './config';
import type { HeadWeights } from './network';

/** Plain tensors with the head's weight shapes (views of the flat vectors, valid in one tidy). */
export interface HeadParams {
  kernel1: tf.Tensor2D;
  bias1: tf.Tensor1D;
  kernel2: tf.Tensor2D;
  bias2: tf.Tensor1D;
}

/** tfjs's Adam defaults (tf.train.adam; its ε defaults to the backend's epsilon, 1e-7 in float32). */
const BETA1 = 0.9;
const BETA2 = 0.999;

/** Per-step constants shared by both vectors' updates. */
interface AdamScalars {
  decay1: tf.Scalar;
  decay2: tf.Scalar;
  gain1: tf.Scalar;
  gain2: tf.Scalar;
}

/** θ with its two moment vectors, all as non-trainable variables. */
class AdamVector {
  readonly theta: tf.Variable<tf.Rank.R1>;
  private readonly m: tf.Variable<tf.Rank.R1>;
  private readonly v: tf.Variable<tf.Rank.R1>;

  /** Copies nothing: θ shares `initial`'s data, which the caller may dispose afterwards. */
  constructor(initial: tf.Tensor1D) {
    this.theta = tf.variable(initial, false);
    this.m = tf.tidy(() => tf.variable(tf.zerosLike(initial), false));
    this.v = tf.tidy(() => tf.variable(tf.zerosLike(initial), false));
  }

  /** One update from the batch-summed gradient `g`; call inside tf.tidy. */
  step(g: tf.Tensor1D, k: AdamScalars, epsilon: tf.Scalar, rate: tf.Scalar): void {
    const m = tf.add(tf.mul(this.m, k.decay1), tf.mul(g, k.gain1));
    const v = tf.add(tf.mul(this.v, k.decay2), tf.mul(tf.mul(g, g), k.gain2));
    const update = tf.div(m, tf.add(tf.sqrt(v), epsilon));
    this.theta.assign(tf.sub(this.theta, tf.mul(update, rate)));
    this.m.assign(m as tf.Tensor1D);
    this.v.assign(v as tf.Tensor1D);
  }

  dispose(): void {
    tf.dispose([this.theta, this.m, this.v]);
  }
}

export class FlatAdamHead {
  /** kernel1, flattened. */
  private readonly kernel: AdamVector;
  /** bias1 ‖ kernel2 ‖ bias2. */
  private readonly rest: AdamVector;
  private readonly f: number;
  private readonly h: number;
  private readonly scalars: AdamScalars;
  private readonly epsilon = tf.backend().epsilon();
  private t = 0;

  /** Starts from the current values of `weights`; `batchSize` is the B of the mean loss. */
  constructor(
    arch: HeadArchitecture,
    weights: HeadWeights,
    private readonly learningRate: number,
    batchSize: number,
  ) {
    this.f = featureDim(arch);
    this.h = arch.hiddenUnits;
    const [kernel, rest] = tf.tidy(() => [
      weights.kernel1.reshape([-1]) as tf.Tensor1D,
      tf.concat([
        weights.bias1.reshape([-1]),
        weights.kernel2.reshape([-1]),
        weights.bias2.reshape([-1]),
      ]) as tf.Tensor1D,
    ]);
    this.kernel = new AdamVector(kernel);
    this.rest = new AdamVector(rest);
    tf.dispose([kernel, rest]);
    this.scalars = {
      decay1: tf.scalar(BETA1),
      decay2: tf.scalar(BETA2),
      gain1: tf.scalar((1 - BETA1) / batchSize),
      gain2: tf.scalar((1 - BETA2) / (batchSize * batchSize)),
    };
  }

  /** The parameters as tensors of their own shapes; call inside tf.tidy. */
  params(): HeadParams {
    const { f, h } = this;
    const rest = this.rest.theta;
    return {
      kernel1: this.kernel.theta.reshape([f, h]),
      bias1: rest.slice([0], [h]),
      kernel2: rest.slice([h], [h]).reshape([h, 1]),
      bias2: rest.slice([2 * h], [1]),
    };
  }

  /** One Adam step from batch-summed gradients of the four parameters. */
  step(grads: HeadParams): void {
    this.t++;
    const c1 = 1 - BETA1 ** this.t;
    const c2 = Math.sqrt(1 - BETA2 ** this.t);
    tf.tidy(() => {
      const epsilon = tf.scalar(this.epsilon * c2);
      const rate = tf.scalar((this.learningRate * c2) / c1);
      this.kernel.step(grads.kernel1.reshape([-1]), this.scalars, epsilon, rate);
      const rest = tf.concat([grads.bias1, grads.kernel2.reshape([-1]), grads.bias2]);
      this.rest.step(rest as tf.Tensor1D, this.scalars, epsilon, rate);
    });
  }

  /** Copies the current parameters into `weights` (for validation, checkpoints, the result). */
  writeTo(weights: HeadWeights): void {
    tf.tidy(() => {
      const p = this.params();
      weights.kernel1.assign(p.kernel1);
      weights.bias1.assign(p.bias1);
      weights.kernel2.assign(p.kernel2);
      weights.bias2.assign(p.bias2);
    });
  }

  dispose(): void {
    this.kernel.dispose();
    this.rest.dispose();
    tf.dispose(Object.values(this.scalars));
  }
}
