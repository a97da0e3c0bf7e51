/**
 * `npx tsx cli/bench-crop-align.ts [--images 200] [--old 40] [--batch 16] [--rounds 2]`
 *
 * Images per second of dataset encoding on face crops, tfjs wasm in Node, every path followed
 * by the built-in descriptor embed (face-api's ResNet-34, 150² crops), in batches as fine-tune
 * encodes them:
 *   (a) crop only: the whole image resized (no alignment);
 *   (b) fast alignment: alignFaceCrops (batched landmarks, refined and checked) — and (b0)
 *       the same without the refining pass;
 *   (c) the old path: SSD detector at its full input + landmarks per image, then alignFace
 *       (on `--old` images: it is slow).
 * Input: `--images` generated 224² crops of face-api's demo faces (seeded random shift, scale,
 * rotation). Paths alternate within each round so machine load hits them alike; prints each
 * round and the median rate per path, and the ratios the issue asks for.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import '@tensorflow/tfjs-backend-wasm';
import { createFaceDescriptorEncoder } from '../src/ml/encoders/face-descriptor';
import { alignFace, DESCRIPTOR_TEMPLATE, wholeImageCrop } from '../src/ml/face/align';
import { alignFaceCrops, summarizeCropAlignment } from '../src/ml/face/crop-align';
import { detectFaces } from '../src/ml/face/detect';
import { loadFaceModels } from '../src/ml/face/models';
import { toRgba, type PixelImage } from '../src/ml/face/pixels';
import { tf } from '../src/ml/tf';
import { generateFaceCrops } from '../src/test-support/generated-face-crops';
import { median } from '../src/lib/stats';
import jpeg from 'jpeg-js';
import { measureDatasetEncodeRates } from '../src/finetune/encode-rate';
import { decodeImageNode } from './train/decode-node';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '200' },
    old: { type: 'string', default: '40' },
    batch: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '2' },
  },
});
const IMAGES = Number(values.images);
const OLD_IMAGES = Number(values.old);
const BATCH = Number(values.batch);
const ROUNDS = Number(values.rounds);

const encoder = createFaceDescriptorEncoder();

/** Crops one batch of images to the descriptor's input. */
type CropBatch = (images: PixelImage[]) => Promise<PixelImage[]>;

const paths: { name: string; images: () => PixelImage[]; crop: CropBatch }[] = [];

/** Crops and embeds `images` in batches; images per second. */
async function rate(images: PixelImage[], crop: CropBatch): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < images.length; i += BATCH) {
    const crops = await crop(images.slice(i, i + BATCH));
    await encoder.embed(crops);
  }
  return images.length / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  await loadFaceModels({
    readFile: (name) => readFile(join('node_modules/@vladmandic/face-api/model', name)),
  });
  const crops = (await generateFaceCrops(IMAGES)).map((c) => c.image);
  const oldCrops = crops.slice(0, OLD_IMAGES);
  const template = { descriptor: DESCRIPTOR_TEMPLATE };

  paths.push(
    {
      name: '(a) crop only',
      images: () => crops,
      crop: (images) =>
        Promise.resolve(images.map((im) => wholeImageCrop(im, DESCRIPTOR_TEMPLATE.size))),
    },
    {
      name: '(b) fast alignment',
      images: () => crops,
      crop: async (images) =>
        (await alignFaceCrops(images, template)).map((r) => r.crops.descriptor),
    },
    {
      name: '(b0) fast, no refining pass',
      images: () => crops,
      crop: async (images) =>
        (await alignFaceCrops(images, template, { refine: false })).map((r) => r.crops.descriptor),
    },
    {
      name: '(c) old: SSD + align',
      images: () => oldCrops,
      crop: async (images) => {
        const out: PixelImage[] = [];
        for (const image of images) {
          const [face] = await detectFaces(image, { thumbnailSize: 0 });
          out.push(
            face
              ? alignFace(image, face.eyes, DESCRIPTOR_TEMPLATE)
              : wholeImageCrop(image, DESCRIPTOR_TEMPLATE.size),
          );
        }
        return out;
      },
    },
  );

  // Warm-up: first-call costs (kernel set-up, weight packing) out of the timings.
  for (const path of paths) await rate(path.images().slice(0, BATCH), path.crop);

  const summary = summarizeCropAlignment(await alignFaceCrops(crops, template));
  console.log(
    `${crops.length} generated 224² face crops; fast alignment: ${summary.byLandmarks} by landmarks, ` +
      `${summary.byDetector} by the detector, ${summary.wholeImage} whole image` +
      summary.reasons.map((r) => `\n  ${r.count}× ${r.reason}`).join(''),
  );
  console.log(`batch ${BATCH}, ${tf.getBackend()} backend, then the descriptor embed (150²)`);

  const rates = new Map<string, number[]>(paths.map((p) => [p.name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    const line: string[] = [];
    for (const path of paths) {
      const r = await rate(path.images(), path.crop);
      rates.get(path.name)?.push(r);
      line.push(`${path.name} ${r.toFixed(1)}`);
    }
    console.log(`round ${round}: ${line.join(' | ')} img/s`);
  }
  const med = (name: string): number => median(rates.get(name) ?? []);
  for (const path of paths) {
    const n = path.images().length;
    console.log(
      `${path.name.padEnd(30)} ${med(path.name).toFixed(1).padStart(6)} img/s  (${n} images)`,
    );
  }
  const a = med('(a) crop only');
  const b = med('(b) fast alignment');
  const c = med('(c) old: SSD + align');
  console.log(
    `(b)/(a) = ${(b / a).toFixed(2)} (goal ≥ 0.33), (b) ${b >= 10 ? '≥' : '<'} 10 img/s, ` +
      `(b)/(c) = ${(b / c).toFixed(1)}×`,
  );

  // The same crops as JPEG files through Fine-tune's own encode (import, hash, decode, align,
  // embed in batches with decoding ahead): the rate a user sees in the Encode step.
  const files = crops.map((c) => new Blob([Uint8Array.from(jpeg.encode(toRgba(c), 92).data)]));
  const real = await measureDatasetEncodeRates(files, encoder, decodeImageNode, {
    rounds: ROUNDS,
    signal: new AbortController().signal,
  });
  const ca = median(real.cropOnly);
  const al = median(real.aligned);
  console.log(
    `Fine-tune encode of ${real.images} JPEG crops: crops only ${ca.toFixed(1)}, aligned ${al.toFixed(1)} img/s ` +
      `(ratio ${(al / ca).toFixed(2)}; rounds ${real.cropOnly.map((r) => r.toFixed(1)).join('/')} vs ${real.aligned.map((r) => r.toFixed(1)).join('/')}); ` +
      `${real.alignment?.byLandmarks ?? 0} by landmarks, ${real.alignment?.byDetector ?? 0} by the detector, ${real.alignment?.wholeImage ?? 0} whole`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
