/**
 * The head's four parameters in one flat vector, trained by Adam in a dozen whole-vector ops per
 * step. tf.train.adam spends ~19 kernel calls and scalar uploads per variable (76 for the head)
 * and per-op dispatch is most of a small head's step on wasm; one flat vector makes that 12.
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

/** Plain tensors with the head's weight shapes (views of the flat vector, valid in one tidy). */
export interface HeadParams {
  kernel1: tf.Tensor2D;
  bias1: tf.Tensor1D;
  kernel2: tf.Tensor2D;
  bias2: tf.Tensor1D;
}

/** tfjs's Adam defaults (tf.train.adam; its ε defaults to the backend's epsilon, 1e-7 in float32). */
const BETA1 = 0.9;
const BETA2 = 0.999;

export class FlatAdamHead {
  private readonly theta: tf.Variable<tf.Rank.R1>;
  private readonly m: tf.Variable<tf.Rank.R1>;
  private readonly v: tf.Variable<tf.Rank.R1>;
  private readonly f: number;
  private readonly h: number;
  private readonly decay1: tf.Scalar;
  private readonly decay2: tf.Scalar;
  private readonly gain1: tf.Scalar;
  private readonly gain2: tf.Scalar;
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
    // Variables outlive tf.tidy; the tensors they were made from do not.
    [this.theta, this.m, this.v] = tf.tidy(() => {
      const flat = tf.concat([
        weights.kernel1.reshape([-1]),
        weights.bias1.reshape([-1]),
        weights.kernel2.reshape([-1]),
        weights.bias2.reshape([-1]),
      ]) as tf.Tensor1D;
      return [flat, tf.zerosLike(flat), tf.zerosLike(flat)].map((t) => tf.variable(t, false)) as [
        tf.Variable<tf.Rank.R1>,
        tf.Variable<tf.Rank.R1>,
        tf.Variable<tf.Rank.R1>,
      ];
    });
    this.decay1 = tf.scalar(BETA1);
    this.decay2 = tf.scalar(BETA2);
    this.gain1 = tf.scalar((1 - BETA1) / batchSize);
    this.gain2 = tf.scalar((1 - BETA2) / (batchSize * batchSize));
  }

  /** The parameters as tensors of their own shapes; call inside tf.tidy. */
  params(): HeadParams {
    const { f, h } = this;
    const th = this.theta;
    return {
      kernel1: th.slice([0], [f * h]).reshape([f, h]),
      bias1: th.slice([f * h], [h]),
      kernel2: th.slice([f * h + h], [h]).reshape([h, 1]),
      bias2: th.slice([f * h + 2 * h], [1]),
    };
  }

  /** One Adam step from batch-summed gradients of the four parameters. */
  step(grads: HeadParams): void {
    this.t++;
    const c1 = 1 - BETA1 ** this.t;
    const c2 = Math.sqrt(1 - BETA2 ** this.t);
    tf.tidy(() => {
      const g = tf.concat([
        grads.kernel1.reshape([-1]),
        grads.bias1,
        grads.kernel2.reshape([-1]),
        grads.bias2,
      ]);
      const m = tf.add(tf.mul(this.m, this.decay1), tf.mul(g, this.gain1));
      const v = tf.add(tf.mul(this.v, this.decay2), tf.mul(tf.mul(g, g), this.gain2));
      const update = tf.div(m, tf.add(tf.sqrt(v), tf.scalar(this.epsilon * c2)));
      this.theta.assign(
        tf.sub(this.theta, tf.mul(update, tf.scalar((this.learningRate * c2) / c1))),
      );
      this.m.assign(m as tf.Tensor1D);
      this.v.assign(v as tf.Tensor1D);
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
    tf.dispose([this.theta, this.m, this.v, this.decay1, this.decay2, this.gain1, this.gain2]);
  }
}
