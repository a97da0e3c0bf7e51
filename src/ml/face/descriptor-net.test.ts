import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor3D, type Tensor4D } from '../tf';
import { descriptorParamsFromWeightMap, fuseDescriptorNet } from './descriptor-net';
import { FACE_NET_FILES, importFaceApi } from './faceApi';
import { readWeightMap } from './models';

const readModelFile = (name: string): Promise<Buffer> =>
  readFile(join('node_modules/@vladmandic/face-api/model', name));

/** face-api's own net, loaded from the same files (the app never loads it). */
async function stockNet(): Promise<{
  forward(input: Tensor3D[]): Promise<tf.Tensor2D>;
  dispose(): void;
}> {
  const faceapi = await importFaceApi();
  const net = new faceapi.FaceRecognitionNet();
  const weights = await readWeightMap(FACE_NET_FILES.faceRecognitionNet, readModelFile);
  // face-api types its tensors with its own bundled copy of tfjs-core.
  net.loadFromWeightMap(weights as unknown as Parameters<typeof net.loadFromWeightMap>[0]);
  return net as unknown as Awaited<ReturnType<typeof stockNet>>;
}

beforeAll(async () => {
  await tf.setBackend('wasm');
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
    const stock = await stockNet();
    const batch = crops(3);
    const images = tf.unstack(batch) as Tensor3D[];
    const expected = await stock.forward(images);
    const weights = await readWeightMap(FACE_NET_FILES.faceRecognitionNet, readModelFile);
    const before = tf.memory().numTensors;
    const net = fuseDescriptorNet(descriptorParamsFromWeightMap(weights));
    // The net owns its tensors: the weight map can go at once, as the model loader does.
    tf.dispose(Object.values(weights));
    const owned = tf.memory().numTensors - before + Object.keys(weights).length;
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
    expect(owned).toBe(2 * 29 + 1); // 29 folded convolutions (filter, bias) and fc
    net.dispose();
    expect(tf.memory().numTensors).toBe(before - Object.keys(weights).length);
    tf.dispose([batch, expected, ...images]);
    stock.dispose();
  });

  it('names the weight that is missing or misshapen', async () => {
    await tf.setBackend(backend);
    const weights = await readWeightMap(FACE_NET_FILES.faceRecognitionNet, readModelFile);
    try {
      const { fc: _fc, ...noFc } = weights;
      expect(() => descriptorParamsFromWeightMap(noFc)).toThrow('weight fc is missing');
      const flat = { ...weights, 'conv64_1/conv2/conv/filters': tf.zeros([3]) };
      expect(() => descriptorParamsFromWeightMap(flat)).toThrow(
        'weight conv64_1/conv2/conv/filters has rank 1, expected 4',
      );
      tf.dispose(flat['conv64_1/conv2/conv/filters']);
    } finally {
      tf.dispose(Object.values(weights));
    }
  });
});
