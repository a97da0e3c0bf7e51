/**
 * Fast alignment on generated face crops with known eyes (real faces from face-api's demo
 * photos, warped by known similarity transforms), and the counted fallbacks on non-faces.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DATASET_FRAMING,
  generateFaceCrops,
  type GeneratedFaceCrop,
} from '../../test-support/generated-face-crops';
import { samplePhoto } from '../../test-support/sample-face';
import { mulberry32 } from '../../test-support/rng';
import { tf } from '../tf';
import {
  alignFace,
  DESCRIPTOR_TEMPLATE,
  RESNET_TEMPLATE,
  wholeImageCrop,
  type CropTemplate,
} from './align';
import { alignFaceCrops, summarizeCropAlignment } from './crop-align';
import { applyAffine, eyeAlignmentTransform, type EyePair, type Point } from './geometry';
import { countLeakedTensors } from './leaks';
import { loadFaceModels } from './models';
import type { PixelImage } from './pixels';
import { warpAffine } from './resample';

const FACE_API = 'node_modules/@vladmandic/face-api';

let crops: GeneratedFaceCrop[] = [];

beforeAll(async () => {
  await tf.setBackend('wasm');
  await loadFaceModels({ readFile: (name) => readFile(join(FACE_API, 'model', name)) });
  crops = await generateFaceCrops(40);
});

const distance = (p: Point, q: Point): number => Math.hypot(p.x - q.x, p.y - q.y);

/** Where the true eyes land in the aligned crop, against the template's eye points (pixels). */
function templateErrors(found: EyePair, truth: EyePair, template: CropTemplate): number[] {
  const toAligned = eyeAlignmentTransform(found, template.eyes, template.size);
  const s = template.size;
  return [
    distance(applyAffine(toAligned, truth.left), {
      x: template.eyes.left.x * s,
      y: template.eyes.left.y * s,
    }),
    distance(applyAffine(toAligned, truth.right), {
      x: template.eyes.right.x * s,
      y: template.eyes.right.y * s,
    }),
  ];
}

const stats = (xs: number[]): { max: number; mean: number } => ({
  max: Math.max(...xs),
  mean: xs.reduce((a, b) => a + b, 0) / xs.length,
});

describe('alignFaceCrops on face crops', () => {
  it('finds the eyes within a few pixels and puts them on both templates', async () => {
    const { result, leaked } = await countLeakedTensors(() =>
      alignFaceCrops(
        crops.map((c) => c.image),
        { descriptor: DESCRIPTOR_TEMPLATE, resnet: RESNET_TEMPLATE },
      ),
    );
    expect(leaked).toBe(0);
    expect(result).toHaveLength(crops.length);
    const cropErrors: number[] = [];
    const descriptorErrors: number[] = [];
    const resnetErrors: number[] = [];
    result.forEach((r, i) => {
      const truth = (crops[i] as GeneratedFaceCrop).eyes;
      expect(r.method, `${crops[i]?.source}: ${r.fallback}`).toBe('landmarks');
      if (!r.eyes) return;
      cropErrors.push(distance(r.eyes.left, truth.left), distance(r.eyes.right, truth.right));
      descriptorErrors.push(...templateErrors(r.eyes, truth, DESCRIPTOR_TEMPLATE));
      resnetErrors.push(...templateErrors(r.eyes, truth, RESNET_TEMPLATE));
      expect(r.crops.descriptor.width).toBe(150);
      expect(r.crops.resnet.width).toBe(224);
    });
    const inCrop = stats(cropErrors);
    const onDescriptor = stats(descriptorErrors);
    const onResnet = stats(resnetErrors);
    console.log(
      `eye error over ${crops.length} generated 224² crops (px): in the crop max ${inCrop.max.toFixed(2)} mean ${inCrop.mean.toFixed(2)}; ` +
        `on the 150² descriptor template max ${onDescriptor.max.toFixed(2)} mean ${onDescriptor.mean.toFixed(2)}; ` +
        `on the 224² ResNet template max ${onResnet.max.toFixed(2)} mean ${onResnet.mean.toFixed(2)}`,
    );
    // The truth is itself a landmark estimate (on the photo): about 2 px of it is its own noise.
    expect(inCrop.mean).toBeLessThan(3);
    expect(inCrop.max).toBeLessThan(9);
    expect(onDescriptor.mean).toBeLessThan(2.5);
    expect(onDescriptor.max).toBeLessThan(7);
    expect(onResnet.mean).toBeLessThan(3);
    expect(onResnet.max).toBeLessThan(9);
  });

  it('finds the eyes of loose crops (the face in the middle) by a closer look at the centre', async () => {
    // Eyes 0.17–0.22 of the side apart: the whole-crop framing fails on most of these.
    const loose = await generateFaceCrops(24, 224, {
      ...DATASET_FRAMING,
      eyeDistance: [0.17, 0.22],
      eyeHeight: 0.45,
      shift: 0.03,
    });
    const result = await alignFaceCrops(
      loose.map((c) => c.image),
      { resnet: RESNET_TEMPLATE },
    );
    const summary = summarizeCropAlignment(result);
    expect(summary.byLandmarks, JSON.stringify(summary.reasons)).toBeGreaterThanOrEqual(21);
    const errors: number[] = [];
    result.forEach((r, i) => {
      const truth = (loose[i] as GeneratedFaceCrop).eyes;
      if (r.method === 'landmarks' && r.eyes)
        errors.push(distance(r.eyes.left, truth.left), distance(r.eyes.right, truth.right));
    });
    const e = stats(errors);
    console.log(
      `loose crops: ${summary.byLandmarks}/${loose.length} by landmarks, eye error max ${e.max.toFixed(2)} mean ${e.mean.toFixed(2)} px`,
    );
    expect(e.mean).toBeLessThan(3);
    expect(e.max).toBeLessThan(8);
  });

  it('hands faces too small for the whole-crop landmarks to the tiny detector', async () => {
    const small = await generateFaceCrops(8, 224, {
      ...DATASET_FRAMING,
      eyeDistance: [0.11, 0.13],
    });
    const result = await alignFaceCrops(
      small.map((c) => c.image),
      { resnet: RESNET_TEMPLATE },
    );
    const summary = summarizeCropAlignment(result);
    expect(summary.byLandmarks).toBe(0);
    expect(summary.byDetector).toBeGreaterThanOrEqual(6);
    result.forEach((r, i) => {
      const truth = (small[i] as GeneratedFaceCrop).eyes;
      if (r.method !== 'detector' || !r.eyes) return;
      expect(r.fallback).toMatch(/: used the face detector$/);
      expect(distance(r.eyes.left, truth.left)).toBeLessThan(4);
      expect(distance(r.eyes.right, truth.right)).toBeLessThan(4);
    });
  });

  it('finds the eyes of a non-square crop without squeezing it', async () => {
    const tall = crops.slice(0, 4).map((c) => ({
      truth: c.eyes,
      // 224×280: the crop with 56 black rows below it.
      image: warpAffine(c.image, { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 }, 224, 280),
    }));
    const result = await alignFaceCrops(
      tall.map((t) => t.image),
      { descriptor: DESCRIPTOR_TEMPLATE },
    );
    result.forEach((r, i) => {
      const truth = (tall[i] as { truth: EyePair }).truth;
      expect(r.method).toBe('landmarks');
      if (!r.eyes) return;
      expect(distance(r.eyes.left, truth.left)).toBeLessThan(6);
      expect(distance(r.eyes.right, truth.right)).toBeLessThan(6);
      expect(r.crops.descriptor).toEqual(
        alignFace((tall[i] as { image: PixelImage }).image, r.eyes, DESCRIPTOR_TEMPLATE),
      );
    });
  });

  it('stops between passes when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      alignFaceCrops(
        [(crops[0] as GeneratedFaceCrop).image],
        { descriptor: DESCRIPTOR_TEMPLATE },
        {
          signal: controller.signal,
        },
      ),
    ).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

function flat(size: number, value: number): PixelImage {
  return {
    width: size,
    height: size,
    channels: 3,
    data: new Uint8Array(size * size * 3).fill(value),
  };
}

function noise(size: number, seed: number): PixelImage {
  const rand = mulberry32(seed);
  const data = new Uint8Array(size * size * 3).map(() => Math.floor(rand() * 256));
  return { width: size, height: size, channels: 3, data };
}

describe('alignFaceCrops on non-faces', () => {
  it('falls back to the whole image with a counted reason', async () => {
    const photo = await samplePhoto();
    // Background of sample1.jpg: a dark, nearly flat corner and a lit wall.
    const patch = (x: number, y: number): PixelImage =>
      warpAffine(photo, { a: 1, b: 0, c: 0, d: 1, e: -x, f: -y }, 224, 224);
    const images = [
      flat(224, 128),
      flat(224, 30),
      noise(224, 1),
      noise(224, 2),
      patch(100, 100),
      patch(1500, 900),
    ];
    const result = await alignFaceCrops(images, { descriptor: DESCRIPTOR_TEMPLATE });
    for (const r of result) {
      expect(r.method).toBe('whole-image');
      expect(r.eyes).toBeNull();
      expect(r.fallback).toMatch(/; no face detected: used the whole image$/);
      expect(r.crops.descriptor).toEqual(
        wholeImageCrop(images[result.indexOf(r)] as PixelImage, 150),
      );
    }
    const summary = summarizeCropAlignment(result);
    expect(summary).toMatchObject({ total: 6, byLandmarks: 0, byDetector: 0, wholeImage: 6 });
    expect(summary.reasons).toEqual([
      { reason: 'eyes too close together; no face detected: used the whole image', count: 3 },
      { reason: 'image has almost no detail; no face detected: used the whole image', count: 3 },
    ]);
  });

  it('uses the whole image without trying the detector when told so', async () => {
    const [r] = await alignFaceCrops(
      [noise(224, 3)],
      { descriptor: DESCRIPTOR_TEMPLATE },
      {
        detectorFallback: false,
      },
    );
    expect(r?.fallback).toBe('eyes too close together: used the whole image');
  });
});
