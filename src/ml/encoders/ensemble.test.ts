/**
 * The face ensemble on the real parts (wasm): the face-api descriptor and both faceres models
 * loaded from the npm packages, fed the fixed sample face.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFaceModels } from '../face/models';
import { countLeakedTensors } from '../face/leaks';
import type { PixelImage } from '../face/pixels';
import { embedFaces, scoreTwoGroups } from '../pair/score';
import { tf } from '../tf';
import { humanModelsReader, mirror, sampleFaceCrop } from '../../test-support/sample-face';
import { concatFusion, createFaceEnsembleEncoder, embedFused, l2Normalize } from './ensemble';
import { createFaceDescriptorEncoder } from './face-descriptor';
import { createFaceresEncoder } from './faceres';
import type { Encoder } from './types';

let descriptor: Encoder;
let faceres: Encoder;
let faceresDeep: Encoder;
const crops: { descriptor: [PixelImage, PixelImage]; resnet: [PixelImage, PixelImage] } = {
  descriptor: [] as unknown as [PixelImage, PixelImage],
  resnet: [] as unknown as [PixelImage, PixelImage],
};

beforeAll(async () => {
  await tf.setBackend('wasm');
  await loadFaceModels({
    readFile: (name) => readFile(join('node_modules/@vladmandic/face-api/model', name)),
  });
  descriptor = createFaceDescriptorEncoder();
  faceres = await createFaceresEncoder('faceres', { readFile: humanModelsReader });
  faceresDeep = await createFaceresEncoder('faceres-deep', { readFile: humanModelsReader });
  const small = await sampleFaceCrop(150);
  const large = await sampleFaceCrop(224);
  crops.descriptor = [small, mirror(small)];
  crops.resnet = [large, mirror(large)];
});

afterAll(() => {
  faceres.dispose();
  faceresDeep.dispose();
});

/** The same encoder, counting the crops it is asked to embed. */
function counting(e: Encoder): Encoder & { calls: number } {
  const wrapped = {
    ...e,
    calls: 0,
    embed: (c: readonly PixelImage[], o?: Parameters<Encoder['embed']>[1]) => {
      wrapped.calls += 1;
      return e.embed(c, o);
    },
  };
  return wrapped;
}

describe('face ensemble', () => {
  it('is 2176-d: each part L2-normalised, concatenated in order, with an identity built from the parts', async () => {
    const ensemble = createFaceEnsembleEncoder(descriptor, faceres, faceresDeep);
    expect(ensemble).toMatchObject({ id: 'face-ensemble', dim: 2176, builtIn: true });
    expect(ensemble.fused?.parts.map((p) => p.id)).toEqual([
      'face-descriptor',
      'faceres',
      'faceres-deep',
    ]);
    expect(ensemble.identity).toBe(
      `ensemble(${descriptor.identity}+${faceres.identity}+${faceresDeep.identity})/pre1`,
    );

    const { result, leaked } = await countLeakedTensors(() => embedFused(ensemble, crops));
    expect(leaked).toBe(0);
    expect(result).toHaveLength(2);
    const [d] = await descriptor.embed([crops.descriptor[0]]);
    const [f] = await faceres.embed([crops.resnet[0]]);
    const [g] = await faceresDeep.embed([crops.resnet[0]]);
    if (!d || !f || !g) throw new Error('missing part embedding');
    const fusedVector = result[0] as Float32Array;
    expect(fusedVector).toHaveLength(2176);
    const segments = [
      fusedVector.subarray(0, 128),
      fusedVector.subarray(128, 1152),
      fusedVector.subarray(1152),
    ];
    const expected = [d, f, g].map(l2Normalize);
    segments.forEach((s, i) => {
      const norm = Math.hypot(...s);
      expect(norm).toBeCloseTo(1, 5);
      const e = expected[i] as Float32Array;
      expect(Math.max(...s.map((x, k) => Math.abs(x - (e[k] ?? 0))))).toBeLessThan(1e-5);
    });
    // The raw faceres vector is far from unit length, so normalisation is not a no-op.
    expect(Math.hypot(...f)).toBeGreaterThan(5);
  });

  it('has no crop of its own: embed says to go through the parts', async () => {
    const ensemble = createFaceEnsembleEncoder(descriptor, faceres, faceresDeep);
    await expect(ensemble.embed(crops.resnet)).rejects.toThrow(/fused from its parts/);
    expect(() => createFaceEnsembleEncoder(faceres, descriptor, faceresDeep)).toThrow(
      /part 1 must be face-descriptor/,
    );
  });

  it('its identity changes whenever a part changes', () => {
    const base = createFaceEnsembleEncoder(descriptor, faceres, faceresDeep).identity;
    const newWeights = { ...faceresDeep, identity: faceresDeep.identity.replace(/pre1$/, 'pre2') };
    const other = createFaceEnsembleEncoder(descriptor, faceres, newWeights).identity;
    expect(other).not.toBe(base);
    expect(other).toContain('pre2');
  });

  it('reuses cached part vectors: with every part given, no part embeds', async () => {
    const parts = [counting(descriptor), counting(faceres), counting(faceresDeep)] as const;
    const ensemble = createFaceEnsembleEncoder(...parts);
    const cached = new Map<string, Float32Array[]>();
    for (const p of parts) cached.set(p.identity, await p.embed(crops[p.crop]));
    const callsBefore = parts.map((p) => p.calls);
    const fromCache = await embedFused(ensemble, {}, {}, async (part) => {
      const hit = cached.get(part.identity);
      if (!hit) throw new Error(`not cached: ${part.id}`);
      return hit;
    });
    expect(parts.map((p) => p.calls)).toEqual(callsBefore);
    const direct = await embedFused(ensemble, crops);
    expect(fromCache).toEqual(direct);
  });

  it('the pair scorer embeds each part once per pair, even with the parts and the ensemble all listed', async () => {
    const parts = [counting(descriptor), counting(faceres), counting(faceresDeep)] as const;
    const ensemble = createFaceEnsembleEncoder(...parts);
    const encoders = [ensemble, ...parts];
    const faces = [0, 1].map((i) => ({
      descriptor: crops.descriptor[i] as PixelImage,
      resnet: crops.resnet[i] as PixelImage,
    }));
    const { result, leaked } = await countLeakedTensors(async () =>
      scoreTwoGroups({
        faces: await embedFaces(faces, encoders, { tta: false }),
        encoders,
        heads: {},
        a: [0],
        b: [1],
      }),
    );
    const scores = result.scores;
    expect(leaked).toBe(0);
    expect(parts.map((p) => p.calls)).toEqual([1, 1, 1]);
    expect(scores.map((s) => s.encoderId)).toEqual([
      'face-ensemble',
      'face-descriptor',
      'faceres',
      'faceres-deep',
    ]);
    // The ensemble's cosine is the mean of its unit-length parts' cosines (three equal blocks).
    const [ens, ...rest] = scores;
    const mean = rest.reduce((n, s) => n + s.cosine, 0) / 3;
    expect(ens?.cosine).toBeCloseTo(mean, 5);
    for (const s of scores) expect(Number.isFinite(s.cosine)).toBe(true);
    // Its time is what its parts cost (they ran for it), so at least each part's.
    for (const s of rest) expect(ens?.ms ?? 0).toBeGreaterThanOrEqual(s.ms - 1);
  });

  it('concatFusion checks the part lengths', () => {
    const fusion = concatFusion([descriptor, faceres]);
    expect(() => fusion.fuse([new Float32Array(128)])).toThrow(
      /expected vectors of lengths 128, 1024/,
    );
    const zero = fusion.fuse([new Float32Array(128), new Float32Array(1024).fill(2)]);
    expect(zero.subarray(0, 128).every((x) => x === 0)).toBe(true);
    expect(zero[128]).toBeCloseTo(1 / 32, 6);
  });
});
