/**
 * The face stack as Node code uses it (CLI, other modules' tests): the default build choice in
 * Node, after the wasm backend is already running — the order the app's backend selection
 * (`@tensorflow/tfjs-backend-wasm`, CommonJS in Node) and a later first face load produce.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-wasm';
import jpeg from 'jpeg-js';
import { beforeAll, expect, it } from 'vitest';
import { tf } from '../tf';
import { encoderCrops } from './align';
import { cosineSimilarity, describeFaces } from './describe';
import { detectFaces } from './detect';
import { importFaceApi } from './faceApi';
import { countLeakedTensors } from './leaks';
import { loadFaceModels } from './models';

const FACE_API = 'node_modules/@vladmandic/face-api';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await loadFaceModels({ readFile: (name) => readFile(join(FACE_API, 'model', name)) });
});

it("picks face-api's CommonJS wasm build in Node", async () => {
  const nodeBuild = await import('@vladmandic/face-api/dist/face-api.node-wasm.js');
  expect(await importFaceApi()).toBe(nodeBuild);
});

it('detects and describes on the running wasm backend, weights read from disk', async () => {
  const decoded = jpeg.decode(await readFile(`${FACE_API}/demo/sample1.jpg`), { useTArray: true });
  const image = {
    width: decoded.width,
    height: decoded.height,
    channels: 4 as const,
    data: decoded.data,
  };
  const { result: descriptors, leaked } = await countLeakedTensors(async () => {
    const faces = await detectFaces(image, { thumbnailSize: 0 });
    expect(faces).toHaveLength(3);
    return describeFaces(faces.map((f) => encoderCrops(image, f.eyes).descriptor));
  });
  expect(tf.getBackend()).toBe('wasm');
  expect(leaked).toBe(0);
  const [first, second] = descriptors;
  if (!first || !second) throw new Error('missing descriptors');
  expect(first).toHaveLength(128);
  expect(cosineSimilarity(first, first)).toBeCloseTo(1, 6);
  expect(cosineSimilarity(first, second)).toBeLessThan(0.95);
});
