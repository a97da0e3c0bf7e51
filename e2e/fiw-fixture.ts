/**
 * A small generated Families-in-the-Wild folder in the Kaggle layout. Every family has its own
 * visual signature (a seeded arrangement of coloured ellipses on a gradient); members vary it
 * slightly and every photo adds noise and a shift, so kin photos look alike and strangers do not.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { mulberry32 as rng } from '../src/test-support/rng';

export interface FiwFixture {
  root: string;
  families: string[];
  members: number;
  photos: number;
  kinPairs: number;
  pairsWithoutPhotos: number;
  testImages: number;
  testPairs: number;
}

interface Blob2D {
  x: number;
  y: number;
  rx: number;
  ry: number;
  color: [number, number, number];
}

function signature(seed: number): { bg: [number, number, number][]; blobs: Blob2D[] } {
  const r = rng(seed);
  const col = (): [number, number, number] => [r() * 255, r() * 255, r() * 255];
  return {
    bg: [col(), col()],
    blobs: Array.from({ length: 5 }, () => ({
      x: r(),
      y: r(),
      rx: 0.1 + r() * 0.25,
      ry: 0.1 + r() * 0.25,
      color: col(),
    })),
  };
}

function render(
  sig: ReturnType<typeof signature>,
  seed: number,
  size: number,
  jitter: number,
  format: ImageFormat = 'jpeg',
): Buffer {
  const r = rng(seed);
  const dx = (r() - 0.5) * 0.06;
  const dy = (r() - 0.5) * 0.06;
  const data = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = x / size + dx;
      const v = y / size + dy;
      const [a, b] = sig.bg as [[number, number, number], [number, number, number]];
      let c = [0, 1, 2].map((k) => (a[k] as number) * (1 - v) + (b[k] as number) * v);
      for (const blob of sig.blobs) {
        const d = ((u - blob.x) / blob.rx) ** 2 + ((v - blob.y) / blob.ry) ** 2;
        if (d < 1) c = blob.color.map((k, i) => k * 0.8 + (c[i] as number) * 0.2);
      }
      const i = (y * size + x) * 4;
      for (let k = 0; k < 3; k++)
        data[i + k] = Math.max(0, Math.min(255, (c[k] as number) + (r() - 0.5) * jitter));
      data[i + 3] = 255;
    }
  }
  if (format === 'png') {
    const png = new PNG({ width: size, height: size });
    png.data = data;
    return PNG.sync.write(png);
  }
  return Buffer.from(jpeg.encode({ data, width: size, height: size }, 90).data);
}

function memberSignature(
  family: ReturnType<typeof signature>,
  seed: number,
): ReturnType<typeof signature> {
  const r = rng(seed);
  return {
    bg: family.bg,
    blobs: family.blobs.map((b) => ({
      ...b,
      x: b.x + (r() - 0.5) * 0.05,
      y: b.y + (r() - 0.5) * 0.05,
      color: b.color.map((c) => c + (r() - 0.5) * 30) as [number, number, number],
    })),
  };
}

type ImageFormat = 'jpeg' | 'png';

export interface FiwOptions {
  /** Extra byte-identical copies of the first photo of F0001/MID1, under new names. */
  duplicatePhotos?: number;
  /**
   * 'png' writes lossless .png photos: every decoder (the browser's, the CLI's jpeg-js/pngjs)
   * then sees the same pixels. Default 'jpeg' (.jpg), as FIW ships.
   */
  format?: ImageFormat;
}

/** Writes the folder and returns what its import report must say. */
export function makeFiwFolder(
  parent: string,
  name = 'fiw-mini',
  options: FiwOptions = {},
): FiwFixture {
  const root = join(parent, name);
  const format = options.format ?? 'jpeg';
  const ext = format === 'png' ? 'png' : 'jpg';
  rmSync(root, { recursive: true, force: true });
  const families = [
    ...Array.from({ length: 9 }, (_, i) => `F000${i + 1}`),
    'F0901',
    'F0902',
    'F0903',
  ];
  const size = 96;
  const rows: string[] = ['p1,p2,relationship'];
  let photos = 0;
  families.forEach((fam, fi) => {
    const famSig = signature(1000 + fi);
    for (let m = 1; m <= 4; m++) {
      const dir = join(root, 'train', fam, `MID${m}`);
      mkdirSync(dir, { recursive: true });
      const memSig = memberSignature(famSig, fi * 10 + m);
      for (let p = 1; p <= 3; p++) {
        writeFileSync(
          join(dir, `P${fi}${m}${p}_face${p}.${ext}`),
          render(memSig, fi * 100 + m * 10 + p, size, 24, format),
        );
        photos++;
      }
    }
    // MID1 and MID2 are the parents (spouses: never listed), MID3 and MID4 their children.
    for (const [a, b] of [
      [1, 3],
      [1, 4],
      [2, 3],
      [2, 4],
      [3, 4],
    ]) {
      rows.push(`${fam}/MID${a},${fam}/MID${b},kin`);
    }
  });
  // Copies of one photo, as downloads and re-exports leave behind.
  const original = join(root, 'train', 'F0001', 'MID1', `P011_face1.${ext}`);
  for (let k = 1; k <= (options.duplicatePhotos ?? 0); k++) {
    copyFileSync(original, join(root, 'train', 'F0001', 'MID1', `copy ${k} of P011_face1.${ext}`));
    photos++;
  }
  // A reversed duplicate, a Windows-style path and a member without photos.
  rows.push('F0001/MID3,F0001/MID1,kin');
  rows.push('F0002\\MID1,F0002\\MID3,kin');
  rows.push('F0003/MID1,F0003/MID9,kin');
  writeFileSync(join(root, 'train_relationships.csv'), `\ufeff${rows.join('\r\n')}\r\n`);
  writeFileSync(join(root, 'train', 'notes.txt'), 'not a photo');

  // Test images: two photos of each validation family member pair, listed in sample_submission.
  const testDir = join(root, 'test');
  mkdirSync(testDir, { recursive: true });
  const testNames: string[] = [];
  ['F0901', 'F0902', 'F0903'].forEach((fam, k) => {
    const fi = families.indexOf(fam);
    const famSig = signature(1000 + fi);
    for (const m of [1, 3]) {
      const name = `face${k}${m}.${ext}`;
      writeFileSync(
        join(testDir, name),
        render(memberSignature(famSig, fi * 10 + m), 9000 + fi * 10 + m, size, 24, format),
      );
      testNames.push(name);
    }
  });
  const pairs: string[] = [];
  for (let i = 0; i < testNames.length; i++) {
    for (let j = i + 1; j < testNames.length; j++) pairs.push(`${testNames[i]}-${testNames[j]},0`);
  }
  writeFileSync(join(root, 'sample_submission.csv'), `img_pair,is_related\n${pairs.join('\n')}\n`);

  return {
    root,
    families,
    members: families.length * 4,
    photos,
    kinPairs: families.length * 5,
    pairsWithoutPhotos: 1,
    testImages: testNames.length,
    testPairs: pairs.length,
  };
}
