/**
 * Flip test-time augmentation at scoring time: a head trained with `flipTta` validated on the
 * mean of its probability over the two photos and over their mirrored copies; scoring it the
 * same way elsewhere (evaluation, submissions) keeps its figures comparable.
 */
import type { KinshipHead } from '../ml/head';
import { tf } from '../ml/tf';
import type { FlipTtaUse } from './flip-tta-use';

export type { FlipTtaUse };

export function flipTtaRequested(head: KinshipHead): boolean {
  return head.meta.training?.flipTta === true;
}

/**
 * (p + p′) / 2 in float32 on the backend, as training computes it, so an evaluation reproduces
 * the training's validation scores bit for bit.
 */
export function meanWithMirror(plain: Float32Array, mirrored: Float32Array): Float32Array {
  if (plain.length !== mirrored.length) throw new RangeError('score arrays differ in length');
  if (plain.length === 0) return new Float32Array(0);
  const mean = tf.tidy(() => tf.div(tf.add(tf.tensor1d(plain), tf.tensor1d(mirrored)), 2));
  try {
    return mean.dataSync() as Float32Array;
  } finally {
    mean.dispose();
  }
}
