import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-wasm';
import jpeg from 'jpeg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { KinshipError } from '../lib/errors';
import { tf } from '../ml/tf';
import { alignFace, DESCRIPTOR_TEMPLATE, RESNET_TEMPLATE, wholeImageCrop } from '../ml/face/align';
import { loadFaceModels } from '../ml/face/models';
import type { PixelImage } from '../ml/face/pixels';
import { generateFaceCrops, type GeneratedFaceCrop } from '../test-support/generated-face-crops';
import { cropsForDataset, type DatasetCropItem } from './dataset-crops';
import type { CropOutcome, DecodeImage } from './types';

const FACE_API = 'node_modules/@vladmandic/face-api';
const DESCRIPTOR = { crop: 'descriptor', inputSize: 150 } as const;
const FACERES = { crop: 'resnet', inputSize: 224 } as const;

let faces: GeneratedFaceCrop[];
let photo: PixelImage;
const flat: PixelImage = {
  width: 224,
  height: 224,
  channels: 3,
  data: new Uint8ClampedArray(224 * 224 * 3).fill(128),
};

beforeAll(async () => {
  await tf.setBackend('wasm');
  await loadFaceModels({ readFile: (name) => readFile(join(FACE_API, 'model', name)) });
  faces = await generateFaceCrops(6);
  const d = jpeg.decode(await readFile(`${FACE_API}/demo/sample1.jpg`), { useTArray: true });
  photo = { width: d.width, height: d.height, channels: 4, data: d.data };
}, 120_000);

/** Items whose "files" decode to the given images; a missing one fails like a broken file. */
function dataset(images: (PixelImage | null)[]): { items: DatasetCropItem[]; decode: DecodeImage } {
  const byBlob = new Map<Blob, PixelImage>();
  const items = images.map((image, k) => {
    const file = new Blob([String(k)]);
    if (image) byBlob.set(file, image);
    return { path: `train/F0001/MID1/P${k}.jpg`, file };
  });
  const decode: DecodeImage = (file, path) => {
    const image = byBlob.get(file);
    return image
      ? Promise.resolve(image)
      : Promise.reject(new KinshipError('IMAGE_DECODE', 'not an image', { file: path }));
  };
  return { items, decode };
}

const eyeError = (a: CropOutcome, truth: GeneratedFaceCrop): number =>
  a.eyes
    ? Math.max(
        Math.hypot(a.eyes.left.x - truth.eyes.left.x, a.eyes.left.y - truth.eyes.left.y),
        Math.hypot(a.eyes.right.x - truth.eyes.right.x, a.eyes.right.y - truth.eyes.right.y),
      )
    : Infinity;

describe('cropsForDataset with "Detect and align faces"', () => {
  it('aligns face crops by their landmarks, detects in photos, counts the rest, names a broken file', async () => {
    const { items, decode } = dataset([...faces.map((f) => f.image), photo, flat, null]);
    const alignments = new Map<string, CropOutcome>();
    const signal = new AbortController().signal;
    const out = await cropsForDataset(items, DESCRIPTOR, true, { decode, alignments, signal });

    faces.forEach((face, i) => {
      const outcome = alignments.get(items[i]?.path as string) as CropOutcome;
      expect(outcome.method).toBe('landmarks');
      expect(eyeError(outcome, face)).toBeLessThan(8);
      const crop = out[i] as PixelImage;
      expect([crop.width, crop.height]).toEqual([150, 150]);
    });
    const big = alignments.get(items[6]?.path as string) as CropOutcome;
    expect(big.method).toBe('detector');
    expect(big.fallback).toBe('a photo larger than a face crop: used the face detector');
    const blank = alignments.get(items[7]?.path as string) as CropOutcome;
    expect(blank.method).toBe('whole-image');
    expect(blank.fallback).toMatch(/^image has almost no detail.*: used the whole image$/);
    expect(out[7]).toEqual(wholeImageCrop(flat, 150));
    const broken = out[8];
    expect(broken).toBeInstanceOf(Error);
    expect((broken as KinshipError).file).toBe('train/F0001/MID1/P8.jpg');
    expect(alignments.has(items[8]?.path as string)).toBe(false);
  }, 120_000);

  it('reuses eyes found before (another encoder, a re-encode) instead of looking again', async () => {
    const { items, decode } = dataset([faces[0]?.image ?? null, faces[1]?.image ?? null]);
    // Planted eyes, far from the true ones: only a crop cut from them can match.
    const planted: CropOutcome = {
      eyes: { left: { x: 60, y: 120 }, right: { x: 130, y: 100 } },
      method: 'landmarks',
    };
    const alignments = new Map<string, CropOutcome>([[items[0]?.path as string, planted]]);
    const signal = new AbortController().signal;
    const out = await cropsForDataset(items, FACERES, true, { decode, alignments, signal });
    expect(out[0]).toEqual(
      alignFace(
        faces[0]?.image as PixelImage,
        planted.eyes as NonNullable<CropOutcome['eyes']>,
        RESNET_TEMPLATE,
      ),
    );
    expect(alignments.get(items[0]?.path as string)).toBe(planted);
    // The other image was aligned now, and its eyes serve the next encoder as they are.
    const found = alignments.get(items[1]?.path as string) as CropOutcome;
    expect(found.method).toBe('landmarks');
    const again = await cropsForDataset(items, DESCRIPTOR, true, { decode, alignments, signal });
    expect(again[1]).toEqual(
      alignFace(
        faces[1]?.image as PixelImage,
        found.eyes as NonNullable<CropOutcome['eyes']>,
        DESCRIPTOR_TEMPLATE,
      ),
    );
  }, 120_000);

  it('uses each image whole when the option is off', async () => {
    const { items, decode } = dataset([faces[0]?.image ?? null]);
    const alignments = new Map<string, CropOutcome>();
    const out = await cropsForDataset(items, DESCRIPTOR, false, {
      decode,
      alignments,
      signal: new AbortController().signal,
    });
    expect(out[0]).toEqual(wholeImageCrop(faces[0]?.image as PixelImage, 150));
    expect(alignments.size).toBe(0);
  });
});
