import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { HUMAN_MODELS_DIR, humanModelsReader } from '../../test-support/sample-face';
import { createFaceresEncoder } from './faceres';
import { loadGraphModelFiles, type GraphNode, type ModelFileReader } from './graph-source';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const modelJson = (): { modelTopology: { node: GraphNode[] } } =>
  JSON.parse(readFileSync(join(HUMAN_MODELS_DIR, 'faceres.json'), 'utf8')) as {
    modelTopology: { node: GraphNode[] };
  };

/** The real files, with faceres.json replaced by `json`. */
function readerWith(json: unknown): ModelFileReader {
  return async (name) =>
    name === 'faceres.json'
      ? new TextEncoder().encode(JSON.stringify(json))
      : humanModelsReader(name);
}

describe('loadGraphModelFiles', () => {
  it('reads the JSON and its shard, hashes the weights and reports progress per file', async () => {
    const progress: string[] = [];
    const before = tf.memory().numTensors;
    const loaded = await loadGraphModelFiles(
      'faceres.json',
      { readFile: humanModelsReader },
      { onProgress: (p) => progress.push(`${p.done}/${p.total} ${p.message ?? ''}`) },
    );
    const bin = readFileSync(join(HUMAN_MODELS_DIR, 'faceres.bin'));
    expect(loaded.weightsSha256).toBe(createHash('sha256').update(bin).digest('hex'));
    expect(loaded.byteLength).toBe(
      bin.byteLength + readFileSync(join(HUMAN_MODELS_DIR, 'faceres.json')).byteLength,
    );
    expect(progress).toEqual(['1/2 faceres.json', '2/2 faceres.bin']);
    expect(loaded.nodes.find((n) => n.name === 'global_pooling/Mean')?.op).toBe('Mean');
    expect(loaded.model.inputs.map((i) => i.name)).toEqual(['input_1']);
    loaded.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the file that is missing, not JSON, or not a graph model', async () => {
    const missing: ModelFileReader = (name) =>
      name.endsWith('.bin')
        ? Promise.reject(new Error('ENOENT: no such file'))
        : humanModelsReader(name);
    await expect(loadGraphModelFiles('faceres.json', { readFile: missing })).rejects.toMatchObject({
      code: 'WEIGHTS_MISSING',
      message: /^faceres\.bin: cannot be read/,
    });
    const text =
      (body: string): ModelFileReader =>
      async () =>
        new TextEncoder().encode(body);
    await expect(
      loadGraphModelFiles('faceres.json', { readFile: text('{ not json') }),
    ).rejects.toMatchObject({ code: 'WEIGHTS_FORMAT', message: 'faceres.json: is not valid JSON' });
    await expect(
      loadGraphModelFiles('faceres.json', { readFile: text('{"format":"layers-model"}') }),
    ).rejects.toMatchObject({ code: 'WEIGHTS_FORMAT', message: /not a TF\.js graph model/ });
  });

  it('fetches from a base URL and says which URL failed', async () => {
    await expect(
      loadGraphModelFiles('faceres.json', { baseUrl: 'http://127.0.0.1:9/models/human' }),
    ).rejects.toMatchObject({
      code: 'WEIGHTS_MISSING',
      message: /http:\/\/127\.0\.0\.1:9\/models\/human\/faceres\.json/,
    });
  });
});

describe('the folded MobileNet refuses graphs it does not understand', () => {
  const cases: Array<[string, (nodes: GraphNode[]) => void, RegExp]> = [
    [
      'an activation that is not ReLU6',
      (nodes) => {
        const relu = nodes.find((n) => n.name === 'conv_dw_5_relu/Relu');
        if (relu) relu.op = 'Sigmoid';
      },
      /after conv_dw_5\/depthwise: Add,Sigmoid,Minimum,Maximum instead of/,
    ],
    [
      'VALID padding',
      (nodes) => {
        const conv = nodes.find((n) => n.name === 'conv_pw_3_bn/batchnorm_1/mul_1');
        if (conv?.attr) conv.attr.padding = { s: btoa('VALID') };
      },
      /conv_pw_3_bn\/batchnorm_1\/mul_1 does not use SAME padding/,
    ],
    [
      'a clip to another bound',
      (nodes) => {
        const min = nodes.find((n) => n.name === 'conv1_relu/clip_by_value/Minimum');
        if (min?.input) min.input[1] = 'conv1_relu/Const_1';
      },
      /activation after conv1_bn\/batchnorm_1\/mul_1 is not ReLU6/,
    ],
  ];
  it.each(cases)('%s', async (_what, edit, message) => {
    const json = modelJson();
    edit(json.modelTopology.node);
    const before = tf.memory().numTensors;
    await expect(
      createFaceresEncoder('faceres', { readFile: readerWith(json) }),
    ).rejects.toMatchObject({
      code: 'WEIGHTS_MISMATCH',
      message: expect.stringMatching(message) as unknown,
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
