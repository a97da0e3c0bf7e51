/**
 * xᵀ for a [rows, cols] matrix, in two cache-friendly passes on wasm.
 *
 * tfjs-wasm's 2-D Transpose walks the output with a stride of `rows` floats, so a [1024, 12288]
 * batch of pair features spends ~90 ms in cache and TLB misses (the largest kernel of a 4096-d
 * training step). Seen as [rows, cols/8, 8], the same matrix moves in two passes that each touch
 * memory in runs: (1) [rows, cols/8, 8] → [cols/8, rows, 8] copies 32-byte runs, (2) each
 * [rows, 8] slab (32 KB, in cache) → [8, rows]. Measured in Chromium, 2 threads: 80 → 32 ms at
 * [1024, 12288] and 2.9 → 0.6 ms at [1024, 384]; runs of 4 or 16+ floats were slower. Values are
 * copied, never computed, so the result is bit-identical to tf.transpose. Other backends (a GPU
 * transpose is one cheap pass) and widths that are not a multiple of 8 use tf.transpose.
 */
import { tf } from '../tf';

const RUN = 8;

export function transposeMatrix(x: tf.Tensor2D): tf.Tensor2D {
  const [rows, cols] = x.shape;
  if (tf.getBackend() !== 'wasm' || cols % RUN !== 0 || cols === RUN) {
    return tf.transpose(x);
  }
  return tf.tidy(() => {
    const slabs = tf.transpose(tf.reshape(x, [rows, cols / RUN, RUN]), [1, 0, 2]);
    return tf.reshape(tf.transpose(slabs, [0, 2, 1]), [cols, rows]) as tf.Tensor2D;
  });
}
