import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../src/ml/tf';
import { loadResNet50FromH5 } from '../src/ml/weights/load-h5';
import type { TfjsModelJson } from '../src/ml/weights/tfjs-manifest';
import { fileHandler } from '../src/test-support/tfjs-file-handler';
import { maxAbsDiff, run, testImage, truncatedModel } from '../src/test-support/resnet-submodel';
import { convertH5File, parseConvertArgs } from './convert';
import { makeTestWeightsFile, parseMakeArgs } from './make-test-weights';

let dir: string;
let h5Path: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'kinlens-convert-'));
  h5Path = join(dir, 'resnet50_notop.h5');
  const { variant, options } = parseMakeArgs(['keras-new', h5Path, '--seed', '12']);
  await makeTestWeightsFile(variant, h5Path, options);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run convert', () => {
  it('writes model.json with full topology and 4 MiB shards that stock tf.loadLayersModel reads', async () => {
    const out = join(dir, 'float32');
    const lines: string[] = [];
    const result = await convertH5File(h5Path, out, { log: (l) => lines.push(l) });
    expect(result.variant).toBe('keras-new');
    expect(lines.join('\n')).toMatch(
      /ResNet50 keras-new \(resnet50-imagenet\), all weights checked/,
    );
    const files = (await readdir(out)).sort();
    expect(files).toHaveLength(24);
    expect(files).toContain('group1-shard23of23.bin');
    for (const f of files.filter((f) => f.endsWith('.bin'))) {
      expect((await stat(join(out, f))).size).toBeLessThanOrEqual(4 * 1024 * 1024);
    }
    const json = JSON.parse(await readFile(result.modelJsonPath, 'utf8')) as TfjsModelJson;
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology).toMatchObject({ class_name: 'Model' });

    const stock = await tf.loadLayersModel(fileHandler(result.modelJsonPath));
    const original = await loadResNet50FromH5(await readFile(h5Path), { inputSize: 32 });
    const x = testImage(32, 6);
    const sub = truncatedModel(stock, 'keras-new', 32);
    expect(maxAbsDiff(await run(sub, x), await run(original.model, x))).toBeLessThanOrEqual(1e-5);
    sub.dispose();
    stock.dispose();
    original.model.dispose();
    x.dispose();
  });

  it('--quantize float16 halves the shards and leaves BN statistics in float32', async () => {
    const args = parseConvertArgs([h5Path, join(dir, 'f16'), '--quantize', 'float16']);
    expect(args.quantize).toBe('float16');
    const result = await convertH5File(args.h5, args.out, { quantize: 'float16' });
    expect(result.shardCount).toBe(12);
    const json = JSON.parse(await readFile(result.modelJsonPath, 'utf8')) as TfjsModelJson;
    const weights = json.weightsManifest.flatMap((g) => g.weights);
    expect(weights.filter((w) => w.quantization?.dtype === 'float16')).toHaveLength(53);
    expect(weights.filter((w) => w.name.includes('moving_') && w.quantization)).toHaveLength(0);
  });

  it('checks its arguments', () => {
    expect(() => parseConvertArgs(['only-one.h5'])).toThrow(/usage: npm run convert/);
    expect(() => parseConvertArgs(['a.h5', 'out', '--quantize', 'int4'])).toThrow(
      /float16, uint8 or uint16/,
    );
    expect(() => parseMakeArgs(['vggface', 'x.h5', '--naming', 'keras1'])).toThrow(/keras-old/);
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'cli/convert.ts', 'missing.h5'], {
      encoding: 'utf8',
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/usage: npm run convert/);
  });
});
