import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { HeadStore } from './head-store';

describe('HeadStore', () => {
  it('saves, replaces, lists and deletes heads per encoder', async () => {
    const store = await HeadStore.open(undefined, `heads-test-${Math.random()}`);
    const bytes = new Float32Array([1, 2, 3]).buffer;
    await store.put({
      encoderId: 'face-descriptor',
      modelJson: '{"a":1}',
      weightsBin: bytes,
      metaJson: '{}',
      savedAt: 't1',
    });
    await store.put({
      encoderId: 'face-descriptor',
      modelJson: '{"a":2}',
      weightsBin: bytes,
      metaJson: '{}',
      savedAt: 't2',
    });
    await store.put({
      encoderId: 'resnet50-vggface',
      modelJson: '{}',
      weightsBin: bytes,
      metaJson: '{}',
      savedAt: 't3',
    });
    const got = await store.get('face-descriptor');
    expect(got?.modelJson).toBe('{"a":2}');
    expect(Array.from(new Float32Array(got?.weightsBin ?? new ArrayBuffer(0)))).toEqual([1, 2, 3]);
    expect((await store.list()).map((h) => h.encoderId).sort()).toEqual([
      'face-descriptor',
      'resnet50-vggface',
    ]);
    expect((await store.ids()).sort()).toEqual(['face-descriptor', 'resnet50-vggface']);
    await store.delete('face-descriptor');
    expect(await store.get('face-descriptor')).toBeUndefined();
    store.close();
  });
});
