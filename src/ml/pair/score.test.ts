import { describe, expect, it } from 'vitest';
import type { PixelImage } from '../face/pixels';
import type { Encoder } from '../encoders/types';
import { measuredScoring } from '../head/bands';
import { resolveTrainOptions } from '../head/config';
import { minimalMeta, type HeadMeta } from '../head/meta';
import { chooseHead, type PairHead } from './head-choice';
import {
  cosine,
  embedFaces,
  needsMirroredFaces,
  scoreGroupPairs,
  scoreTwoGroups,
  type FaceCrops,
  type FaceVectorCache,
} from './score';
import { SAME_PERSON_COSINE, samePersonCheck } from './verdict';

const img = (v: number, size: number): PixelImage => ({
  width: size,
  height: size,
  channels: 3,
  data: new Uint8Array(size * size * 3).fill(v),
});
const face = (v: number): FaceCrops => ({ descriptor: img(v, 150), resnet: img(v, 224) });

/** Embedding [m, 1 − m] where m is the crop's pixel value / 255; counts the crops it saw. */
function meanEncoder(id: Encoder['id'], crop: Encoder['crop']): Encoder & { seen: number[] } {
  const seen: number[] = [];
  return {
    id,
    label: id,
    dim: 2,
    inputSize: crop === 'descriptor' ? 150 : 224,
    crop,
    identity: `${id}/test`,
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

const ARCH = { embeddingDim: 2, hiddenUnits: 4, dropout: 0, diffSquares: false };

/** A head whose probability is the first component of the left embedding. */
function headOf(meta: Partial<HeadMeta> = {}): PairHead & { calls: number } {
  const head = {
    calls: 0,
    meta: { ...minimalMeta('face-descriptor/test', ARCH), ...meta },
    predict: async (left: Float32Array) => {
      head.calls++;
      return Float32Array.from({ length: left.length / 2 }, (_, i) => left[i * 2] ?? 0);
    },
  };
  return head;
}

const validated = (): Partial<HeadMeta> => {
  const scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];
  const labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
  return {
    createdAt: '2026-11-30T10:00:00.000Z',
    dataset: { name: 'fiw-small', families: 20, photos: 400 },
    validation: {
      imageAuc: 0.9,
      memberAuc: 0.92,
      accuracy: 0.8,
      imagePairs: 10,
      memberPairs: 10,
      bestEpoch: 1,
      epochsRun: 1,
      roc: [],
      memberRoc: [],
      families: 4,
      scoring: {
        image: measuredScoring(scores, labels),
        member: measuredScoring(scores, labels),
      },
    },
  };
};

describe('cosine', () => {
  it('computes cosine similarity including orthogonal and zero vectors', () => {
    expect(cosine(new Float32Array([1, 0]), new Float32Array([2, 0]))).toBeCloseTo(1);
    expect(cosine(new Float32Array([1, 0]), new Float32Array([0, 3]))).toBeCloseTo(0);
    expect(cosine(new Float32Array([1, 1]), new Float32Array([-1, -1]))).toBeCloseTo(-1);
    expect(cosine(new Float32Array([0, 0]), new Float32Array([1, 1]))).toBe(0);
  });
});

describe('embedFaces', () => {
  it('gives each encoder its own crop kind and computes only what the cache lacks', async () => {
    const desc = meanEncoder('face-descriptor', 'descriptor');
    const res = meanEncoder('resnet50-vggface', 'resnet');
    const store = new Map<string, Float32Array>();
    const cache: FaceVectorCache = {
      get: (i, f) => store.get(`${i}|${f}`),
      set: (i, f, v) => store.set(`${i}|${f}`, v),
    };
    const faces = [face(255), face(0)];
    const first = await embedFaces(faces, [desc, res], { tta: false, cache });
    expect(desc.seen).toEqual([150, 150]);
    expect(res.seen).toEqual([224, 224]);
    expect(Array.from(first.vectors.get('face-descriptor')?.[0] ?? [])).toEqual([1, 0]);
    await embedFaces(faces, [desc, res], { tta: false, cache });
    expect(desc.seen).toHaveLength(2); // all from the cache
    await embedFaces(faces, [desc], { tta: true, cache });
    expect(desc.seen).toHaveLength(4); // mirrored faces are other features
  });

  it('builds a fused encoder from its parts, running a part scored on its own once', async () => {
    const desc = meanEncoder('face-descriptor', 'descriptor');
    const other = meanEncoder('faceres', 'resnet');
    const fused: Encoder = {
      ...meanEncoder('face-ensemble', 'descriptor'),
      dim: 4,
      embed: async () => {
        throw new Error('fused encoders embed through their parts');
      },
      fused: {
        parts: [desc, other],
        fuse: (parts) => Float32Array.from(parts.flatMap((p) => Array.from(p))),
      },
    };
    const out = await embedFaces([face(255)], [desc, fused], { tta: false });
    expect(desc.seen).toEqual([150]);
    expect(other.seen).toEqual([224]);
    expect(Array.from(out.vectors.get('face-ensemble')?.[0] ?? [])).toEqual([1, 0, 1, 0]);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      embedFaces([face(1)], [meanEncoder('face-descriptor', 'descriptor')], {
        tta: false,
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('scoring groups of faces', () => {
  const desc = meanEncoder('face-descriptor', 'descriptor');

  it('averages the head over all A×B face pairs and reports the spread and pair count', async () => {
    // Person A: faces 0.2 and 0.6 (left side of the pair), person B: 3 faces.
    const faces = [face(51), face(153), face(0), face(0), face(0)];
    const vectors = await embedFaces(faces, [desc], { tta: false });
    const head = headOf(validated());
    const resolved = chooseHead({ builtIn: null, user: head }, null);
    const result = await scoreTwoGroups({
      faces: vectors,
      encoders: [desc],
      heads: resolved ? { 'face-descriptor': resolved } : {},
      a: [0, 1],
      b: [2, 3, 4],
    });
    expect(result.pairs).toBe(6);
    const k = result.scores[0]?.kinship;
    expect(k?.probability).toBeCloseTo(0.4, 6);
    expect(k?.spread.min).toBeCloseTo(0.2, 6);
    expect(k?.spread.max).toBeCloseTo(0.6, 6);
    expect(k?.level).toBe('member');
    expect(k?.scoringSource).toBe('measured');
    expect(head.calls).toBe(1);
  });

  it('scores every pair of a family matrix with one head call per encoder, symmetric', async () => {
    const faces = [face(255), face(200), face(40)];
    const vectors = await embedFaces(faces, [desc], { tta: false });
    const head = headOf(validated());
    const resolved = chooseHead({ builtIn: head, user: null }, null);
    const groups = [[0], [1], [2]];
    const pairs: [number, number][] = [
      [0, 1],
      [0, 2],
      [1, 2],
    ];
    const matrix = await scoreGroupPairs({
      faces: vectors,
      encoders: [desc],
      heads: resolved ? { 'face-descriptor': resolved } : {},
      groups,
      pairs,
    });
    expect(matrix).toHaveLength(3);
    expect(head.calls).toBe(1);
    expect(matrix.map((m) => m.scores[0]?.kinship?.level)).toEqual(['image', 'image', 'image']);
    const [ab] = await scoreGroupPairs({
      faces: vectors,
      encoders: [desc],
      heads: {},
      groups,
      pairs: [[1, 0]],
    });
    expect(ab?.scores[0]?.cosine).toBeCloseTo(matrix[0]?.scores[0]?.cosine ?? NaN, 12);
  });

  it('flags the same person from the descriptor cosine and reports no head as such', async () => {
    const vectors = await embedFaces([face(255), face(255)], [desc], { tta: false });
    const result = await scoreTwoGroups({
      faces: vectors,
      encoders: [desc],
      heads: {},
      a: [0],
      b: [1],
    });
    expect(result.samePerson).toEqual({ cosine: 1, threshold: SAME_PERSON_COSINE });
    expect(result.scores[0]?.kinship).toBeNull();
  });
});

describe('flip TTA for heads validated with it', () => {
  const desc = meanEncoder('face-descriptor', 'descriptor');
  it('averages each pair over the faces and their mirror images, and says so', async () => {
    const faces = await embedFaces([face(51), face(0)], [desc], { tta: false });
    // Stand-in mirrored vectors: A's mirror image reads 0.6 where A reads 0.2.
    const mirroredFaces = {
      vectors: new Map([
        ['face-descriptor' as const, [new Float32Array([0.6, 0.4]), new Float32Array([0, 1])]],
      ]),
      ms: new Map(),
    };
    const ttaHead = headOf({ ...validated(), training: resolveTrainOptions({ flipTta: true }) });
    const plainHead = headOf(validated());
    const score = async (head: PairHead) => {
      const resolved = chooseHead({ builtIn: null, user: head }, null);
      const heads = resolved ? { 'face-descriptor': resolved } : {};
      const result = await scoreTwoGroups({
        faces,
        mirroredFaces,
        encoders: [desc],
        heads,
        a: [0],
        b: [1],
      });
      return {
        kinship: result.scores[0]?.kinship,
        needs: needsMirroredFaces([desc], heads, false),
      };
    };
    const tta = await score(ttaHead);
    expect(tta.kinship?.probability).toBeCloseTo(0.4, 6);
    expect(tta.kinship?.mirrored).toBe(true);
    expect(tta.needs.map((e) => e.id)).toEqual(['face-descriptor']);
    const plain = await score(plainHead);
    expect(plain.kinship?.probability).toBeCloseTo(0.2, 6);
    expect(plain.kinship?.mirrored).toBeUndefined();
    expect(plain.needs).toEqual([]);
    // Embedding TTA already makes each vector mirror-symmetric: no mirrored pass then.
    const resolved = chooseHead({ builtIn: null, user: ttaHead }, null);
    expect(
      needsMirroredFaces([desc], resolved ? { 'face-descriptor': resolved } : {}, true),
    ).toEqual([]);
  });
});

describe('samePersonCheck', () => {
  it('fires at the threshold and above only', () => {
    expect(samePersonCheck(SAME_PERSON_COSINE)).not.toBeNull();
    expect(samePersonCheck(SAME_PERSON_COSINE - 1e-6)).toBeNull();
    expect(samePersonCheck(null)).toBeNull();
    expect(samePersonCheck(NaN)).toBeNull();
  });
});

describe('chooseHead', () => {
  const builtIn = headOf({ createdAt: '2026-12-02T01:03:06.927Z' });
  const user = headOf(validated());

  it("lets the user's head take over, and switches back to the built-in one on request", () => {
    expect(chooseHead({ builtIn, user: null }, null)?.provenance).toMatchObject({
      source: 'built-in',
      alternative: null,
    });
    const taken = chooseHead({ builtIn, user }, null);
    expect(taken?.head).toBe(user);
    expect(taken?.provenance).toMatchObject({
      source: 'user',
      alternative: 'built-in',
      datasetName: 'fiw-small',
      auc: 0.92,
      validationFamilies: 4,
    });
    const back = chooseHead({ builtIn, user }, 'built-in');
    expect(back?.head).toBe(builtIn);
    expect(back?.provenance.alternative).toBe('user');
    expect(chooseHead({ builtIn, user }, 'user')?.head).toBe(user);
  });

  it('uses what exists when the preferred head is missing, and nothing without heads', () => {
    expect(chooseHead({ builtIn: null, user }, 'built-in')?.head).toBe(user);
    expect(chooseHead({ builtIn, user: null }, 'user')?.head).toBe(builtIn);
    expect(chooseHead({ builtIn: null, user: null }, 'user')).toBeNull();
  });
});
