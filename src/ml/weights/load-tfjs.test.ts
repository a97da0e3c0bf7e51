import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { isKinshipError, type ErrorCode } from '../../lib/errors';
import { loadResNet50FromH5 } from './load-h5';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadResNet50FromTfjs, loadResNet50FromUrl, shardsFromFiles } from './load-tfjs';
import { writeTfjsArtifacts, type TfjsArtifacts } from './tfjs-writer';
import {
  entryByteLength,
  parseTfjsModelJson,
  resolveWeightName,
  type TfjsWeightEntry,
} from './tfjs-manifest';
import type { ResNetVariant } from '../resnet50/variants';
import { weightedLayers } from '../resnet50/architecture';
import { makeResNet50H5 } from '../../test-support/h5-fixtures';
import { modelFromFixture } from '../../test-support/fixture-model';
import {
  cosine,
  maxAbsDiff,
  run,
  testImage,
  truncatedModel,
} from '../../test-support/resnet-submodel';

const SEED = 33;
let image: tf.Tensor4D;
let kerasNew: tf.LayersModel;

beforeAll(async () => {
  await tf.setBackend('cpu');
  image = testImage(32, 4);
  kerasNew = modelFromFixture('keras-new', 32, { seed: SEED });
});

afterAll(() => {
  kerasNew.dispose();
  image.dispose();
});

function shardReader(artifacts: TfjsArtifacts): ReturnType<typeof shardsFromFiles> {
  return shardsFromFiles(new Map(artifacts.shards.map((s) => [s.path, s.data.slice().buffer])));
}

/** What stock tf.loadLayersModel gets from an http/file handler: topology, specs, all bytes. */
function memoryHandler(artifacts: TfjsArtifacts): tf.io.IOHandler {
  const weightSpecs = artifacts.modelJson.weightsManifest.flatMap((g) => g.weights);
  const weightData = tf.io.concatenateArrayBuffers(
    artifacts.shards.map((s) => s.data.slice().buffer),
  );
  return tf.io.fromMemory({
    modelTopology: artifacts.modelJson.modelTopology as object,
    weightSpecs,
    weightData,
  });
}

/** A copy of `artifacts` keeping only the manifest entries (and their bytes) `keep` accepts. */
function repack(
  artifacts: TfjsArtifacts,
  keep: (e: TfjsWeightEntry) => boolean,
  rename = (n: string) => n,
): TfjsArtifacts {
  const all = tf.io.concatenateArrayBuffers(artifacts.shards.map((s) => s.data.slice().buffer));
  const kept: TfjsWeightEntry[] = [];
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const entry of artifacts.modelJson.weightsManifest.flatMap((g) => g.weights)) {
    const n = entryByteLength(entry);
    if (keep(entry)) {
      kept.push({ ...entry, name: rename(entry.name) });
      parts.push(new Uint8Array(all, offset, n));
    }
    offset += n;
  }
  const data = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.byteLength;
  }
  return {
    modelJson: { ...artifacts.modelJson, weightsManifest: [{ paths: ['w.bin'], weights: kept }] },
    shards: [{ path: 'w.bin', data }],
  };
}

/** Every weight of `b` equals the same-named weight of `a`, bit for bit. */
function expectSameWeights(a: tf.LayersModel, b: tf.LayersModel, variant: ResNetVariant): void {
  for (const layer of weightedLayers(variant)) {
    const wa = a.getLayer(layer.name).getWeights();
    const wb = b.getLayer(layer.name).getWeights();
    expect(wb.map((w) => w.shape)).toEqual(wa.map((w) => w.shape));
    wa.forEach((w, i) => {
      const x = Buffer.from(w.dataSync().buffer);
      const y = Buffer.from((wb[i] as tf.Tensor).dataSync().buffer);
      if (!x.equals(y)) throw new Error(`${layer.name} weight ${i} differs`);
    });
  }
}

async function features(model: tf.LayersModel, variant: ResNetVariant): Promise<Float32Array> {
  const sub = truncatedModel(model, variant, 32);
  const out = await run(sub, image);
  sub.dispose();
  return out;
}

async function expectKinshipError(
  promise: Promise<unknown>,
  code: ErrorCode,
  message: RegExp,
): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isKinshipError(error), String(error)).toBe(true);
  if (isKinshipError(error)) {
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  }
}

describe('.h5 → convert → model.json', () => {
  it('vggface: stock tf.loadLayersModel and our loader give the .h5 weights and features (|Δ| ≤ 1e-5)', async () => {
    const fromH5 = await loadResNet50FromH5(await makeResNet50H5('vggface', { seed: SEED }), {
      inputSize: 197,
    });
    const artifacts = writeTfjsArtifacts(fromH5.model, 'vggface');
    expect(artifacts.shards).toHaveLength(23);
    expect(artifacts.shards[0]?.path).toBe('group1-shard1of23.bin');
    expect(artifacts.shards.every((s) => s.data.byteLength <= 4 * 1024 * 1024)).toBe(true);
    expect(artifacts.shards.reduce((n, s) => n + s.data.byteLength, 0)).toBe(23_561_152 * 4);
    const json = JSON.parse(JSON.stringify(artifacts.modelJson)) as unknown;

    const stock = await tf.loadLayersModel(memoryHandler(artifacts));
    const ours = await loadResNet50FromTfjs(json, shardReader(artifacts));
    expect(ours.variant).toBe('vggface');
    expectSameWeights(fromH5.model, stock, 'vggface');
    expectSameWeights(fromH5.model, ours.model, 'vggface');
    const reference = await features(fromH5.model, 'vggface');
    expect(maxAbsDiff(reference, await features(stock, 'vggface'))).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(reference, await features(ours.model, 'vggface'))).toBeLessThanOrEqual(1e-5);
    expect(reference.some((x) => x !== 0)).toBe(true);
    stock.dispose();
    ours.model.dispose();
    fromH5.model.dispose();
  });
});

describe('model.json variants', () => {
  it('modelTopology null (converter output of a weights-only .h5): stock loader fails, ours builds the topology', async () => {
    const artifacts = writeTfjsArtifacts(kerasNew, 'keras-new', { topology: 'none' });
    expect(artifacts.modelJson.modelTopology).toBeNull();
    await expect(tf.loadLayersModel(memoryHandler(artifacts))).rejects.toThrow();
    const start = tf.memory().numTensors;
    const loaded = await loadResNet50FromTfjs(artifacts.modelJson, shardReader(artifacts), {
      inputSize: 32,
    });
    expect(loaded.variant).toBe('keras-new');
    expectSameWeights(kerasNew, loaded.model, 'keras-new');
    const y = loaded.model.predict(image) as tf.Tensor;
    expect(y.shape).toEqual([1, 1, 1, 2048]);
    y.dispose();
    loaded.model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('Keras-1 manifest names (conv1_W, bn_conv1_running_std) load into keras-old', async () => {
    const old = modelFromFixture('keras-old', 32, { seed: SEED });
    const keras1: Record<string, string> = {
      kernel: 'W',
      bias: 'b',
      moving_mean: 'running_mean',
      moving_variance: 'running_std',
    };
    const artifacts = repack(
      writeTfjsArtifacts(old, 'keras-old', { topology: 'none' }),
      () => true,
      (name) => {
        const slash = name.lastIndexOf('/');
        const param = name.slice(slash + 1);
        return `${name.slice(0, slash)}_${keras1[param] ?? param}`;
      },
    );
    const names = artifacts.modelJson.weightsManifest[0]?.weights.map((w) => w.name);
    expect(names?.slice(0, 6)).toEqual([
      'conv1_W',
      'conv1_b',
      'bn_conv1_gamma',
      'bn_conv1_beta',
      'bn_conv1_running_mean',
      'bn_conv1_running_std',
    ]);
    const loaded = await loadResNet50FromTfjs(artifacts.modelJson, shardReader(artifacts), {
      inputSize: 32,
    });
    expectSameWeights(old, loaded.model, 'keras-old');
    loaded.model.dispose();
    old.dispose();
  });

  it('a converted full-model vggface file that lost every …/bn weight is refused, naming the layer (trap 9)', async () => {
    const vgg = modelFromFixture('vggface', 197, { seed: SEED });
    const full = writeTfjsArtifacts(vgg, 'vggface');
    vgg.dispose();
    const dropped = repack(full, (e) => !e.name.includes('/bn/'));
    expect(dropped.modelJson.weightsManifest[0]?.weights).toHaveLength(53);
    await expectKinshipError(
      loadResNet50FromTfjs(dropped.modelJson, shardReader(dropped), { inputSize: 197 }),
      'WEIGHTS_MISSING',
      /layer "conv1\/7x7_s2\/bn": weight "gamma" is not in model.json/,
    );
    // The stock loader in strict mode fails too; non-strict would keep initial values silently.
    await expect(tf.loadLayersModel(memoryHandler(dropped))).rejects.toThrow(/not set|weights/);
  });

  it('mis-shaped manifest entries and missing or short shards are refused', async () => {
    const artifacts = writeTfjsArtifacts(kerasNew, 'keras-new');
    const json = JSON.parse(JSON.stringify(artifacts.modelJson)) as typeof artifacts.modelJson;
    const first = json.weightsManifest[0]?.weights[0];
    if (!first) throw new Error('empty manifest');
    first.shape = [7, 7, 64, 3];
    await expectKinshipError(
      loadResNet50FromTfjs(json, shardReader(artifacts), { inputSize: 32 }),
      'WEIGHTS_MISMATCH',
      /layer "conv1_conv" weight 0 \(kernel\): expected shape \[7, 7, 3, 64\], found \[7, 7, 64, 3\]/,
    );
    await expectKinshipError(
      loadResNet50FromTfjs(artifacts.modelJson, shardsFromFiles(new Map()), {
        fileName: 'model.json',
      }),
      'WEIGHTS_MISSING',
      /^model\.json: shard "group1-shard1of23\.bin"/,
    );
    const short = new Map(artifacts.shards.map((s) => [s.path, s.data.slice(0, 1000).buffer]));
    await expectKinshipError(
      loadResNet50FromTfjs(artifacts.modelJson, shardsFromFiles(short)),
      'WEIGHTS_FORMAT',
      /the manifest needs 94350848/,
    );
  });

  it('parses only layers-model JSON', async () => {
    expect(() => parseTfjsModelJson('{')).toThrow(/not valid JSON/);
    expect(() => parseTfjsModelJson({ format: 'graph-model', weightsManifest: [] })).toThrow(
      /graph-model/,
    );
    expect(() => parseTfjsModelJson({ modelTopology: null })).toThrow(/no weightsManifest/);
    await expectKinshipError(
      loadResNet50FromTfjs(
        {
          weightsManifest: [
            {
              paths: ['a.bin'],
              weights: [{ name: 'dense_1/kernel', shape: [2, 2], dtype: 'float32' }],
            },
          ],
        },
        shardsFromFiles(new Map()),
      ),
      'WEIGHTS_UNKNOWN_ARCH',
      /first layers: dense_1/,
    );
  });

  it('resolves manifest names to (layer, param)', () => {
    const known = new Set(['conv1/7x7_s2/bn', 'bn_conv1', 'res2a_branch2a', 'conv1_conv']);
    const has = (l: string): boolean => known.has(l);
    expect(resolveWeightName('conv1/7x7_s2/bn/moving_variance', has)).toEqual({
      layer: 'conv1/7x7_s2/bn',
      param: 'moving_variance',
    });
    expect(resolveWeightName('bn_conv1_running_std', has)).toEqual({
      layer: 'bn_conv1',
      param: 'moving_variance',
    });
    expect(resolveWeightName('res2a_branch2a_W_1:0', has)).toEqual({
      layer: 'res2a_branch2a',
      param: 'kernel',
    });
    expect(resolveWeightName('conv1_conv_1/kernel', has)).toEqual({
      layer: 'conv1_conv',
      param: 'kernel',
    });
    expect(resolveWeightName('fc1000/kernel', has)).toBeNull();
  });
});

describe('served model.json', () => {
  it('loads over http with shard paths relative to model.json', async () => {
    const artifacts = writeTfjsArtifacts(kerasNew, 'keras-new');
    const files = new Map<string, Uint8Array>([
      [
        '/models/resnet50-imagenet/model.json',
        new TextEncoder().encode(JSON.stringify(artifacts.modelJson)),
      ],
      ...artifacts.shards.map((s): [string, Uint8Array] => [
        `/models/resnet50-imagenet/${s.path}`,
        s.data,
      ]),
    ]);
    const requested: string[] = [];
    const server = createServer((req, res) => {
      requested.push(req.url ?? '');
      const body = files.get(req.url ?? '');
      if (body) res.writeHead(200).end(Buffer.from(body));
      else res.writeHead(404).end();
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/models`;
    try {
      const loaded = await loadResNet50FromUrl(`${base}/resnet50-imagenet/model.json`, {
        inputSize: 32,
      });
      expect(loaded.variant).toBe('keras-new');
      expect(requested).toHaveLength(24);
      expectSameWeights(kerasNew, loaded.model, 'keras-new');
      loaded.model.dispose();
      await expectKinshipError(
        loadResNet50FromUrl(`${base}/resnet50-vggface/model.json`),
        'WEIGHTS_MISSING',
        /answered HTTP 404/,
      );
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});

describe('quantized kernels', () => {
  it('float16 touches conv kernels only (BN stays float32) and keeps cosine ≥ 0.9999', async () => {
    const artifacts = writeTfjsArtifacts(kerasNew, 'keras-new', { quantize: 'float16' });
    const entries = artifacts.modelJson.weightsManifest[0]?.weights ?? [];
    expect(artifacts.shards).toHaveLength(12);
    for (const e of entries) {
      if (e.name.endsWith('/kernel')) expect(e.quantization?.dtype).toBe('float16');
      else expect(e.quantization).toBeUndefined();
    }
    const loaded = await loadResNet50FromTfjs(artifacts.modelJson, shardReader(artifacts), {
      inputSize: 32,
    });
    const [a, b] = [await run(kerasNew, image), await run(loaded.model, image)];
    expect(cosine(a, b)).toBeGreaterThanOrEqual(0.9999);
    expect(maxAbsDiff(a, b)).toBeGreaterThan(0);
    loaded.model.dispose();
  });

  it('uint8 kernels are dequantized as q·scale + min', async () => {
    const artifacts = writeTfjsArtifacts(kerasNew, 'keras-new', { quantize: 'uint8' });
    const entries = artifacts.modelJson.weightsManifest[0]?.weights ?? [];
    const conv1 = entries[0];
    expect(conv1?.name).toBe('conv1_conv/kernel');
    expect(
      entries.find((e) => e.name === 'conv1_bn/moving_variance')?.quantization,
    ).toBeUndefined();
    const { min = NaN, scale = NaN } = conv1?.quantization ?? {};
    const codes = artifacts.shards[0]?.data.subarray(0, 7 * 7 * 3 * 64) ?? new Uint8Array();
    const loaded = await loadResNet50FromTfjs(artifacts.modelJson, shardReader(artifacts), {
      inputSize: 32,
    });
    const got =
      loaded.model.getLayer('conv1_conv').getWeights()[0]?.dataSync() ?? new Float32Array();
    const original =
      kerasNew.getLayer('conv1_conv').getWeights()[0]?.dataSync() ?? new Float32Array();
    expect(got).toHaveLength(9408);
    for (let i = 0; i < got.length; i++) {
      expect(got[i]).toBeCloseTo((codes[i] ?? 0) * scale + min, 6);
      expect(Math.abs((got[i] ?? 0) - (original[i] ?? 0))).toBeLessThanOrEqual(scale / 2 + 1e-6);
    }
    loaded.model.dispose();
  });
});
