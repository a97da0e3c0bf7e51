import 'fake-indexeddb/auto';
import { IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { KinshipError } from '../lib/errors';
import { EmbeddingCache } from './embedding-cache';
import { EmbeddingSaver } from './embedding-saver';

const ENCODER = 'face-descriptor@abc/pp1/crop';
const batch = (from: number, n: number, dim = 128) =>
  Array.from({ length: n }, (_, i) => ({
    hash: `h${from + i}`,
    vector: new Float32Array(dim).fill(from + i),
  }));

let cache: EmbeddingCache | undefined;
afterEach(() => cache?.close());

describe('EmbeddingSaver', () => {
  it('keeps going when the quota fills up, and counts what was not saved', async () => {
    cache = await EmbeddingCache.open({ factory: new IDBFactory() });
    const opened = cache;
    const saver = new EmbeddingSaver(() => Promise.resolve(opened));
    const originalPut = IDBObjectStore.prototype.put;
    let puts = 0;
    // Room for the first batch of 16 only.
    IDBObjectStore.prototype.put = function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (++puts > 16) throw new DOMException('full', 'QuotaExceededError');
      return originalPut.apply(this, args);
    };
    try {
      for (let start = 0; start < 64; start += 16) await saver.save(ENCODER, batch(start, 16));
    } finally {
      IDBObjectStore.prototype.put = originalPut;
    }
    expect(saver.shortfall()).toEqual({
      count: 48,
      message:
        'Browser storage is full: 48 of 64 new embeddings (about 25 KB) were not saved. They are ' +
        'used in this session and will be computed again next time. Free space by clearing cached ' +
        'embeddings of other encoders (Clear buttons of the Encode step) or removing an encoder ' +
        '(Encoders tab).',
      summary: 'Browser storage is full: 48 embeddings were not saved (details under Encode).',
    });
    // The batch that fitted is really there.
    const stored = await opened.getMany(ENCODER, ['h0', 'h15', 'h16']);
    expect(stored.map((v) => v?.[0])).toEqual([0, 15, undefined]);
  });

  it('reports nothing when every batch was saved', async () => {
    cache = await EmbeddingCache.open({ factory: new IDBFactory() });
    const opened = cache;
    const saver = new EmbeddingSaver(() => Promise.resolve(opened));
    await saver.save(ENCODER, batch(0, 8));
    expect(saver.shortfall()).toBeNull();
  });

  it('works without any storage, naming the reason', async () => {
    const missing = new KinshipError('STORAGE', 'IndexedDB is not available in this browser');
    const saver = new EmbeddingSaver(() => Promise.reject(missing));
    saver.unavailable(missing);
    await saver.save(ENCODER, batch(0, 4, 4));
    expect(saver.shortfall()?.message).toBe(
      '4 of 4 new embeddings (about 64 bytes) were not saved (IndexedDB is not available in this ' +
        'browser). They are used in this session and will be computed again next time.',
    );
  });

  it('lets a cancellation through', async () => {
    const saver = new EmbeddingSaver(() =>
      Promise.reject(new DOMException('The job was cancelled', 'AbortError')),
    );
    await expect(saver.save(ENCODER, batch(0, 1))).rejects.toMatchObject({ name: 'AbortError' });
  });
});
