/**
 * The head's hand-written training step on WebGPU (Dawn in Node) against the cpu backend: the
 * same gradients, loss and error count, dropout mask included. The wasm-only rewrites in step.ts
 * (blocked transpose) must fall back cleanly here, and a GPU user's training takes this path.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { installNodeWebGpu, type NodeWebGpu } from '../../test-support/node-webgpu';

let gpu: NodeWebGpu;
// Imported after WebGPU is installed (see node-webgpu.ts).
let tf: typeof import('../tf').tf;
let step: typeof import('./step');
let train: typeof import('./train');
let synthetic: typeof import('./synthetic');
let network: typeof import('./network');

beforeAll(async () => {
  gpu = await installNodeWebGpu();
  await import('@tensorflow/tfjs-backend-webgpu');
  tf = (await import('../tf')).tf;
  step = await import('./step');
  train = await import('./train');
  synthetic = await import('./synthetic');
  network = await import('./network');
});

function requireGpu(ctx: { skip: () => void }): void {
  if (gpu.available) return;
  // CI installs libvulkan1 and has SwiftShader: there a missing adapter is a failure.
  if (process.env.CI) throw new Error(`WebGPU unavailable in CI: ${gpu.reason}`);
  ctx.skip();
}

async function gradientsOn(backend: string): Promise<number[][]> {
  expect(await tf.setBackend(backend)).toBe(true);
  const rng = (seed: number, n: number): Float32Array => {
    let x = seed;
    return Float32Array.from({ length: n }, () => {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      return x / 2 ** 32 - 0.5;
    });
  };
  const [b, f, h] = [24, 48, 10];
  const t = tf.tidy(() => {
    const p = {
      kernel1: tf.tensor2d(rng(1, f * h), [f, h]),
      bias1: tf.tensor1d(rng(2, h)),
      kernel2: tf.tensor2d(rng(3, h), [h, 1]),
      bias2: tf.tensor1d([0.1]),
    };
    const features = tf.tensor2d(
      rng(4, b * f).map((v) => 4 * v),
      [b, f],
    );
    const labels = tf.tensor2d(
      Float32Array.from({ length: b }, (_, i) => i % 2),
      [b, 1],
    );
    const mask = tf.tensor2d(
      Float32Array.from({ length: b * h }, (_, i) => (i % 7 ? 1.25 : 0)),
      [b, h],
    );
    const s = step.summedGradients(p, features, labels, mask);
    return [s.grads.kernel1, s.grads.bias1, s.grads.kernel2, s.grads.bias2, s.lossSum, s.wrong];
  });
  const values = await Promise.all(t.map(async (x) => Array.from(await x.data())));
  tf.dispose(t);
  return values;
}

describe('summedGradients on WebGPU', () => {
  it('matches the cpu backend', async (ctx) => {
    requireGpu(ctx);
    const cpu = await gradientsOn('cpu');
    const webgpu = await gradientsOn('webgpu');
    expect(webgpu.map((v) => v.length)).toEqual(cpu.map((v) => v.length));
    webgpu.forEach((values, k) =>
      values.forEach((v, i) => expect(v).toBeCloseTo(cpu[k]?.[i] as number, 4)),
    );
    // Some pairs are wrong and the loss is finite: the check compares something.
    expect(cpu[5]?.[0]).toBeGreaterThan(0);
    expect(Number.isFinite(cpu[4]?.[0])).toBe(true);
  });
});

describe('trainHead on WebGPU', () => {
  it('trains the same head as the cpu backend, epoch by epoch', async (ctx) => {
    requireGpu(ctx);
    const data = synthetic.syntheticKinData({
      families: 12,
      validationFamilies: 3,
      bloodMembers: 3,
      photosPerMember: 2,
      dim: 16,
      seed: 3,
    });
    const runOn = async (backend: string) => {
      expect(await tf.setBackend(backend)).toBe(true);
      const before = tf.memory().numTensors;
      const result = await train.trainHead(
        {
          embeddings: data.embeddings,
          embeddingDim: 16,
          train: data.train,
          validation: data.validation,
          encoderId: 'test',
        },
        {
          epochs: 4,
          stepsPerEpoch: 10,
          batchSize: 32,
          patience: 0,
          hiddenUnits: 8,
          learningRate: 0.01,
        },
      );
      const weights = await Promise.all(
        network.weightList(result.head.weights).map(async (w) => w.data()),
      );
      const aucs = result.history.map((h) => h.valImageAuc);
      result.head.dispose();
      expect(tf.memory().numTensors).toBe(before);
      return { aucs, weights };
    };
    const cpu = await runOn('cpu');
    const webgpu = await runOn('webgpu');
    // It learned something, and the GPU run follows the same trajectory.
    expect(cpu.aucs.at(-1)).toBeGreaterThan(0.85);
    webgpu.aucs.forEach((auc, i) => expect(auc).toBeCloseTo(cpu.aucs[i] as number, 2));
    webgpu.weights.forEach((w, k) =>
      w.forEach((v, i) => expect(v).toBeCloseTo(cpu.weights[k]?.[i] as number, 3)),
    );
  });
});
