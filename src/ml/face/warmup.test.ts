import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, expect, it } from 'vitest';
import { tf } from '../tf';
import { loadFaceModels } from './models';
import { warmUpFaceStack } from './warmup';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await loadFaceModels({
    readFile: (name) => readFile(join('node_modules/@vladmandic/face-api/model', name)),
  });
});

it('runs the detector, the landmark net and the descriptor once, leaving no tensors', async () => {
  const before = tf.memory().numTensors;
  const times = await warmUpFaceStack();
  expect(tf.memory().numTensors).toBe(before);
  for (const ms of Object.values(times)) expect(ms).toBeGreaterThan(0);
  console.log(
    `warm-up (Node wasm): detector ${times.detectorMs.toFixed(0)} ms, landmarks ` +
      `${times.landmarksMs.toFixed(0)} ms, descriptor ×2 ${times.descriptorMs.toFixed(0)} ms`,
  );
});
