import { beforeAll, describe, expect, it } from 'vitest';
import { KinshipError } from '../../lib/errors';
import { mulberry32 } from '../../lib/random';
import { tf } from '../tf';
import {
  buildHeadLayersModel,
  exportHead,
  headFiles,
  headParameterCount,
  importHead,
  trainHead,
  type HeadArchitecture,
  type HeadTrainingInput,
} from './index';
import { headLogits, initHeadWeights, pairFeatures, weightList } from './network';
import { bceWithLogits, dropoutMask, headGradients } from './step';
import { syntheticKinData } from './synthetic';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SEED_ARCH: HeadArchitecture = {
  embeddingDim: 4096,
  hiddenUnits: 100,
  dropout: 0.01,
  diffSquares: false,
};

function syntheticInput(dim = 32): HeadTrainingInput & { embeddingRows: number } {
  const data = syntheticKinData({
    families: 30,
    validationFamilies: 6,
    bloodMembers: 4,
    photosPerMember: 3,
    dim,
    seed: 11,
  });
  return {
    embeddings: data.embeddings,
    flipEmbeddings: data.flipEmbeddings,
    embeddingDim: dim,
    train: data.train,
    validation: data.validation,
    encoderId: 'synthetic@test',
    split: data.split,
    embeddingRows: data.embeddings.length / dim,
  };
}

const QUICK = { epochs: 4, stepsPerEpoch: 20, batchSize: 48, patience: 0, seed: 3 };

describe('head architecture', () => {
  it('has 819,401 parameters for 4096-d embeddings (8192 → 100 → 1)', () => {
    expect(headParameterCount(SEED_ARCH)).toBe(819_401);
    const model = buildHeadLayersModel(SEED_ARCH);
    expect(model.countParams()).toBe(819_401);
    model.dispose();
    expect(headParameterCount({ ...SEED_ARCH, diffSquares: true })).toBe(1_229_001);
    expect(headParameterCount({ ...SEED_ARCH, embeddingDim: 128 })).toBe(25_801);
  });
});

describe('headGradients', () => {
  it('matches autodiff of the same loss, with and without a dropout mask', () => {
    const arch: HeadArchitecture = {
      embeddingDim: 8,
      hiddenUnits: 6,
      dropout: 0.3,
      diffSquares: true,
    };
    const w = initHeadWeights(arch, 4);
    const before = tf.memory().numTensors;
    for (const withMask of [false, true]) {
      tf.tidy(() => {
        const a = tf.randomNormal([10, 8], 0, 1, 'float32', 1) as tf.Tensor2D;
        const b = tf.randomNormal([10, 8], 0, 1, 'float32', 2) as tf.Tensor2D;
        const y = tf.tensor2d([1, 0, 1, 1, 0, 0, 1, 0, 1, 0], [10, 1]);
        const features = pairFeatures(a, b, true);
        const mask = withMask ? dropoutMask(10, 6, arch.dropout, mulberry32(9)) : undefined;
        const manual = headGradients(w, features, y, mask);
        const auto = tf.variableGrads(() => bceWithLogits(headLogits(w, features, mask), y));
        expect(manual.loss.dataSync()[0]).toBeCloseTo(auto.value.dataSync()[0] as number, 6);
        for (const v of weightList(w)) {
          const m = manual.grads[v.name] as tf.Tensor;
          const g = auto.grads[v.name] as tf.Tensor;
          expect(m.shape).toEqual(v.shape);
          expect(tf.max(tf.abs(tf.sub(m, g))).dataSync()[0]).toBeLessThan(1e-6);
        }
        // The loss is the same as tfjs' own sigmoid cross-entropy.
        const logits = headLogits(w, features, mask);
        expect(bceWithLogits(logits, y).dataSync()[0]).toBeCloseTo(
          tf.losses.sigmoidCrossEntropy(y, logits).dataSync()[0] as number,
          6,
        );
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    weightList(w).forEach((v) => v.dispose());
  });

  it('draws dropout masks of 0 and 1/keep at the requested rate', () => {
    const mask = dropoutMask(200, 100, 0.2, mulberry32(1));
    const values = Array.from(mask.dataSync());
    mask.dispose();
    expect(new Set(values)).toEqual(new Set([0, Math.fround(1 / 0.8)]));
    const dropped = values.filter((v) => v === 0).length / values.length;
    expect(Math.abs(dropped - 0.2)).toBeLessThan(0.01);
  });
});

describe('trainHead', () => {
  it('with flip TTA scores each validation pair as the mean over the photos and their mirrors', async () => {
    const input = syntheticInput(16);
    const result = await trainHead(input, { ...QUICK, flipTta: true });
    const v = result.validation;
    const d = 16;
    const rowsOf = (table: Float32Array, idx: Int32Array): Float32Array => {
      const out = new Float32Array(idx.length * d);
      idx.forEach((r, k) => out.set(table.subarray(r * d, (r + 1) * d), k * d));
      return out;
    };
    const flips = input.flipEmbeddings as Float32Array;
    const plain = await result.head.predict(
      rowsOf(input.embeddings, v.imageLeft),
      rowsOf(input.embeddings, v.imageRight),
    );
    const mirrored = await result.head.predict(
      rowsOf(flips, v.imageLeft),
      rowsOf(flips, v.imageRight),
    );
    for (let k = 0; k < v.imageScores.length; k++) {
      expect(v.imageScores[k]).toBeCloseTo(((plain[k] ?? 0) + (mirrored[k] ?? 0)) / 2, 5);
    }
    // Not the plain scores: the mirrored photos carry their own noise.
    expect(Math.abs((v.imageScores[0] ?? 0) - (plain[0] ?? 0))).toBeGreaterThan(1e-6);
    expect(result.head.meta.training?.flipTta).toBe(true);
    result.head.dispose();
  });

  it('learns synthetic kinship (validation AUC > 0.9) without leaking tensors', async () => {
    const input = syntheticInput();
    const before = tf.memory().numTensors;
    const epochs: number[] = [];
    const result = await trainHead(input, QUICK, {
      onEpoch: (s) => {
        epochs.push(s.epoch);
        expect(Number.isFinite(s.loss)).toBe(true);
        expect(s.pairsPerSecond).toBeGreaterThan(0);
      },
    });
    expect(tf.memory().numTensors).toBe(before + 4); // the head's four weight tensors
    expect(epochs).toEqual([1, 2, 3, 4]);
    expect(result.stopReason).toBe('completed');
    expect(result.valImageAuc).toBeGreaterThan(0.9);
    expect(result.valMemberAuc).toBeGreaterThan(0.9);
    expect(result.valAccuracy).toBeGreaterThan(0.8);
    expect(result.threshold).toBeGreaterThan(0);
    expect(result.threshold).toBeLessThan(1);
    const best = result.history[result.bestEpoch - 1];
    expect(result.valImageAuc).toBe(best?.valImageAuc);
    expect(result.history.every((h) => h.valImageAuc <= result.valImageAuc)).toBe(true);
    expect(result.roc[0]).toMatchObject({ fpr: 0, tpr: 0 });
    expect(result.head.meta).toMatchObject({
      encoderId: 'synthetic@test',
      split: { kind: 'prefix', prefix: 'F09' },
      threshold: result.threshold,
    });
    expect(result.head.meta.validation?.imageAuc).toBe(result.valImageAuc);
    // Loss falls as it learns.
    expect(result.history[3]?.loss).toBeLessThan(result.history[0]?.loss ?? 0);

    // The kept weights reproduce the reported validation AUC.
    const { imageScores } = result.validation;
    expect(imageScores.length).toBe(result.head.meta.validation?.imagePairs);
    result.head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is reproducible for a seed', async () => {
    const input = syntheticInput(16);
    const options = { ...QUICK, epochs: 2 };
    const a = await trainHead(input, options);
    const b = await trainHead(input, options);
    expect(b.history.map((h) => h.loss)).toEqual(a.history.map((h) => h.loss));
    expect(b.valImageAuc).toBe(a.valImageAuc);
    a.head.dispose();
    b.head.dispose();
  });

  it('Stop keeps the best epoch so far and leaks nothing', async () => {
    const input = syntheticInput(16);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const result = await trainHead(
      input,
      { ...QUICK, epochs: 50 },
      {
        signal: controller.signal,
        onEpoch: (s) => {
          if (s.epoch === 2) controller.abort();
        },
      },
    );
    expect(result.stopReason).toBe('aborted');
    expect(result.history).toHaveLength(2);
    expect(result.bestEpoch).toBeLessThanOrEqual(2);
    result.head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops early after `patience` epochs without improvement', async () => {
    const input = syntheticInput(16);
    // A learning rate too small to change float32 weights: validation AUC never improves.
    const result = await trainHead(input, {
      ...QUICK,
      epochs: 20,
      patience: 2,
      learningRate: 1e-12,
    });
    expect(result.stopReason).toBe('early-stopped');
    expect(result.bestEpoch).toBe(1);
    expect(result.history).toHaveLength(3);
    result.head.dispose();
  });

  it('trains with flip augmentation, hard negatives and the x1²−x2² block', async () => {
    const input = syntheticInput(16);
    const before = tf.memory().numTensors;
    const result = await trainHead(input, {
      ...QUICK,
      epochs: 3,
      flipAugmentation: true,
      hardNegativeFraction: 0.5,
      diffSquares: true,
      preset: 'seed',
      learningRate: 1e-3,
    });
    expect(result.head.arch.diffSquares).toBe(true);
    expect(result.head.meta.training).toMatchObject({ flipAugmentation: true, batchSize: 48 });
    expect(result.valImageAuc).toBeGreaterThan(0.8);
    result.head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('explains a split whose validation side has no kin pairs', async () => {
    const input = syntheticInput(16);
    const empty = { ...input.validation, kin: [], kinKeys: new Set<number>() };
    await expect(trainHead({ ...input, validation: empty }, QUICK)).rejects.toMatchObject({
      code: 'DATASET_FORMAT',
      message: expect.stringMatching(/validation families have no listed kin pairs/),
    });
  });
});

describe('save and load', () => {
  it('exports a stock layers model: tf.loadLayersModel and importHead predict identically', async () => {
    const input = syntheticInput(24);
    const { head } = await trainHead(input, { ...QUICK, epochs: 2, diffSquares: true });
    const rows = input.embeddingRows;
    const n = 40;
    const left = new Float32Array(n * 24);
    const right = new Float32Array(n * 24);
    for (let k = 0; k < n; k++) {
      left.set(
        input.embeddings.subarray(((k * 7) % rows) * 24, ((k * 7) % rows) * 24 + 24),
        k * 24,
      );
      right.set(
        input.embeddings.subarray(((k * 13 + 5) % rows) * 24, ((k * 13 + 5) % rows) * 24 + 24),
        k * 24,
      );
    }
    const expected = await head.predict(left, right, { batchSize: 16 });

    const before = tf.memory().numTensors;
    const artifacts = await exportHead(head);
    expect(tf.memory().numTensors).toBe(before);
    // Through JSON text, as the files would be written and read back.
    const files = headFiles(artifacts);
    const modelJson = JSON.parse(files['model.json'] as string) as tf.io.ModelJSON;
    expect(modelJson.weightsManifest[0]?.paths).toEqual(['weights.bin']);
    const meta = JSON.parse(files['meta.json'] as string) as unknown;

    const stock = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0]?.weights,
        weightData: artifacts.weightsBin,
      }),
    );
    expect(stock.countParams()).toBe(head.parameterCount);
    const stockOut = tf.tidy(() =>
      (
        stock.predict([tf.tensor2d(left, [n, 24]), tf.tensor2d(right, [n, 24])]) as tf.Tensor
      ).dataSync(),
    );
    stock.dispose();
    expect(Array.from(stockOut)).toEqual(Array.from(expected));

    const loaded = await importHead({ modelJson, weightsBin: artifacts.weightsBin, meta });
    expect(Array.from(await loaded.predict(left, right))).toEqual(Array.from(expected));
    expect(loaded.meta.threshold).toBe(head.meta.threshold);
    expect(loaded.meta.architecture).toEqual(head.arch);
    loaded.dispose();
    // The JSON text itself, as stored by a head store, loads too.
    const fromText = await importHead({
      modelJson: files['model.json'],
      weightsBin: artifacts.weightsBin,
      meta: files['meta.json'],
    });
    expect(Array.from(await fromText.predict(left, right))).toEqual(Array.from(expected));
    fromText.dispose();
    expect(tf.memory().numTensors).toBe(before);
    head.dispose();
  });

  it('rejects a meta file that does not match the model, and garbage files', async () => {
    const input = syntheticInput(16);
    const { head } = await trainHead(input, { ...QUICK, epochs: 1 });
    const artifacts = await exportHead(head);
    head.dispose();
    const wrongMeta = {
      ...artifacts.meta,
      architecture: { ...artifacts.meta.architecture, embeddingDim: 128 },
    };
    await expect(importHead({ ...artifacts, meta: wrongMeta })).rejects.toMatchObject({
      code: 'WEIGHTS_MISMATCH',
    });
    await expect(importHead({ ...artifacts, meta: { format: 'other' } })).rejects.toBeInstanceOf(
      KinshipError,
    );
    await expect(importHead({ ...artifacts, modelJson: { hello: 1 } })).rejects.toMatchObject({
      code: 'WEIGHTS_FORMAT',
    });
    await expect(
      importHead({ ...artifacts, weightsBin: new ArrayBuffer(8) }),
    ).rejects.toMatchObject({ code: 'WEIGHTS_FORMAT' });
    await expect(importHead({ ...artifacts, meta: '{not json' })).rejects.toMatchObject({
      code: 'WEIGHTS_FORMAT',
      file: 'meta.json',
    });
  });

  it('predict checks its input shapes', async () => {
    const input = syntheticInput(16);
    const { head } = await trainHead(input, { ...QUICK, epochs: 1 });
    await expect(head.predict(new Float32Array(16), new Float32Array(32))).rejects.toThrow(
      RangeError,
    );
    head.dispose();
    await expect(head.predict(new Float32Array(16), new Float32Array(16))).rejects.toThrow(
      /disposed/,
    );
  });
});
