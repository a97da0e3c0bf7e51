import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tf } from '../ml/tf';
import { FACE_DESCRIPTOR_PREPROCESSING_VERSION } from '../ml/encoders/face-descriptor';
import { loadBuiltInHeads } from './builtin-heads';
import { currentHeads } from './encoders';

const PUBLIC = 'public';
const BASE = 'http://app.test/';

/** fetch over the public/ folder, with per-path overrides (status or bytes). */
function serve(overrides: Record<string, number | Uint8Array> = {}, heads = ['face-descriptor']) {
  vi.stubGlobal('fetch', async (input: URL | string) => {
    const path = new URL(String(input)).pathname.slice(1);
    if (path === 'models/index.json') return Response.json({ models: [], heads });
    const o = overrides[path];
    if (typeof o === 'number') return new Response('', { status: o });
    if (o) return new Response(new Blob([o as Uint8Array<ArrayBuffer>]));
    try {
      return new Response(new Blob([await readFile(join(PUBLIC, path))]));
    } catch {
      return new Response('', { status: 404 });
    }
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('built-in heads', () => {
  it('loads the shipped face-descriptor head with its provenance and scores with it', async () => {
    serve();
    const before = tf.memory().numTensors;
    const [info] = await loadBuiltInHeads(BASE, new AbortController().signal);
    expect(info?.state).toBe('ready');
    expect(info?.meta?.encoderId).toBe(
      `face-descriptor/face-api-1.7.15/pre${FACE_DESCRIPTOR_PREPROCESSING_VERSION}/crop`,
    );
    expect(info?.meta?.dataset?.name).toBe('Families in the Wild');
    expect(info?.meta?.validation?.families).toBe(50);
    const resolved = currentHeads()['face-descriptor'];
    expect(resolved?.provenance).toMatchObject({ source: 'built-in', validationFamilies: 50 });
    expect(resolved?.provenance.auc).toBeCloseTo(0.801, 3);
    const a = Float32Array.from({ length: 128 }, (_, i) => Math.sin(i) / 8);
    const b = Float32Array.from({ length: 128 }, (_, i) => Math.cos(i) / 8);
    const [p] = await (resolved?.head.predict(a, b) ?? Promise.resolve(new Float32Array()));
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
    // The head's own weights stay; the prediction leaves nothing behind.
    expect(tf.memory().numTensors - before).toBe(4);
  });

  it('reports a broken head by file and problem instead of failing start-up', async () => {
    serve({ 'models/heads/face-descriptor/weights.bin': new Uint8Array(10) });
    const [info] = await loadBuiltInHeads(BASE, new AbortController().signal);
    expect(info?.state).toBe('error');
    expect(info?.error).toMatch(/^models\/heads\/face-descriptor\/model\.json: could not load/);
  });

  it('names a missing file', async () => {
    serve({ 'models/heads/face-descriptor/meta.json': 404 });
    const [info] = await loadBuiltInHeads(BASE, new AbortController().signal);
    expect(info?.error).toBe('models/heads/face-descriptor/meta.json: is missing (HTTP 404)');
  });

  it('loads nothing when the build lists no heads', async () => {
    serve({}, []);
    expect(await loadBuiltInHeads(BASE, new AbortController().signal)).toEqual([]);
  });
});
