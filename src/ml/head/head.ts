/**
 * A trained (or loaded) Siamese head: weights on the tfjs backend plus its meta. Call
 * `dispose()` when done; every method leaves the tensor count unchanged.
 */
import { throwIfAborted, yieldToEventLoop } from '../../lib/abort';
import { tf } from '../tf';
import { headParameterCount, type HeadArchitecture } from './config';
import { toLayersModel } from './layers-model';
import type { HeadMeta } from './meta';
import { disposeHeadWeights, headProbabilities, type HeadWeights } from './network';

export interface PredictOptions {
  /** Pairs per backend call. Default 1024. */
  batchSize?: number;
  signal?: AbortSignal;
}

export class KinshipHead {
  readonly arch: HeadArchitecture;
  private disposed = false;

  constructor(
    readonly weights: HeadWeights,
    public meta: HeadMeta,
  ) {
    this.arch = meta.architecture;
  }

  get parameterCount(): number {
    return headParameterCount(this.arch);
  }

  /** Kin probabilities [n] for embedding batches [n, d]; the caller disposes the result. */
  predictTensors(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
    this.assertUsable();
    return headProbabilities(this.weights, this.arch, a, b);
  }

  /**
   * Kin probabilities for n pairs given as row-major [n, d] embeddings (`left[i]` with
   * `right[i]`), computed in batches.
   */
  async predict(
    left: Float32Array,
    right: Float32Array,
    options: PredictOptions = {},
  ): Promise<Float32Array> {
    this.assertUsable();
    const d = this.arch.embeddingDim;
    if (left.length !== right.length || left.length % d !== 0) {
      throw new RangeError(
        `expected two [n, ${d}] embedding arrays, got lengths ${left.length} and ${right.length}`,
      );
    }
    const n = left.length / d;
    const batch = Math.max(1, Math.floor(options.batchSize ?? 1024));
    const out = new Float32Array(n);
    for (let start = 0; start < n; start += batch) {
      throwIfAborted(options.signal);
      const end = Math.min(n, start + batch);
      const probs = tf.tidy(() =>
        this.predictTensors(
          tf.tensor2d(left.subarray(start * d, end * d), [end - start, d]),
          tf.tensor2d(right.subarray(start * d, end * d), [end - start, d]),
        ),
      );
      try {
        out.set(await probs.data(), start);
      } finally {
        probs.dispose();
      }
      if (end < n) await yieldToEventLoop();
    }
    return out;
  }

  /** Whether a probability counts as kin under the saved threshold. */
  isKin(probability: number): boolean {
    return probability >= this.meta.threshold;
  }

  /** An equivalent stock tf.LayersModel (inputs x1, x2); the caller disposes it. */
  toLayersModel(): tf.LayersModel {
    this.assertUsable();
    return toLayersModel(this.arch, this.weights);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeHeadWeights(this.weights);
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error('this kinship head has been disposed');
  }
}
