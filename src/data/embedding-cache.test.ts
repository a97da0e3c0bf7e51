import 'fake-indexeddb/auto';
import { IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { KinshipError } from '../lib/errors';
import { sha256Hex } from '../lib/hash';
import { EmbeddingCache } from './embedding-cache';

const ENCODER_A = 'vggface2-resnet50@abc123/pp1';
const ENCODER_B = 'face-descriptor@def456/pp1';

function vector(seed: number, dim: number): Float32Array {
  return Float32Array.from({ length: dim }, (_, i) => Math.sin(seed * 31 + i));
}

let cache: EmbeddingCache | undefined;
afterEach(() => cache?.close());

async function freshCache(chunkSize = 3): Promise<EmbeddingCache> {
  cache = await EmbeddingCache.open({ factory: new IDBFactory(), chunkSize });
  return cache;
}

describe('EmbeddingCache', () => {
  it('round-trips vectors keyed by encoder and image hash, in request order', async () => {
    const c = await freshCache();
    const hashes = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => sha256Hex(new TextEncoder().encode(`image ${i}`))),
    );
    await c.putMany(
      ENCODER_A,
      hashes.map((hash, i) => ({ hash, vector: vector(i, 16) })),
    );
    await c.putMany(ENCODER_B, [{ hash: hashes[0] as string, vector: vector(99, 4) }]);

    const got = await c.getMany(ENCODER_A, [hashes[3] as string, 'missing', hashes[0] as string]);
    expect(got[0]).toEqual(vector(3, 16));
    expect(got[1]).toBeUndefined();
    expect(got[2]).toEqual(vector(0, 16));
    expect(got[2]).toBeInstanceOf(Float32Array);
    expect((await c.getMany(ENCODER_B, [hashes[0] as string]))[0]).toEqual(vector(99, 4));
  });

  it('counts entries and approximate bytes per encoder, and lists encoders', async () => {
    const c = await freshCache();
    await c.putMany(
      ENCODER_A,
      [0, 1, 2, 3].map((i) => ({ hash: `h${i}`, vector: vector(i, 16) })),
    );
    await c.putMany(ENCODER_A, [{ hash: 'h0', vector: vector(7, 16) }]); // overwrite
    await c.putMany(ENCODER_B, [{ hash: 'h0', vector: vector(1, 4) }]);
    const a = await c.stats(ENCODER_A);
    expect(a).toMatchObject({ encoderId: ENCODER_A, count: 4, dim: 16 });
    expect(a.approxBytes).toBe(4 * (16 * 4 + 64 + ENCODER_A.length * 2));
    expect(await c.stats('nothing')).toMatchObject({ count: 0, dim: null, approxBytes: 0 });
    expect(await c.count()).toBe(5);
    const listed = await c.encoders();
    expect(listed.map((s) => [s.encoderId, s.count]).sort()).toEqual(
      [
        [ENCODER_A, 4],
        [ENCODER_B, 1],
      ].sort(),
    );
  });

  it('clears one encoder or everything', async () => {
    const c = await freshCache();
    await c.putMany(ENCODER_A, [
      { hash: 'x', vector: vector(1, 8) },
      { hash: 'y', vector: vector(2, 8) },
    ]);
    await c.putMany(ENCODER_B, [{ hash: 'x', vector: vector(3, 8) }]);
    expect(await c.clearEncoder(ENCODER_A)).toBe(2);
    expect((await c.stats(ENCODER_A)).count).toBe(0);
    expect((await c.getMany(ENCODER_B, ['x']))[0]).toEqual(vector(3, 8));
    await c.clearAll();
    expect(await c.encoders()).toEqual([]);
  });

  it('turns a full quota into STORAGE_QUOTA, saying how much was not saved', async () => {
    const c = await freshCache(2);
    const items = [0, 1, 2, 3, 4].map((i) => ({ hash: `q${i}`, vector: vector(i, 256) }));
    // The third put (second transaction) hits the quota.
    const originalPut = IDBObjectStore.prototype.put;
    let calls = 0;
    IDBObjectStore.prototype.put = function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      calls++;
      if (calls === 3) throw new DOMException('quota', 'QuotaExceededError');
      return originalPut.apply(this, args);
    };
    try {
      const error = await c.putMany(ENCODER_A, items).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(KinshipError);
      expect((error as KinshipError).code).toBe('STORAGE_QUOTA');
      expect((error as KinshipError).message).toMatch(/3 of 5 embeddings \(about 3 KB\)/);
    } finally {
      IDBObjectStore.prototype.put = originalPut;
    }
    // The first transaction stays committed; the failed one left nothing behind.
    expect((await c.stats(ENCODER_A)).count).toBe(2);
  });

  it('reports a transaction aborted by the quota the same way', async () => {
    const c = await freshCache(10);
    const originalPut = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      const request = originalPut.apply(this, args);
      // What browsers do when the disk quota is hit at commit time.
      const tx = this.transaction as unknown as { _abort(name: string): void };
      tx._abort('QuotaExceededError');
      return request;
    };
    try {
      await expect(
        c.putMany(ENCODER_A, [{ hash: 'a', vector: vector(1, 262144) }]),
      ).rejects.toMatchObject({
        code: 'STORAGE_QUOTA',
        message: expect.stringMatching(/1 of 1 .*1\.0 MB/),
      });
    } finally {
      IDBObjectStore.prototype.put = originalPut;
    }
  });
});
