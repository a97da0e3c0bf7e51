/**
 * In-browser benchmark run by `npm run bench` through bench.html: encoder throughput per batch
 * size on the active backend (random weights are fine for speed), the full JPEG → embedding
 * pipeline, and head training pairs/s. Reports medians and spreads, never asserts.
 */
import { throwIfAborted } from '../lib/abort';
import { KinshipError } from '../lib/errors';
import { embedFused } from '../ml/encoders/ensemble';
import { createFaceDescriptorEncoder } from '../ml/encoders/face-descriptor';
import { createResNet50AppEncoder } from '../ml/encoders/resnet';
import type { CropKind, Encoder } from '../ml/encoders/types';
import { wholeImageCrop } from '../ml/face/align';
import type { PixelImage } from '../ml/face/pixels';
import { describeProfile, profileKernels, type BenchProfile } from './bench-profile';
import { headTrainingRates } from '../ml/head/throughput';
import { decodeImageBlob } from '../ml/image/decode';
import { buildResNet50 } from '../ml/resnet50/build';
import type { ResNetVariant } from '../ml/resnet50/variants';
import { tf } from '../ml/tf';
import { encoderById } from './encoders';
import { measureDatasetEncodeRates, type DatasetEncodeRates } from '../finetune/encode-rate';
import { median } from '../lib/stats';

export type BenchEncoder =
  | 'face-descriptor'
  | 'faceres'
  | 'faceres-deep'
  | 'face-ensemble'
  | 'resnet50-vggface'
  | 'resnet50-keras';

export interface BenchSpec {
  encoders: BenchEncoder[];
  batchSizes: number[];
  runs: number;
  /** One timed batch-1 run only (software adapters, cpu): enough to show the order of magnitude. */
  tiny: boolean;
  /** JPEG files for the pipeline measurement. */
  jpegs: Blob[];
  headDims: number[];
  /** Also profile one batch-1 pass per encoder and one short training run per head size. */
  profile?: boolean;
  /** 224² face-crop JPEGs for Fine-tune's dataset encode, crops only vs aligned (none: skip). */
  faceCrops?: Blob[];
}

export interface EncoderBench {
  encoder: BenchEncoder;
  batchSize: number;
  imagesPerSecond: number;
  /** Min and max images/s over the timed runs. */
  spread: [number, number];
  runs: number;
  firstCallMs: number;
  peakTensorBytes: number;
  leakedTensors: number;
}

export interface BenchResult {
  backend: string;
  encoders: EncoderBench[];
  skipped: Array<{ what: string; reason: string }>;
  pipeline: Array<{ encoder: BenchEncoder; images: number; imagesPerSecond: number }>;
  head: Array<{ dim: number; pairsPerSecond: number; batchSize: number }>;
  profiles: BenchProfile[];
  /** Fine-tune's encode of `faceCrops` with the face descriptor, rounds alternating. */
  datasetEncode: DatasetEncodeRates | null;
}

function randomCrops(n: number, size: number, seed: number): PixelImage[] {
  let x = seed >>> 0;
  return Array.from({ length: n }, () => {
    const data = new Uint8ClampedArray(size * size * 3);
    for (let i = 0; i < data.length; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      data[i] = x >>> 24;
    }
    return { width: size, height: size, channels: 3, data };
  });
}

/** Crops per crop kind an encoder needs (a fused one: one kind per part), all of one batch. */
type CropsByKind = Partial<Record<CropKind, PixelImage[]>>;

function cropSizes(encoder: Encoder): Map<CropKind, number> {
  const parts = encoder.fused ? encoder.fused.parts : [encoder];
  return new Map(parts.map((p) => [p.crop, p.inputSize]));
}

/** The built-ins are the registered (real) ones; ResNet50 gets random weights, fine for speed. */
function makeEncoder(name: BenchEncoder): Encoder {
  if (name === 'face-descriptor') return createFaceDescriptorEncoder();
  if (name === 'faceres' || name === 'faceres-deep' || name === 'face-ensemble') {
    const encoder = encoderById(name);
    if (!encoder) throw new KinshipError('NOT_READY', `${name} is not loaded`);
    return encoder;
  }
  const variant: ResNetVariant = name === 'resnet50-vggface' ? 'vggface' : 'keras-new';
  return createResNet50AppEncoder(buildResNet50(variant), variant, 'random-weights');
}

async function benchEncoder(
  name: BenchEncoder,
  spec: BenchSpec,
  signal: AbortSignal,
  onResult: (r: EncoderBench) => void,
): Promise<void> {
  const encoder = makeEncoder(name);
  try {
    for (const batch of spec.tiny ? [1] : spec.batchSizes) {
      throwIfAborted(signal);
      const crops: CropsByKind = {};
      for (const [kind, size] of cropSizes(encoder)) crops[kind] = randomCrops(batch, size, batch);
      const before = tf.memory().numTensors;
      let peak = 0;
      const sample = (): void => {
        peak = Math.max(peak, tf.memory().numBytes);
      };
      const t0 = performance.now();
      await embedFused(encoder, crops);
      const firstCallMs = performance.now() - t0;
      sample();
      const runs = spec.tiny ? 1 : spec.runs;
      const rates: number[] = [];
      for (let r = 0; r < runs; r++) {
        throwIfAborted(signal);
        const t = performance.now();
        await embedFused(encoder, crops);
        rates.push(batch / ((performance.now() - t) / 1000));
        sample();
      }
      onResult({
        encoder: name,
        batchSize: batch,
        imagesPerSecond: median(rates),
        spread: [Math.min(...rates), Math.max(...rates)],
        runs,
        firstCallMs,
        peakTensorBytes: peak,
        leakedTensors: tf.memory().numTensors - before,
      });
    }
  } finally {
    if (!encoder.builtIn) encoder.dispose();
  }
}

/** Decode + resize + embed from JPEG blobs, decoding the next batch while this one embeds. */
async function benchPipeline(
  name: BenchEncoder,
  jpegs: Blob[],
  batch: number,
  signal: AbortSignal,
): Promise<number> {
  const encoder = makeEncoder(name);
  const sizes = cropSizes(encoder);
  const largest = Math.max(...sizes.values());
  try {
    const prepare = async (start: number): Promise<CropsByKind> => {
      const images = await Promise.all(
        jpegs
          .slice(start, start + batch)
          .map(
            async (blob, i) =>
              (await decodeImageBlob(blob, `bench-${start + i}.jpg`, { maxSide: largest * 2 }))
                .image,
          ),
      );
      const crops: CropsByKind = {};
      for (const [kind, size] of sizes) crops[kind] = images.map((im) => wholeImageCrop(im, size));
      return crops;
    };
    await embedFused(encoder, await prepare(0)); // warm-up
    const t0 = performance.now();
    let next = prepare(0);
    for (let start = 0; start < jpegs.length; start += batch) {
      throwIfAborted(signal);
      const crops = await next;
      next = start + batch < jpegs.length ? prepare(start + batch) : Promise.resolve({});
      await embedFused(encoder, crops);
    }
    return jpegs.length / ((performance.now() - t0) / 1000);
  } finally {
    if (!encoder.builtIn) encoder.dispose();
  }
}

async function benchHead(dim: number, batchSize: number): Promise<number> {
  const rates = await headTrainingRates({
    dim,
    batchSize,
    stepsPerEpoch: dim > 1000 ? 20 : 60,
  });
  // Epoch 1 includes kernel compilation: report the median of the later ones.
  return median(rates.slice(1));
}

/** Kernel profiles: a warmed-up batch-1 pass per encoder, 10 head steps per size at batch 1024. */
async function profiles(spec: BenchSpec): Promise<BenchProfile[]> {
  const out: BenchProfile[] = [];
  for (const name of spec.encoders) {
    const encoder = makeEncoder(name);
    try {
      const crops = randomCrops(1, encoder.inputSize, 1);
      await encoder.embed(crops);
      out.push(await profileKernels(`${name} batch 1`, () => encoder.embed(crops).then(() => {})));
    } finally {
      if (name !== 'face-descriptor') encoder.dispose();
    }
  }
  for (const dim of spec.headDims) {
    const run = (): Promise<void> =>
      headTrainingRates({ dim, batchSize: 1024, stepsPerEpoch: 10, epochs: 1 }).then(() => {});
    await run();
    out.push(await profileKernels(`head ${dim}-d batch 1024, 10 steps + validation`, run));
  }
  return out;
}

export async function runBenchmark(
  spec: BenchSpec,
  signal: AbortSignal,
  onLine: (line: string) => void,
): Promise<BenchResult> {
  const result: BenchResult = {
    backend: tf.getBackend(),
    encoders: [],
    skipped: [],
    pipeline: [],
    head: [],
    profiles: [],
    datasetEncode: null,
  };
  if (spec.profile) {
    for (const p of await profiles(spec)) {
      result.profiles.push(p);
      onLine(describeProfile(p));
    }
  }
  for (const name of spec.encoders) {
    onLine(`${name}: ${spec.tiny ? 'one tiny run' : `batches ${spec.batchSizes.join(', ')}`}`);
    await benchEncoder(name, spec, signal, (r) => {
      result.encoders.push(r);
      onLine(`  batch ${r.batchSize}: ${r.imagesPerSecond.toFixed(2)} img/s`);
    });
  }
  if (!spec.tiny && spec.jpegs.length > 0) {
    for (const name of spec.encoders) {
      const rate = await benchPipeline(
        name,
        spec.jpegs,
        name === 'face-descriptor' ? 16 : 8,
        signal,
      );
      result.pipeline.push({ encoder: name, images: spec.jpegs.length, imagesPerSecond: rate });
      onLine(`pipeline ${name}: ${rate.toFixed(2)} img/s`);
    }
  }
  if (!spec.tiny && spec.faceCrops && spec.faceCrops.length > 0) {
    const rates = await measureDatasetEncodeRates(
      spec.faceCrops,
      createFaceDescriptorEncoder(),
      async (file, path, opts) => (await decodeImageBlob(file, path, opts)).image,
      { rounds: 3, signal },
    );
    result.datasetEncode = rates;
    onLine(
      `dataset encode: crops only ${median(rates.cropOnly).toFixed(1)}, aligned ${median(rates.aligned).toFixed(1)} img/s`,
    );
  }
  for (const dim of spec.headDims) {
    // The seed-like batch of 128 and a large batch (fewer, larger kernel calls per pair).
    for (const batchSize of [128, 1024]) {
      const rate = await benchHead(dim, batchSize);
      result.head.push({ dim, pairsPerSecond: rate, batchSize });
      onLine(`head ${dim}-d, batch ${batchSize}: ${rate.toFixed(0)} pairs/s`);
    }
  }
  return result;
}
