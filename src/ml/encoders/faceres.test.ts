/**
 * Golden outputs of faceres and faceres-deep on a real face, on the wasm backend.
 *
 * The independent path: stock `tf.loadGraphModel` on the package's files (the test-support file
 * handler), fed an input preprocessed by hand below, pixel by pixel, run to the graph's own
 * `global_pooling/Mean` node with `model.execute`. The encoder (its own loader, the shared
 * preprocessing, the folded network) must match it, and both must match the numbers pinned in
 * faceres.golden.json, so a later change to preprocessing, crops or weights fails here.
 * Regenerate (only for a deliberate change): KINLENS_UPDATE_GOLDEN=1 npx vitest run <this file>,
 * then npx prettier --write on the JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countLeakedTensors } from '../face/leaks';
import type { PixelImage } from '../face/pixels';
import { tf } from '../tf';
import { fileHandler } from '../../test-support/tfjs-file-handler';
import {
  HUMAN_MODELS_DIR,
  SAMPLE_FACE_BOX,
  SAMPLE_PHOTO,
  humanModelsReader,
  mirror,
  sampleFaceCrop,
} from '../../test-support/sample-face';
import {
  FACERES_EMBEDDING_NODE,
  createFaceresEncoder,
  type FaceresEncoder,
  type FaceresVariant,
} from './faceres';

const GOLDEN_FILE = 'src/ml/encoders/faceres.golden.json';
const UPDATE = process.env.KINLENS_UPDATE_GOLDEN === '1';
const VARIANTS: FaceresVariant[] = ['faceres', 'faceres-deep'];

interface Golden {
  weightsSha256: string;
  identity: string;
  first16: number[];
  l2: number;
  sum: number;
  /** Σ v[i]·((i mod 7) − 3): catches permuted or shifted values that keep the norm. */
  checksum: number;
}

interface GoldenFile {
  derivation: string;
  photo: string;
  box: typeof SAMPLE_FACE_BOX;
  backend: string;
  variants: Record<FaceresVariant, Golden>;
}

function summarise(v: Float32Array): Omit<Golden, 'weightsSha256' | 'identity'> {
  let sq = 0;
  let sum = 0;
  let checksum = 0;
  v.forEach((x, i) => {
    sq += x * x;
    sum += x;
    checksum += x * ((i % 7) - 3);
  });
  return { first16: Array.from(v.subarray(0, 16)), l2: Math.sqrt(sq), sum, checksum };
}

/** By hand: [B − 103.939, G − 116.779, R − 123.68] per pixel (or the RGB variants below). */
function handInput(crop: PixelImage, mode: 'bgr-caffe' | 'rgb-caffe' | 'rgb-255'): tf.Tensor4D {
  const meanBgr = [103.939, 116.779, 123.68];
  const out = new Float32Array(crop.width * crop.height * 3);
  for (let p = 0; p < crop.width * crop.height; p++) {
    for (let c = 0; c < 3; c++) {
      const src = mode === 'bgr-caffe' ? 2 - c : c;
      const value = crop.data[p * crop.channels + src] ?? 0;
      const mean = mode === 'rgb-255' ? 0 : mode === 'rgb-caffe' ? meanBgr[2 - c] : meanBgr[c];
      out[p * 3 + c] = value - (mean ?? 0);
    }
  }
  return tf.tensor4d(out, [1, crop.height, crop.width, 3]);
}

async function runGraph(model: tf.GraphModel, x: tf.Tensor4D): Promise<Float32Array> {
  const y = model.execute(x, FACERES_EMBEDDING_NODE) as tf.Tensor;
  try {
    expect(y.shape).toEqual([1, 1024]);
    return (await y.data()) as Float32Array;
  } finally {
    tf.dispose([x, y]);
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return m;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    na += (a[i] ?? 0) ** 2;
    nb += (b[i] ?? 0) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

const encoders = new Map<FaceresVariant, FaceresEncoder>();
const raw = new Map<FaceresVariant, tf.GraphModel>();
const computed: Partial<Record<FaceresVariant, Golden>> = {};
let crop: PixelImage;
let golden: GoldenFile | null = null;

beforeAll(async () => {
  await tf.setBackend('wasm');
  crop = await sampleFaceCrop(224);
  for (const v of VARIANTS) {
    encoders.set(v, await createFaceresEncoder(v, { readFile: humanModelsReader }));
    raw.set(v, await tf.loadGraphModel(fileHandler(join(HUMAN_MODELS_DIR, `${v}.json`))));
  }
  if (!UPDATE) golden = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as GoldenFile;
});

afterAll(() => {
  for (const e of encoders.values()) e.dispose();
  for (const m of raw.values()) m.dispose();
  if (UPDATE) {
    const file: GoldenFile = {
      derivation:
        'stock tf.loadGraphModel + model.execute(x, "global_pooling/Mean") on the crop below, ' +
        'preprocessed by hand in faceres.test.ts (RGB→BGR, minus 103.939/116.779/123.68, no scaling)',
      photo: SAMPLE_PHOTO,
      box: SAMPLE_FACE_BOX,
      backend: 'wasm',
      variants: computed as Record<FaceresVariant, Golden>,
    };
    writeFileSync(GOLDEN_FILE, `${JSON.stringify(file, null, 2)}\n`);
  }
});

describe.each(VARIANTS)('%s', (variant) => {
  it('matches the raw graph on the hand-preprocessed sample face and the pinned golden output', async () => {
    const encoder = encoders.get(variant) as FaceresEncoder;
    const model = raw.get(variant) as tf.GraphModel;
    const reference = await runGraph(model, handInput(crop, 'bgr-caffe'));
    const { result, leaked } = await countLeakedTensors(() => encoder.embed([crop]));
    expect(leaked).toBe(0);
    const [embedding] = result;
    if (!embedding) throw new Error('no embedding');
    expect(embedding).toHaveLength(1024);
    // Folded kernels and fused ReLU6 round differently from the graph's op-by-op run.
    expect(maxAbsDiff(embedding, reference)).toBeLessThan(1e-4);
    expect(Math.min(...embedding)).toBeGreaterThanOrEqual(0); // an average of ReLU6 maps
    expect(Math.max(...embedding)).toBeLessThanOrEqual(6);

    const summary = summarise(reference);
    computed[variant] = {
      weightsSha256: encoder.weightsSha256,
      identity: encoder.identity,
      ...summary,
    };
    if (UPDATE) return;
    const pinned = golden?.variants[variant];
    if (!pinned) throw new Error(`${GOLDEN_FILE} has no ${variant}`);
    expect(encoder.weightsSha256).toBe(pinned.weightsSha256);
    expect(encoder.identity).toBe(pinned.identity);
    for (const v of [reference, embedding]) {
      const s = summarise(v);
      s.first16.forEach((x, i) => expect(x).toBeCloseTo(pinned.first16[i] ?? NaN, 4));
      expect(Math.abs(s.l2 - pinned.l2)).toBeLessThan(1e-4 * pinned.l2);
      expect(Math.abs(s.sum - pinned.sum)).toBeLessThan(1e-3);
      expect(Math.abs(s.checksum - pinned.checksum)).toBeLessThan(1e-3);
    }
  });

  it('channel order matters: RGB input (with or without the means) gives a clearly different vector', async () => {
    const model = raw.get(variant) as tf.GraphModel;
    const [bgr] = await (encoders.get(variant) as FaceresEncoder).embed([crop]);
    if (!bgr) throw new Error('no embedding');
    const rgbCaffe = await runGraph(model, handInput(crop, 'rgb-caffe'));
    const rgb255 = await runGraph(model, handInput(crop, 'rgb-255'));
    for (const other of [rgbCaffe, rgb255]) {
      expect(maxAbsDiff(bgr, other)).toBeGreaterThan(0.2);
      expect(cosine(bgr, other)).toBeLessThan(0.95);
    }
  });

  it('embeds in chunks with identical results, averages the mirror with TTA, and leaks nothing', async () => {
    const encoder = encoders.get(variant) as FaceresEncoder;
    const flipped = mirror(crop);
    const [single] = await encoder.embed([crop]);
    const [singleFlipped] = await encoder.embed([flipped]);
    if (!single || !singleFlipped) throw new Error('no embedding');
    // 9 crops: two chunks of up to 8; the 1st and the 9th are the same face.
    const batch = [crop, ...Array.from({ length: 7 }, () => flipped), crop];
    const { result, leaked } = await countLeakedTensors(() => encoder.embed(batch));
    expect(leaked).toBe(0);
    expect(result).toHaveLength(9);
    expect(maxAbsDiff(result[0] as Float32Array, single)).toBeLessThan(1e-5);
    expect(maxAbsDiff(result[8] as Float32Array, single)).toBeLessThan(1e-5);
    expect(maxAbsDiff(result[1] as Float32Array, singleFlipped)).toBeLessThan(1e-5);
    expect(maxAbsDiff(single, singleFlipped)).toBeGreaterThan(1e-3);

    const tta = await countLeakedTensors(() => encoder.embed([crop], { tta: true }));
    expect(tta.leaked).toBe(0);
    const mean = single.map((x, i) => (x + (singleFlipped[i] ?? 0)) / 2);
    expect(maxAbsDiff(tta.result[0] as Float32Array, mean)).toBeLessThan(1e-5);
    expect(await encoder.embed([])).toEqual([]);
  });

  it('refuses other crop sizes and stops when aborted', async () => {
    const encoder = encoders.get(variant) as FaceresEncoder;
    const small = await sampleFaceCrop(150);
    await expect(encoder.embed([small])).rejects.toThrow(/expected 224×224 crops, got 150×150/);
    const controller = new AbortController();
    controller.abort();
    await expect(encoder.embed([crop], { signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});

describe('loading', () => {
  it('describes the encoders; dispose frees every tensor the encoder holds', async () => {
    const before = tf.memory().numTensors;
    const encoder = await createFaceresEncoder('faceres', { readFile: humanModelsReader });
    expect(encoder).toMatchObject({
      id: 'faceres',
      dim: 1024,
      inputSize: 224,
      crop: 'resnet',
      builtIn: true,
      label: 'FaceRes (MobileNet v1)',
    });
    expect(encoder.identity).toMatch(/^faceres\/human-models-3\.0\.4\/[0-9a-f]{12}\/pre1$/);
    expect(encoders.get('faceres-deep')?.identity).toMatch(/^faceres-deep\/human-models-3\.0\.4\//);
    expect(encoder.byteLength).toBeGreaterThan(6_900_000);
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    encoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(encoder.embed([crop])).rejects.toThrow(/after dispose/);
  });
});
