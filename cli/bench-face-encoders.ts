/**
 * `npx tsx cli/bench-face-encoders.ts [--rounds 7] [--batches 1,8]`
 *
 * Per-face milliseconds of the built-in face encoders on the tfjs wasm backend in Node: the
 * face-api descriptor, faceres, faceres-deep (the app's folded networks), the same two run
 * op-by-op as the converter wrote them (`model.execute`, for the speed-up of folding), and the
 * face ensemble with nothing cached (its parts in turn) and with its parts cached (fuse only).
 * Encoders are interleaved within each round so machine load hits them alike; prints medians and
 * the spread over rounds, after one warm-up call each.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import '@tensorflow/tfjs-backend-wasm';
import { embedFused, createFaceEnsembleEncoder } from '../src/ml/encoders/ensemble';
import { createFaceDescriptorEncoder } from '../src/ml/encoders/face-descriptor';
import {
  FACERES_EMBEDDING_NODE,
  createFaceresEncoder,
  preprocessFaceres,
} from '../src/ml/encoders/faceres';
import type { Encoder } from '../src/ml/encoders/types';
import { loadFaceModels } from '../src/ml/face/models';
import { pixelsToBatch, type PixelImage } from '../src/ml/face/pixels';
import { tf } from '../src/ml/tf';
import { fileHandler } from '../src/test-support/tfjs-file-handler';
import {
  HUMAN_MODELS_DIR,
  humanModelsReader,
  mirror,
  sampleFaceCrop,
} from '../src/test-support/sample-face';
import { median } from '../src/lib/stats';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    batches: { type: 'string', default: '1,8' },
  },
});
const ROUNDS = Number(values.rounds);
const BATCHES = values.batches.split(',').map(Number);

type Crops = { descriptor: PixelImage[]; resnet: PixelImage[] };
interface Contender {
  name: string;
  run: (crops: Crops) => Promise<unknown>;
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  await loadFaceModels({
    readFile: (name) => readFile(join('node_modules/@vladmandic/face-api/model', name)),
  });
  const descriptor = createFaceDescriptorEncoder();
  const load = async (v: 'faceres' | 'faceres-deep'): Promise<[Encoder, tf.GraphModel]> => {
    const t0 = performance.now();
    const encoder = await createFaceresEncoder(v, { readFile: humanModelsReader });
    console.log(`${v}: loaded and folded in ${(performance.now() - t0).toFixed(0)} ms`);
    return [encoder, await tf.loadGraphModel(fileHandler(join(HUMAN_MODELS_DIR, `${v}.json`)))];
  };
  const [faceres, faceresGraph] = await load('faceres');
  const [faceresDeep, deepGraph] = await load('faceres-deep');
  const ensemble = createFaceEnsembleEncoder(descriptor, faceres, faceresDeep);

  const graphRun = (model: tf.GraphModel) => async (crops: Crops) => {
    const y = tf.tidy(
      () =>
        model.execute(
          preprocessFaceres(pixelsToBatch(crops.resnet)),
          FACERES_EMBEDDING_NODE,
        ) as tf.Tensor,
    );
    await y.data();
    y.dispose();
  };
  const contenders: Contender[] = [
    { name: 'face-descriptor', run: (c) => descriptor.embed(c.descriptor) },
    { name: 'faceres', run: (c) => faceres.embed(c.resnet) },
    { name: 'faceres-deep', run: (c) => faceresDeep.embed(c.resnet) },
    { name: 'face-ensemble (nothing cached)', run: (c) => embedFused(ensemble, c) },
    { name: 'faceres, op-by-op graph', run: graphRun(faceresGraph) },
    { name: 'faceres-deep, op-by-op graph', run: graphRun(deepGraph) },
  ];

  const small = await sampleFaceCrop(150);
  const large = await sampleFaceCrop(224);
  const flags = ['WASM_HAS_SIMD_SUPPORT', 'WASM_HAS_MULTITHREAD_SUPPORT'].map(
    (f) => `${f}=${String(tf.env().get(f))}`,
  );
  console.log(
    `backend ${tf.getBackend()} (${flags.join(', ')}), ${ROUNDS} rounds, batches ${BATCHES.join(', ')}`,
  );
  const rows: string[] = [];
  for (const batch of BATCHES) {
    const crops: Crops = {
      descriptor: Array.from({ length: batch }, (_, i) => (i % 2 ? mirror(small) : small)),
      resnet: Array.from({ length: batch }, (_, i) => (i % 2 ? mirror(large) : large)),
    };
    const times = new Map(contenders.map((c) => [c.name, [] as number[]]));
    for (const c of contenders) await c.run(crops); // warm-up
    const tensorsBefore = tf.memory().numTensors;
    for (let r = 0; r < ROUNDS; r++) {
      for (const c of contenders) {
        const t0 = performance.now();
        await c.run(crops);
        times.get(c.name)?.push((performance.now() - t0) / batch);
      }
    }
    // Parts cached: the fused vector from stored part vectors (what the embedding cache gives).
    const cached = new Map<string, Float32Array[]>();
    for (const p of ensemble.fused?.parts ?? [])
      cached.set(p.identity, await p.embed(crops[p.crop]));
    const fuseTimes: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = performance.now();
      await embedFused(ensemble, crops, {}, async (p) => cached.get(p.identity) ?? []);
      fuseTimes.push((performance.now() - t0) / batch);
    }
    times.set('face-ensemble (parts cached)', fuseTimes);
    const leaked = tf.memory().numTensors - tensorsBefore;
    for (const [name, ts] of times) {
      rows.push(
        `${String(batch).padStart(5)}  ${name.padEnd(32)}${median(ts).toFixed(2).padStart(10)}   [${Math.min(...ts).toFixed(1)}–${Math.max(...ts).toFixed(1)}]`,
      );
    }
    const parts = ['face-descriptor', 'faceres', 'faceres-deep'].map((n) =>
      median(times.get(n) ?? []),
    );
    rows.push(
      `${String(batch).padStart(5)}  ${'(sum of the three parts)'.padEnd(32)}${parts
        .reduce((a, b) => a + b, 0)
        .toFixed(2)
        .padStart(10)}`,
    );
    for (const v of ['faceres', 'faceres-deep']) {
      const ratio = median(times.get(`${v}, op-by-op graph`) ?? []) / median(times.get(v) ?? []);
      rows.push(
        `${String(batch).padStart(5)}  ${`${v}: folded speed-up`.padEnd(32)}${`${ratio.toFixed(2)}×`.padStart(10)}`,
      );
    }
    rows.push(`${String(batch).padStart(5)}  tensors leaked over the timed calls: ${leaked}`);
  }
  console.log(`\nbatch  encoder${' '.repeat(25)}ms/face   [min–max over rounds]`);
  for (const r of rows) console.log(r);
  faceres.dispose();
  faceresDeep.dispose();
  faceresGraph.dispose();
  deepGraph.dispose();
}

await main();
