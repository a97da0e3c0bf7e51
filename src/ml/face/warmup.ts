/**
 * One pass of every face net on synthetic pixels, run while the page idles after the models
 * load: the first real photo then pays no first-run costs (kernel set-up, weight packing on
 * wasm, shader compilation on GPU backends).
 */
import { tf } from '../tf';
import { describeFaces, DESCRIPTOR_INPUT_SIZE } from './describe';
import { detectFaces, detectLandmarksIn } from './detect';
import type { PixelImage } from './pixels';

function gradient(width: number, height: number): PixelImage {
  const data = new Uint8ClampedArray(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 255) / width;
      data[i + 1] = (y * 255) / height;
      data[i + 2] = 128;
    }
  }
  return { width, height, channels: 3, data };
}

export interface WarmUpTimes {
  detectorMs: number;
  landmarksMs: number;
  descriptorMs: number;
}

/** Runs the detector, the landmark net and the descriptor (a batch of two, like a pair) once. */
export async function warmUpFaceStack(): Promise<WarmUpTimes> {
  const before = tf.memory().numTensors;
  let t = performance.now();
  await detectFaces(gradient(640, 480), { thumbnailSize: 0 });
  const detectorMs = performance.now() - t;
  t = performance.now();
  const square = gradient(224, 224);
  await detectLandmarksIn(square, [{ x: 32, y: 32, width: 160, height: 160 }]);
  const landmarksMs = performance.now() - t;
  t = performance.now();
  const chip = gradient(DESCRIPTOR_INPUT_SIZE, DESCRIPTOR_INPUT_SIZE);
  await describeFaces([chip, chip]);
  const descriptorMs = performance.now() - t;
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`warm-up left ${leaked} tensors`);
  return { detectorMs, landmarksMs, descriptorMs };
}
