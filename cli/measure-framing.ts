/**
 * `npx tsx cli/measure-framing.ts [--head public/models/heads/face-descriptor]`
 *
 * Which crop of a detected face should the Pair tab give a head trained on whole-image face
 * crops (Families in the Wild)? Compares the eye-aligned chip with unrotated face-box crops
 * framed like detector crops, on face-api's sample photos: the one person seen in two photos
 * (sample1 face 0 = sample3 face 0) against people who appear together in one photo (certainly
 * different), plus a re-capture of every face (the photo at half size, JPEG quality 70,
 * detected again) as a second kind of same-person pair. Prints cosine and head probability
 * separation per framing. Node, tfjs wasm backend.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import '@tensorflow/tfjs-backend-wasm';
import jpeg from 'jpeg-js';
import { tf } from '../src/ml/tf';
import { alignFace, DESCRIPTOR_TEMPLATE, faceBoxCrop } from '../src/ml/face/align';
import { describeFaces } from '../src/ml/face/describe';
import { detectFaces, type DetectedFace } from '../src/ml/face/detect';
import { loadFaceModels } from '../src/ml/face/models';
import type { PixelImage } from '../src/ml/face/pixels';
import { scaleImage } from '../src/ml/face/resample';
import { importHead } from '../src/ml/head';
import { cosineSimilarity, rocAuc } from '../src/ml/metrics';
import { runIfMain } from './run-main';

const FACE_API = 'node_modules/@vladmandic/face-api';

interface Face {
  label: string;
  photo: number;
  image: PixelImage;
  face: DetectedFace;
}

type Framing = { name: string; crop: (image: PixelImage, face: DetectedFace) => PixelImage };

const FRAMINGS: Framing[] = [
  { name: 'aligned chip', crop: (im, f) => alignFace(im, f.eyes, DESCRIPTOR_TEMPLATE) },
  ...[1.0, 1.15, 1.3, 1.5].map((k): Framing => ({
    name: `face box ×${k.toFixed(2)}`,
    crop: (im, f) => faceBoxCrop(im, f.box, DESCRIPTOR_TEMPLATE.size, k),
  })),
];

function decodeJpeg(bytes: Uint8Array): PixelImage {
  const d = jpeg.decode(bytes, { useTArray: true });
  return { width: d.width, height: d.height, channels: 4, data: d.data };
}

/** The photo at half size, re-encoded as JPEG quality 70: another capture of the same faces. */
function recapture(image: PixelImage): PixelImage {
  const half = scaleImage(image, 0.5);
  const rgba = Buffer.alloc(half.width * half.height * 4);
  for (let i = 0; i < half.width * half.height; i++) {
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = half.data[i * half.channels + c] ?? 0;
    rgba[i * 4 + 3] = 255;
  }
  return decodeJpeg(jpeg.encode({ data: rgba, width: half.width, height: half.height }, 70).data);
}

function nearest(faces: DetectedFace[], target: DetectedFace, scale: number): DetectedFace | null {
  let best: DetectedFace | null = null;
  let bestD = Infinity;
  for (const f of faces) {
    const d = Math.hypot(
      f.eyes.left.x / scale - target.eyes.left.x,
      f.eyes.left.y / scale - target.eyes.left.y,
    );
    if (d < bestD) [best, bestD] = [f, d];
  }
  return best;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { head: { type: 'string', default: 'public/models/heads/face-descriptor' } },
  });
  await tf.setBackend('wasm');
  await loadFaceModels({ readFile: (name) => readFile(join(FACE_API, 'model', name)) });
  const dir = values.head as string;
  const head = await importHead({
    modelJson: await readFile(join(dir, 'model.json'), 'utf8'),
    weightsBin: new Uint8Array(await readFile(join(dir, 'weights.bin'))).buffer,
    meta: await readFile(join(dir, 'meta.json'), 'utf8'),
  });

  const faces: Face[] = [];
  const again: Face[] = [];
  for (let n = 1; n <= 6; n++) {
    const image = decodeJpeg(await readFile(`${FACE_API}/demo/sample${n}.jpg`));
    const found = await detectFaces(image, { thumbnailSize: 0 });
    const copy = recapture(image);
    const foundAgain = await detectFaces(copy, { thumbnailSize: 0 });
    found.forEach((face, i) => {
      faces.push({ label: `${n}.${i}`, photo: n, image, face });
      const match = nearest(foundAgain, face, 0.5);
      if (match) again.push({ label: `${n}.${i}'`, photo: n, image: copy, face: match });
    });
  }
  const same: [number, number][] = [
    [faces.findIndex((f) => f.label === '1.0'), faces.findIndex((f) => f.label === '3.0')],
  ];
  const different: [number, number][] = [];
  faces.forEach((a, i) =>
    faces.forEach((b, j) => {
      if (j > i && a.photo === b.photo) different.push([i, j]);
    }),
  );
  console.log(
    `${faces.length} faces in 6 photos; 1 same person across photos (1.0~3.0), ${again.length} re-captures, ` +
      `${different.length} pairs of people in one photo (different people)`,
  );
  console.log(
    'framing            | 1.0~3.0 cos  p    | different cos mean/max  p mean/max | recapture cos  p  | AUC cos  AUC p',
  );
  for (const framing of FRAMINGS) {
    const d = await describeFaces(faces.map((f) => framing.crop(f.image, f.face)));
    const r = await describeFaces(again.map((f) => framing.crop(f.image, f.face)));
    const pairProb = async (a: Float32Array, b: Float32Array): Promise<number> =>
      (await head.predict(a, b))[0] ?? NaN;
    const cos = (a: Float32Array, b: Float32Array): number => cosineSimilarity(a, b);
    const at = (k: number): Float32Array => d[k] as Float32Array;
    const [s0, s1] = same[0] as [number, number];
    const sameCos = cos(at(s0), at(s1));
    const sameP = await pairProb(at(s0), at(s1));
    const diffCos = different.map(([i, j]) => cos(at(i), at(j)));
    const diffP = await Promise.all(different.map(([i, j]) => pairProb(at(i), at(j))));
    const recCos = again.map((f, k) =>
      cos(at(faces.findIndex((x) => x.label === f.label.slice(0, -1))), r[k] as Float32Array),
    );
    const recP = await Promise.all(
      again.map((f, k) =>
        pairProb(
          at(faces.findIndex((x) => x.label === f.label.slice(0, -1))),
          r[k] as Float32Array,
        ),
      ),
    );
    const posCos = [sameCos, ...recCos];
    const posP = [sameP, ...recP];
    const labels = [...posCos.map(() => 1), ...diffCos.map(() => 0)];
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    console.log(
      `${framing.name.padEnd(18)} | ${sameCos.toFixed(3)} ${sameP.toFixed(3)} | ` +
        `${mean(diffCos).toFixed(3)} / ${Math.max(...diffCos).toFixed(3)}  ${mean(diffP).toFixed(3)} / ${Math.max(...diffP).toFixed(3)} | ` +
        `${mean(recCos).toFixed(3)} ${mean(recP).toFixed(3)} | ${rocAuc([...posCos, ...diffCos], labels).toFixed(3)}   ${rocAuc([...posP, ...diffP], labels).toFixed(3)}`,
    );
  }
  head.dispose();
}

runIfMain(import.meta.url, main);
