import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileHandler } from '../../test-support/tfjs-file-handler';
import { tf } from '../tf';
import { headDownloadNames, headDownloads, HEAD_FILES, pickHeadFiles } from './file-names';
import { KinshipHead } from './head';
import { exportHead, headFiles, importHead } from './io';
import { minimalMeta } from './meta';
import { initHeadWeights } from './network';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ARCH = { embeddingDim: 8, hiddenUnits: 5, dropout: 0, diffSquares: true };
const BUILT_IN = 'public/models/heads/face-descriptor';

function toFile(name: string, data: string | ArrayBuffer | Buffer): File {
  return new File(
    [typeof data === 'string' || data instanceof ArrayBuffer ? data : new Uint8Array(data)],
    name,
  );
}

/** Writes downloads to a folder exactly as a browser saves them; answers the folder. */
function saveAsDownloaded(files: { name: string; data: string | ArrayBuffer }[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'kinlens-head-export-'));
  for (const f of files)
    writeFileSync(join(dir, f.name), typeof f.data === 'string' ? f.data : Buffer.from(f.data));
  return dir;
}

describe('exported head file names', () => {
  it('downloads three files whose manifest names the weights by their download name', async () => {
    const head = new KinshipHead(initHeadWeights(ARCH, 3), minimalMeta('face-descriptor@x', ARCH));
    const left = new Float32Array(Array.from({ length: 4 * 8 }, (_, i) => Math.sin(i)));
    const right = new Float32Array(Array.from({ length: 4 * 8 }, (_, i) => Math.cos(i)));
    const expected = Array.from(await head.predict(left, right));

    const downloads = headDownloads('face-descriptor', headFiles(await exportHead(head)));
    expect(downloads.map((d) => d.name)).toEqual([
      'face-descriptor-head.json',
      'face-descriptor-head.weights.bin',
      'face-descriptor-head.meta.json',
    ]);
    const model = JSON.parse(downloads[0]?.data as string) as tf.io.ModelJSON;
    expect(model.weightsManifest.flatMap((g) => g.paths)).toEqual([downloads[1]?.name]);

    // Stock loading from the saved files: the manifest path is resolved in their folder.
    const dir = saveAsDownloaded(downloads);
    const stock = await tf.loadLayersModel(fileHandler(join(dir, 'face-descriptor-head.json')));
    const out = tf.tidy(() =>
      (stock.predict([tf.tensor2d(left, [4, 8]), tf.tensor2d(right, [4, 8])]) as tf.Tensor)
        .reshape([-1])
        .arraySync(),
    ) as number[];
    stock.dispose();
    out.forEach((p, i) => expect(p).toBeCloseTo(expected[i] as number, 6));

    // And back into the app from the same files.
    const saved = downloads.map((d) => toFile(d.name, readFileSync(join(dir, d.name))));
    const picked = await pickHeadFiles(saved.reverse(), 'face-descriptor');
    expect([picked.model.name, picked.weights.name, picked.meta.name]).toEqual([
      'face-descriptor-head.json',
      'face-descriptor-head.weights.bin',
      'face-descriptor-head.meta.json',
    ]);
    const imported = await importHead({
      modelJson: picked.modelText,
      weightsBin: await picked.weights.arrayBuffer(),
      meta: await picked.meta.text(),
    });
    expect(Array.from(await imported.predict(left, right))).toEqual(expected);
    imported.dispose();
    head.dispose();
  });

  it('rejects an export that lacks a file', () => {
    expect(() => headDownloads('faceres', { [HEAD_FILES.model]: '{}' })).toThrow(
      'the exported head lacks model.json, weights.bin, meta.json',
    );
  });
});

describe('pickHeadFiles', () => {
  const builtIn = (name: string): Buffer => readFileSync(join(BUILT_IN, name));

  it('takes the plain names of the built-in head, ignoring its other files', async () => {
    const files = ['provenance.json', 'weights.bin', 'meta.json', 'model.json'].map((n) =>
      toFile(n, builtIn(n)),
    );
    const picked = await pickHeadFiles(files, 'face-descriptor');
    expect([picked.model.name, picked.weights.name, picked.meta.name]).toEqual([
      'model.json',
      'weights.bin',
      'meta.json',
    ]);
    expect(picked.modelText).toBe(builtIn('model.json').toString('utf8'));
  });

  it('takes older exports (<encoder>-head-model.json, -weights.bin, -meta.json)', async () => {
    const files = [
      toFile('faceres-head-model.json', builtIn('model.json')),
      toFile('faceres-head-weights.bin', builtIn('weights.bin')),
      toFile('faceres-head-meta.json', builtIn('meta.json')),
    ];
    const picked = await pickHeadFiles(files, 'faceres');
    expect(picked.model.name).toBe('faceres-head-model.json');
    expect(picked.weights.name).toBe('faceres-head-weights.bin');
    expect(picked.meta.name).toBe('faceres-head-meta.json');
  });

  it('among several .bin files takes the one the model names', async () => {
    const names = headDownloadNames('faceres');
    const model = JSON.stringify({
      modelTopology: {},
      weightsManifest: [{ paths: [names.weights], weights: [] }],
    });
    const files = [
      toFile('other.bin', 'x'),
      toFile(names.weights, 'y'),
      toFile(names.model, model),
      toFile(names.meta, '{}'),
    ];
    expect((await pickHeadFiles(files, 'faceres')).weights.name).toBe(names.weights);
    await expect(pickHeadFiles([files[0] as File, ...files.slice(2)], 'faceres')).resolves.toEqual(
      expect.objectContaining({ weights: files[0] }),
    );
    const unnamed = [toFile('a.bin', 'x'), toFile('b.bin', 'y'), ...files.slice(2)];
    await expect(pickHeadFiles(unnamed, 'faceres')).rejects.toThrow(
      'faceres-head.json names faceres-head.weights.bin, but the picked weights are a.bin, b.bin: pick one .bin.',
    );
  });

  it('says which of the three files is missing, with both naming schemes', async () => {
    await expect(pickHeadFiles([toFile('model.json', '{}')], 'faceres')).rejects.toThrow(
      'Pick the three files of an exported head together: faceres-head.json, ' +
        'faceres-head.weights.bin and faceres-head.meta.json (or model.json, weights.bin and ' +
        'meta.json); missing the weights (.bin), the meta file (meta.json).',
    );
  });

  it('refuses two heads at once', async () => {
    const model = builtIn('model.json');
    const files = [
      toFile('a-head.json', model),
      toFile('b-head.json', model),
      toFile('a-head.weights.bin', 'x'),
      toFile('a-head.meta.json', '{}'),
    ];
    await expect(pickHeadFiles(files, 'a')).rejects.toThrow(
      'Pick one head at a time: a-head.json, b-head.json are all models.',
    );
    const metas = [...files.slice(0, 1), ...files.slice(2), toFile('meta.json', '{}')];
    await expect(pickHeadFiles(metas, 'a')).rejects.toThrow(
      'Pick one head at a time: a-head.meta.json, meta.json are all meta files.',
    );
  });
});
