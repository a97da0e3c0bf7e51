import { describe, expect, it } from 'vitest';
import type { PixelImage } from '../face/pixels';
import type { Encoder } from '../encoders/types';
import { cosine, scorePair, verdictAt, type PairHead } from './score';

const img = (v: number, size: number): PixelImage => ({
  width: size,
  height: size,
  channels: 3,
  data: new Uint8Array(size * size * 3).fill(v),
});

/** A deterministic encoder whose embedding is the mean pixel value and its complement. */
function meanEncoder(id: Encoder['id'], crop: Encoder['crop']): Encoder & { seen: number[] } {
  const seen: number[] = [];
  return {
    id,
    label: id,
    dim: 2,
    inputSize: crop === 'descriptor' ? 150 : 224,
    crop,
    identity: id,
    builtIn: false,
    seen,
    embed: async (crops) =>
      crops.map((c) => {
        seen.push(c.width);
        const m = (c.data[0] ?? 0) / 255;
        return new Float32Array([m, 1 - m]);
      }),
    dispose: () => undefined,
  };
}

describe('cosine and verdict', () => {
  it('computes cosine similarity including orthogonal and zero vectors', () => {
    expect(cosine(new Float32Array([1, 0]), new Float32Array([2, 0]))).toBeCloseTo(1);
    expect(cosine(new Float32Array([1, 0]), new Float32Array([0, 3]))).toBeCloseTo(0);
    expect(cosine(new Float32Array([1, 1]), new Float32Array([-1, -1]))).toBeCloseTo(-1);
    expect(cosine(new Float32Array([0, 0]), new Float32Array([1, 1]))).toBe(0);
  });

  it('calls a pair related at or above the threshold', () => {
    expect(verdictAt(0.5, 0.5)).toBe('related');
    expect(verdictAt(0.49, 0.5)).toBe('not related');
  });
});

describe('scorePair', () => {
  const crops = {
    descriptor: [img(255, 150), img(0, 150)] as [PixelImage, PixelImage],
    resnet: [img(255, 224), img(255, 224)] as [PixelImage, PixelImage],
  };

  it('reports similarity without a head and the head probability and verdict with one', async () => {
    const desc = meanEncoder('face-descriptor', 'descriptor');
    const res = meanEncoder('resnet50-vggface', 'resnet');
    const head: PairHead = {
      predict: async () => 0.8,
      threshold: 0.6,
      valAuc: 0.77,
      trainedAt: 'now',
    };
    const scores = await scorePair({
      crops,
      encoders: [desc, res],
      heads: { 'resnet50-vggface': head },
      tta: false,
    });

    expect(scores[0]).toMatchObject({
      encoderId: 'face-descriptor',
      mode: 'similarity',
      verdict: null,
      threshold: null,
    });
    expect(scores[0]?.score).toBeCloseTo(0); // [1,0] vs [0,1]
    expect(scores[1]).toMatchObject({
      mode: 'kinship',
      score: 0.8,
      threshold: 0.6,
      verdict: 'related',
      valAuc: 0.77,
    });
    expect(scores[1]?.cosine).toBeCloseTo(1);
    // Each encoder received its own crop kind.
    expect(desc.seen).toEqual([150, 150]);
    expect(res.seen).toEqual([224, 224]);
  });

  it('stops before the next encoder when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      scorePair({
        crops,
        encoders: [meanEncoder('face-descriptor', 'descriptor')],
        heads: {},
        tta: false,
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
