import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { isKinshipError } from '../../lib/errors';
import { weightSpecs } from '../resnet50/architecture';
import {
  loadInstalledWeights,
  serializeInstalledWeights,
  sha256Hex,
  type InstalledWeights,
} from './installed';
import { describeInstalled, openEncoderStore } from './encoder-store';
import { modelFromFixture } from '../../test-support/fixture-model';
import { run, testImage } from '../../test-support/resnet-submodel';

let model: tf.LayersModel;
let installed: InstalledWeights;

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = modelFromFixture('keras-new', 32, { seed: 5 });
  installed = await serializeInstalledWeights(model, 'keras-new');
});

afterAll(() => {
  model.dispose();
});

describe('installed-weights form', () => {
  it('concatenates all 318 float32 tensors in canonical order, identified by SHA-256', () => {
    expect(installed.variant).toBe('keras-new');
    expect(installed.manifest).toEqual(
      weightSpecs('keras-new').map((w) => ({ name: w.name, shape: w.shape })),
    );
    expect(installed.data.byteLength).toBe(23_587_712 * 4);
    const sha = createHash('sha256').update(new Uint8Array(installed.data)).digest('hex');
    expect(installed.sha256).toBe(sha);
    const conv1 = model.getLayer('conv1_conv').getWeights()[0]?.dataSync();
    expect(new Float32Array(installed.data, 0, 9408)).toEqual(conv1);
  });

  it('loads back to identical outputs, and leaks nothing', async () => {
    const start = tf.memory().numTensors;
    const loaded = await loadInstalledWeights(installed, { inputSize: 32 });
    expect(loaded.format).toBe('installed');
    const x = testImage(32, 2);
    expect(await run(loaded.model, x)).toEqual(await run(model, x));
    x.dispose();
    loaded.model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('detects corrupt or truncated data', async () => {
    const corrupt = installed.data.slice(0);
    const view = new Uint8Array(corrupt);
    view[12345] = (view[12345] ?? 0) ^ 0xff;
    const bad = { ...installed, data: corrupt };
    const error = await loadInstalledWeights(bad).catch((e: unknown) => e);
    expect(isKinshipError(error) && error.code).toBe('WEIGHTS_FORMAT');
    expect(String(error)).toMatch(/SHA-256 mismatch/);
    const short = { ...installed, data: installed.data.slice(0, 1024) };
    await expect(loadInstalledWeights(short)).rejects.toThrow(/the manifest needs 94350848/);
    expect(await sha256Hex(corrupt)).not.toBe(installed.sha256);
  });
});

describe('IndexedDB encoder store', () => {
  it('puts, lists (metadata only), gets, and deletes installed encoders', async () => {
    const store = await openEncoderStore('kinlens-encoders-test');
    const meta = describeInstalled(installed, 'resnet50_notop.h5', 1_700_000_000_000);
    expect(meta).toEqual({
      id: 'resnet50-imagenet',
      variant: 'keras-new',
      sha256: installed.sha256,
      byteLength: 94_350_848,
      sourceName: 'resnet50_notop.h5',
      installedAt: 1_700_000_000_000,
    });
    await store.put(meta, installed);
    expect(await store.list()).toEqual([meta]);
    expect(await store.getMeta('resnet50-imagenet')).toEqual(meta);
    const stored = await store.getWeights('resnet50-imagenet');
    expect(stored?.sha256).toBe(installed.sha256);
    expect(stored?.data.byteLength).toBe(installed.data.byteLength);
    if (!stored) throw new Error('not stored');
    const loaded = await loadInstalledWeights(stored, { inputSize: 32 });
    loaded.model.dispose();
    expect(await store.getWeights('resnet50-vggface')).toBeUndefined();
    await store.delete('resnet50-imagenet');
    expect(await store.list()).toEqual([]);
    expect(await store.getWeights('resnet50-imagenet')).toBeUndefined();
    store.close();
  });
});
