import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageNode } from '../../cli/train/decode-node';
import { readDatasetFolder } from '../../cli/train/folder';
import { makeFiwFolder, type FiwFixture } from '../../e2e/fiw-fixture';
import { EmbeddingCache } from '../data/embedding-cache';
import { createFaceEnsembleEncoder, l2Normalize } from '../ml/encoders/ensemble';
import { createChannelMeanEncoder } from '../test-support/channel-mean-encoder';
import { datasetIdentity, importDataset, testPaths, trainPaths } from './dataset';
import { encodePaths, type EncodeIo } from './encode';
import { encodeDatasetPaths } from './encode-fused';
import type { LoadedDataset } from './types';

let dir: string;
let fixture: FiwFixture;
const signal = new AbortController().signal;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kinlens-encode-'));
  fixture = makeFiwFolder(dir, 'fiw-mini', { duplicatePhotos: 2 });
  // A photo that is not a JPEG inside: it must fail by name and not stop the run.
  writeFileSync(join(fixture.root, 'train', 'F0002', 'MID2', 'broken.jpg'), 'not a jpeg at all');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function load(): Promise<LoadedDataset> {
  return importDataset(await readDatasetFolder(fixture.root), signal);
}

function io(cache: EmbeddingCache, phases: string[] = []): EncodeIo {
  return {
    store: () => Promise.resolve(cache),
    decode: decodeImageNode,
    signal,
    onProgress: (p) => phases.push(p.phase),
  };
}

describe('encodePaths', () => {
  it('encodes the training photos once, shares byte-identical copies, names failures, then reads the cache', async () => {
    const cache = await EmbeddingCache.open({ factory: new IDBFactory() });
    const ds = await load();
    const paths = trainPaths(ds);
    expect(paths).toHaveLength(fixture.photos + 1);
    expect(paths.some((p) => testPaths(ds).includes(p))).toBe(false);
    const encoder = createChannelMeanEncoder('face-descriptor', 'descriptor', 150);
    const phases: string[] = [];

    const first = await encodePaths(
      ds,
      encoder,
      paths,
      { detect: false, flips: false },
      io(cache, phases),
    );
    expect(first.failed).toEqual([
      {
        path: 'fiw-mini/train/F0002/MID2/broken.jpg',
        message: expect.stringContaining('could not be decoded') as string,
      },
    ]);
    expect(first.identicalFiles).toBe(2);
    expect(encoder.embedded).toBe(fixture.photos - 2);
    expect(first.encoded).toBe(fixture.photos);
    expect(first.fromCache).toBe(0);
    expect(phases).toContain('encoding');
    expect(first.timing.modelSeconds).toBeGreaterThanOrEqual(0);
    expect(first.timing.inputWaitSeconds).toBeLessThanOrEqual(first.timing.encodeSeconds);

    const P011 = 'fiw-mini/train/F0001/MID1/P011_face1.jpg';
    const plainP011 = (d: typeof ds): Float32Array =>
      d.embeddings.get(datasetIdentity(encoder, false))?.get(P011) ?? new Float32Array();
    const vectors = ds.embeddings.get(datasetIdentity(encoder, false));
    const original = vectors?.get(P011);
    expect(original).toHaveLength(6);
    expect(vectors?.get('fiw-mini/train/F0001/MID1/copy 1 of P011_face1.jpg')).toBe(original);

    // A new import (a reload): everything that encoded comes from the cache, nothing is embedded.
    const again = await load();
    const second = await encodePaths(
      again,
      encoder,
      trainPaths(again),
      { detect: false, flips: false },
      io(cache),
    );
    expect(encoder.embedded).toBe(fixture.photos - 2);
    expect(second.fromCache).toBe(fixture.photos);
    expect(Array.from(plainP011(again))).toEqual(Array.from(original ?? []));

    // Asking for mirrored images later embeds only the mirrored ones: plain vectors stay cached.
    const withFlips = await encodePaths(
      again,
      encoder,
      trainPaths(again),
      { detect: false, flips: true },
      io(cache),
    );
    expect(encoder.embedded).toBe(2 * (fixture.photos - 2));
    expect(withFlips.fromCache).toBe(0);
    const flipped = again.embeddings.get(`${datasetIdentity(encoder, false)}#flip`)?.get(P011);
    expect(flipped).toHaveLength(6);
    expect(Array.from(plainP011(again))).toEqual(Array.from(original ?? []));
    cache.close();
  });
});

describe('encodeDatasetPaths with a fused encoder', () => {
  it('encodes each part with its own crop under its own identity, reuses cached parts, and caches the fused vectors', async () => {
    const cache = await EmbeddingCache.open({ factory: new IDBFactory() });
    const descriptor = createChannelMeanEncoder('face-descriptor', 'descriptor', 150);
    const faceres = createChannelMeanEncoder('faceres', 'resnet', 224);
    const deep = createChannelMeanEncoder('faceres-deep', 'resnet', 224);
    const fused = createFaceEnsembleEncoder(descriptor, faceres, deep);
    const ds = await load();
    const paths = trainPaths(ds).filter((p) => !p.endsWith('broken.jpg'));
    const unique = paths.length - 2;

    // The descriptor alone first (as when it was trained on its own earlier).
    await encodeDatasetPaths(ds, descriptor, paths, { detect: false, flips: false }, io(cache));
    expect(descriptor.embedded).toBe(unique);

    const result = await encodeDatasetPaths(
      ds,
      fused,
      paths,
      { detect: false, flips: false },
      io(cache),
    );
    expect(descriptor.embedded).toBe(unique); // cached part: nothing recomputed
    expect(faceres.embedded).toBe(unique);
    expect(deep.embedded).toBe(unique);
    expect(result).toMatchObject({ encoderId: 'face-ensemble', total: paths.length, fromCache: 0 });
    expect(result.failed).toEqual([]);

    const path = paths[5] as string;
    const part = (e: typeof descriptor) =>
      ds.embeddings.get(datasetIdentity(e, false))?.get(path) as Float32Array;
    const expected = [
      ...l2Normalize(part(descriptor)),
      ...l2Normalize(part(faceres)),
      ...l2Normalize(part(deep)),
    ];
    const vector = ds.embeddings.get(datasetIdentity(fused, false))?.get(path);
    expect(vector).toHaveLength(18);
    Array.from(vector ?? []).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 6));
    // Different crop sizes reach the parts: the resnet parts see the 224² crop, not the 150² chip.
    expect(part(faceres)).toEqual(part(deep));

    // Fused vectors are cached under datasetIdentity(fused): a new import embeds nothing at all.
    const again = await load();
    const second = await encodeDatasetPaths(
      again,
      fused,
      paths,
      { detect: false, flips: false },
      io(cache),
    );
    expect(second.fromCache).toBe(paths.length);
    expect([descriptor.embedded, faceres.embedded, deep.embedded]).toEqual([
      unique,
      unique,
      unique,
    ]);
    const stored = await cache.getMany(datasetIdentity(fused, false), [
      again.hashes.get(path) as string,
    ]);
    expect(Array.from(stored[0] ?? [])).toEqual(Array.from(vector ?? []));
    cache.close();
  });
});
