import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../src/ml/tf';
import { loadResNet50FromTfjs, type ShardReader } from '../src/ml/weights/load-tfjs';
import { findFixtureLayer, fixtureLayers, makeResNet50H5 } from '../src/test-support/h5-fixtures';
import { fetchWeights, parseFetchArgs } from './weights-fetch';

const SEED = 17;
let server: Server;
let base: string;
let bytes: Uint8Array;
let md5: string;
let out: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  bytes = await makeResNet50H5('vggface', { seed: SEED });
  md5 = createHash('md5').update(bytes).digest('hex');
  out = await mkdtemp(join(tmpdir(), 'kinlens-fetch-'));
  // Like GitHub releases: the release URL redirects to the file's storage URL.
  server = createServer((req, res) => {
    if (req.url === '/releases/v2.0/weights.h5') {
      res.writeHead(302, { location: '/storage/weights.h5' }).end();
    } else if (req.url === '/storage/weights.h5') {
      res.writeHead(200, { 'content-length': bytes.byteLength }).end(Buffer.from(bytes));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  await rm(out, { recursive: true, force: true });
});

function diskShards(modelJsonPath: string): ShardReader {
  return async (path) => {
    const b = await readFile(join(dirname(modelJsonPath), path));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  };
}

describe('npm run weights:fetch', () => {
  it('downloads from an overridden URL (following redirects), converts into <out>/resnet50-vggface', async () => {
    const options = parseFetchArgs([
      'vggface',
      '--url',
      `${base}/releases/v2.0/weights.h5`,
      '--out',
      out,
    ]);
    const [result] = await fetchWeights(options);
    expect(result).toMatchObject({ id: 'resnet50-vggface', md5, md5Checked: false });
    expect(result?.modelJsonPath).toBe(join(out, 'resnet50-vggface', 'model.json'));
    const modelJsonPath = result?.modelJsonPath ?? '';
    const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as unknown;
    const loaded = await loadResNet50FromTfjs(json, diskShards(modelJsonPath), { inputSize: 197 });
    expect(loaded.variant).toBe('vggface');
    const expected = findFixtureLayer(
      fixtureLayers('vggface', { seed: SEED }),
      'conv5_3_1x1_increase/bn',
    );
    const got = loaded.model.getLayer('conv5_3_1x1_increase/bn').getWeights()[3]?.dataSync();
    expect(got).toEqual(expected.weights[3]?.values);
    loaded.model.dispose();
  });

  it('takes the URL and md5 from KINLENS_WEIGHTS_URL_<ID> / KINLENS_WEIGHTS_MD5_<ID>', async () => {
    const env = {
      KINLENS_WEIGHTS_URL_RESNET50_VGGFACE: `${base}/storage/weights.h5`,
      KINLENS_WEIGHTS_MD5_RESNET50_VGGFACE: md5,
    };
    const [result] = await fetchWeights({ target: 'vggface', out, env });
    expect(result).toMatchObject({
      url: env.KINLENS_WEIGHTS_URL_RESNET50_VGGFACE,
      md5Checked: true,
    });
  });

  it('refuses a wrong md5 (the published one for imagenet, or --md5) and writes nothing', async () => {
    const imagenetUrl = `${base}/storage/weights.h5`;
    await expect(fetchWeights({ target: 'imagenet', url: imagenetUrl, out })).rejects.toThrow(
      new RegExp(`md5 of the download is ${md5}, expected a268eb855778b3df3c7506639542a6af`),
    );
    await expect(
      fetchWeights({
        target: 'vggface',
        url: imagenetUrl,
        md5: '0'.repeat(32),
        out: join(out, 'x'),
      }),
    ).rejects.toThrow(/expected 00000000/);
    expect(existsSync(join(out, 'x', 'resnet50-vggface'))).toBe(false);
    expect(existsSync(join(out, 'resnet50-imagenet'))).toBe(false);
  });

  it('refuses a file of the wrong encoder, leaving no model behind', async () => {
    await expect(
      fetchWeights({ target: 'imagenet', url: `${base}/storage/weights.h5`, md5: 'none', out }),
    ).rejects.toThrow(/holds ResNet50 vggface, not resnet50-imagenet/);
    expect(existsSync(join(out, 'resnet50-imagenet'))).toBe(false);
    expect(existsSync(join(out, '.resnet50-imagenet.staging'))).toBe(false);
  });

  it('parses its arguments', async () => {
    expect(parseFetchArgs([])).toEqual({ target: 'all', out: 'public/models' });
    expect(() => parseFetchArgs(['resnet101'])).toThrow(/unknown target/);
    await expect(fetchWeights({ target: 'all', url: 'http://127.0.0.1:1/x', out })).rejects.toThrow(
      /single target/,
    );
  });
});
