import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor3D, type Tensor4D } from '../tf';
import { fuseDescriptorNet, type FaceRecognitionParams } from './descriptor-net';
import { faceNet } from './faceApi';
import { loadFaceModels } from './models';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await loadFaceModels({
    readFile: (name) => readFile(join('node_modules/@vladmandic/face-api/model', name)),
  });
});

/** Smooth synthetic 150² "faces" (0–255), different per index, so activations are not flat. */
function crops(n: number): Tensor4D {
  const size = 150;
  const data = new Float32Array(n * size * size * 3);
  for (let k = 0; k < n; k++)
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        for (let c = 0; c < 3; c++) {
          const v = 128 + 90 * Math.sin((x + 7 * k) / (9 + c)) * Math.cos((y - 5 * k) / (13 - c));
          data[((k * size + y) * size + x) * 3 + c] = Math.round(v);
        }
  return tf.tensor4d(data, [n, size, size, 3]);
}

describe.each(['wasm', 'cpu'])('fused descriptor net on %s', (backend) => {
  it("gives face-api's descriptors within float32 rounding, and leaks nothing", async () => {
    await tf.setBackend(backend);
    const stock = faceNet('faceRecognitionNet');
    const batch = crops(3);
    const images = tf.unstack(batch) as Tensor3D[];
    const expected = await stock.forward(images);
    const before = tf.memory().numTensors;
    const net = fuseDescriptorNet(stock.params as FaceRecognitionParams);
    const got = net.forward(batch);
    expect(got.shape).toEqual([3, 128]);
    const [e, g] = [await expected.array(), await got.array()];
    for (let i = 0; i < 3; i++) {
      const a = e[i] as number[];
      const b = g[i] as number[];
      const dot = a.reduce((s, v, j) => s + v * (b[j] as number), 0);
      const norm = (v: number[]): number => Math.hypot(...v);
      expect(dot / (norm(a) * norm(b))).toBeGreaterThan(0.99999);
      const scale = Math.max(...a.map(Math.abs));
      a.forEach((v, j) => expect(Math.abs(v - (b[j] as number))).toBeLessThan(1e-3 * scale));
    }
    // Different faces give different descriptors: the comparison is not of constants.
    expect(Math.abs((e[0]?.[0] as number) - (e[1]?.[0] as number))).toBeGreaterThan(1e-4);
    got.dispose();
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([batch, expected, ...images]);
  });
});
