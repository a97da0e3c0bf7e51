import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { transposeMatrix } from './transpose';

describe.each(['wasm', 'cpu'])('transposeMatrix on %s', (backend) => {
  it.each([
    [3, 16],
    [1024, 384],
    [7, 40],
    [5, 8],
    [6, 13],
  ])('equals tf.transpose bit for bit at [%i, %i], and leaks nothing', async (rows, cols) => {
    await tf.setBackend(backend);
    const x = tf.tensor2d(
      Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i) * 1000 + i / 7),
      [rows, cols],
    );
    const before = tf.memory().numTensors;
    const ours = transposeMatrix(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(ours.shape).toEqual([cols, rows]);
    const reference = tf.transpose(x);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(reference.dataSync()));
    tf.dispose([x, ours, reference]);
  });
});
