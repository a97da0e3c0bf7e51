/**
 * `npx tsx cli/measure-detector-sizes.ts [--rounds 3]`
 *
 * Faces found and time per photo for each detector setting, on the group photos that ship with
 * face-api (1920×1280-class camera photos, 2–4 faces each) and on portraits cut from them (one
 * face about half the frame, 600² — what a phone portrait becomes after the app's downscale).
 * SSD MobileNet v1 always sees a 512² input (face-api resizes to it), so its only setting is the
 * detector itself; the tiny detector runs at each of its input sizes. Node, tfjs wasm; medians
 * over rounds after a warm-up call. Measured, not asserted.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import '@tensorflow/tfjs-backend-wasm';
import jpeg from 'jpeg-js';
import { portrait } from '../e2e/group-photo';
import { detectFaces, type DetectOptions } from '../src/ml/face/detect';
import { loadFaceModels } from '../src/ml/face/models';
import type { PixelImage } from '../src/ml/face/pixels';
import { tf } from '../src/ml/tf';
import { median } from '../src/lib/stats';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const ROUNDS = Number(values.rounds);
const FACE_API = 'node_modules/@vladmandic/face-api';

function decode(bytes: Buffer): PixelImage {
  const d = jpeg.decode(bytes, { useTArray: true });
  return { width: d.width, height: d.height, channels: 4, data: d.data };
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await loadFaceModels({ readFile: (name) => readFile(join(FACE_API, 'model', name)) });
  const groups = await Promise.all(
    [1, 2, 3, 4, 5, 6].map(async (n) => decode(await readFile(`${FACE_API}/demo/sample${n}.jpg`))),
  );
  const portraits = [0, 1, 3, 5, 8, 12, 16].map((k) => decode(portrait(k, 600)));
  const settings: { name: string; opts: DetectOptions }[] = [
    { name: 'ssd (512)', opts: { detector: 'ssd' } },
    ...[224, 320, 416, 512, 608].map((size) => ({
      name: `tiny ${size}`,
      opts: { detector: 'tiny' as const, tinyInputSize: size },
    })),
  ];
  for (const [label, photos] of [
    ['group photos (6, 20 faces)', groups],
    ['portraits 600² (7)', portraits],
  ] as const) {
    console.log(`\n${label}`);
    console.log('setting      faces found   ms/photo (median)');
    for (const { name, opts } of settings) {
      await detectFaces(photos[0] as PixelImage, { ...opts, thumbnailSize: 0 }); // warm-up
      const times: number[] = [];
      let faces = 0;
      for (let round = 0; round < ROUNDS; round++) {
        faces = 0;
        for (const photo of photos) {
          const t0 = performance.now();
          faces += (await detectFaces(photo, { ...opts, thumbnailSize: 0 })).length;
          times.push(performance.now() - t0);
        }
      }
      console.log(`${name.padEnd(12)} ${String(faces).padStart(11)}   ${median(times).toFixed(0)}`);
    }
  }
}

await main();
