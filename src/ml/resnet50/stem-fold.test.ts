import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PixelImage } from '../face/pixels';
import { tf } from '../tf';
import { mulberry32, uniformArray } from '../../test-support/rng';
import { IMAGENET_CAFFE_MEAN_BGR, preprocessBatch, VGGFACE2_MEAN_BGR } from './preprocess';
import {
  foldPreprocessingIntoStem,
  paddedPixelBatch,
  stemPadding,
  type StemPadding,
} from './stem-fold';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function image(width: number, height: number, channels: 3 | 4, seed: number, lo = 0): PixelImage {
  const rand = mulberry32(seed);
  const data = new Uint8ClampedArray(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(lo + (256 - lo) * rand());
  return { width, height, channels, data };
}

describe('stem padding', () => {
  it("follows TensorFlow's 'same' rule for the vggface 7×7/2 conv (2 before, 3 after at 224)", () => {
    const same = { kernel: 7, strides: 2, padding: 'same', zeroPad: 0 } as const;
    expect(stemPadding(same, 224, 224)).toEqual({ top: 2, bottom: 3, left: 2, right: 3 });
    // 197: out 99, total (99−1)·2 + 7 − 197 = 6 → 3/3; 198: total 5 → 2/3.
    expect(stemPadding(same, 197, 198)).toEqual({ top: 3, bottom: 3, left: 2, right: 3 });
  });

  it('is the ZeroPadding2D amount for the Keras stem', () => {
    const valid = { kernel: 7, strides: 2, padding: 'valid', zeroPad: 3 } as const;
    expect(stemPadding(valid, 224, 224)).toEqual({ top: 3, bottom: 3, left: 3, right: 3 });
  });
});

describe('paddedPixelBatch', () => {
  it('drops alpha, keeps RGB order and fills the border with the given colour', async () => {
    const a = image(3, 2, 4, 1);
    const b = image(3, 2, 4, 2);
    const pad: StemPadding = { top: 1, bottom: 2, left: 0, right: 1 };
    const batch = paddedPixelBatch([a, b], pad, [7, 8, 9]);
    expect(batch.shape).toEqual([2, 5, 4, 3]);
    const v = await batch.data();
    batch.dispose();
    for (const [n, im] of [a, b].entries()) {
      for (let y = 0; y < 5; y++) {
        for (let x = 0; x < 4; x++) {
          const o = ((n * 5 + y) * 4 + x) * 3;
          const inside = y >= 1 && y < 3 && x < 3;
          const i = ((y - 1) * 3 + x) * 4;
          const want = inside ? [im.data[i], im.data[i + 1], im.data[i + 2]] : [7, 8, 9];
          expect([v[o], v[o + 1], v[o + 2]]).toEqual(want);
        }
      }
    }
  });

  it('refuses images of different sizes', () => {
    const pad: StemPadding = { top: 0, bottom: 0, left: 0, right: 0 };
    expect(() => paddedPixelBatch([image(2, 2, 3, 1), image(3, 2, 3, 1)], pad, [0, 0, 0])).toThrow(
      /differ in size/,
    );
  });
});

describe('preprocessing folded into the stem conv', () => {
  const rand = mulberry32(4);
  const filter = tf.tensor4d(uniformArray(rand, 7 * 7 * 3 * 8, -0.1, 0.1), [7, 7, 3, 8]);
  const bias = tf.tensor1d(uniformArray(rand, 8, -0.5, 0.5));
  afterAll(() => tf.dispose([filter, bias]));

  /** Keras: preprocess, zero-pad the preprocessed image, conv 'valid', + bias. */
  function reference(im: PixelImage, pad: StemPadding, meanBgr: typeof VGGFACE2_MEAN_BGR) {
    return tf.tidy(() => {
      const rgb = paddedPixelBatch([im], { top: 0, bottom: 0, left: 0, right: 0 }, [0, 0, 0]);
      const pre = tf.pad(preprocessBatch(rgb, meanBgr), [
        [0, 0],
        [pad.top, pad.bottom],
        [pad.left, pad.right],
        [0, 0],
      ]);
      return tf.add(tf.conv2d(pre as tf.Tensor4D, filter, 2, 'valid'), bias) as tf.Tensor4D;
    });
  }

  function folded(
    im: PixelImage,
    pad: StemPadding,
    fill: [number, number, number],
    meanBgr: typeof VGGFACE2_MEAN_BGR,
  ) {
    return tf.tidy(() => {
      const f = foldPreprocessingIntoStem(filter, bias, meanBgr);
      const raw = paddedPixelBatch([im], pad, fill);
      return tf.add(tf.conv2d(raw, f.filter, 2, 'valid'), f.bias) as tf.Tensor4D;
    });
  }

  async function compare(
    a: tf.Tensor4D,
    b: tf.Tensor4D,
  ): Promise<{ border: number; inside: number }> {
    const [h, w, c] = [a.shape[1], a.shape[2], a.shape[3]];
    const [x, y] = [await a.data(), await b.data()];
    tf.dispose([a, b]);
    let border = 0;
    let inside = 0;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        for (let k = 0; k < c; k++) {
          const o = (i * w + j) * c + k;
          const d = Math.abs((x[o] ?? 0) - (y[o] ?? 0));
          // Outputs 0–1 and the last two see the 2–3 padded rows/columns of a 7×7/2 window.
          const edge = i < 2 || j < 2 || i >= h - 2 || j >= w - 2;
          if (edge) border = Math.max(border, d);
          else inside = Math.max(inside, d);
        }
      }
    }
    return { border, inside };
  }

  it.each([
    ['vggface', VGGFACE2_MEAN_BGR, { top: 2, bottom: 3, left: 2, right: 3 }],
    ['keras', IMAGENET_CAFFE_MEAN_BGR, { top: 3, bottom: 3, left: 3, right: 3 }],
  ] as const)(
    '%s: padding the raw image with the mean colour gives Keras’s output everywhere, border included',
    async (_name, meanBgr, pad) => {
      const start = tf.memory().numTensors;
      // A bright image: the padded border (mean colour vs raw 0) differs by ~100 per channel.
      const im = image(20, 20, 4, 9, 150);
      const fill: [number, number, number] = [meanBgr[2], meanBgr[1], meanBgr[0]];
      const good = await compare(reference(im, pad, meanBgr), folded(im, pad, fill, meanBgr));
      expect(good.inside).toBeLessThan(1e-3);
      expect(good.border).toBeLessThan(1e-3);
      // The trap: zero-padding the raw image matches inside but is wrong at the border.
      const bad = await compare(reference(im, pad, meanBgr), folded(im, pad, [0, 0, 0], meanBgr));
      expect(bad.inside).toBeLessThan(1e-3);
      expect(bad.border).toBeGreaterThan(0.5);
      expect(tf.memory().numTensors).toBe(start);
    },
  );
});
