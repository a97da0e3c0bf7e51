import { tf } from '../tf';

/** Runs `fn` and reports how many tensors it left allocated: 0 means it cleaned up after itself. */
export async function countLeakedTensors<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; leaked: number }> {
  const before = tf.memory().numTensors;
  const result = await fn();
  return { result, leaked: tf.memory().numTensors - before };
}
