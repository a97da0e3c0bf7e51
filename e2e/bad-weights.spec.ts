import { mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertH5File } from '../cli/convert';
import { makeTestWeightsFile } from '../cli/make-test-weights';
import { denseHeadLayer, writeKerasH5 } from '../src/test-support/h5-fixtures';
import { expect, openApp, test } from './fixtures';

interface WeightsCase {
  name: string;
  files: string[];
  message: RegExp;
}

test.describe('bad weight files', () => {
  test('each bad weight file is refused with a message naming the file and the problem', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const dir = mkdtempSync(join(tmpdir(), 'kinlens-badweights-'));
    const good = join(dir, 'good.h5');
    await makeTestWeightsFile('vggface', good);

    const write = (name: string, data: Uint8Array | string): string => {
      const path = join(dir, name);
      writeFileSync(path, data);
      return path;
    };
    const otherArch = write(
      'mobilenet.h5',
      await writeKerasH5([denseHeadLayer('dense_1', 10), denseHeadLayer('dense_2', 5)]),
    );
    const truncated = write('truncated.h5', readFileSync(good).subarray(0, 3_000_000));
    const notHdf5 = write('weights.h5', 'this is not an HDF5 file');
    const huge = join(dir, 'huge-download.h5');
    writeFileSync(huge, '');
    truncateSync(huge, 4 * 1024 ** 3); // a sparse 4 GiB file: no disk used, never read

    const tfjsDir = join(dir, 'tfjs');
    await convertH5File(good, tfjsDir);
    const modelJson = join(tfjsDir, 'model.json');
    const shards = readdirSync(tfjsDir)
      .filter((f) => f.endsWith('.bin'))
      .map((f) => join(tfjsDir, f));
    const truncatedShard = write(
      shards[0]?.split('/').pop() ?? 'group1-shard1of23.bin',
      readFileSync(shards[0] as string).subarray(0, 1000),
    );
    const json = JSON.parse(readFileSync(modelJson, 'utf8')) as {
      weightsManifest: Array<{ weights: Array<{ dtype: string; quantization?: unknown }> }>;
    };
    const withDtype = structuredClone(json);
    (withDtype.weightsManifest[0]?.weights[0] as { dtype: string }).dtype = 'complex64';
    const wrongDtype = write('model.json', JSON.stringify(withDtype));
    const wrongDtypeDir = join(dir, 'dtype');
    // Same file name as a real one, in its own folder.
    const wrongDtypePath = join(mkdtempSync(wrongDtypeDir), 'model.json');
    writeFileSync(wrongDtypePath, readFileSync(wrongDtype));
    const noScale = structuredClone(json);
    (noScale.weightsManifest[0]?.weights[0] as { quantization?: unknown }).quantization = {
      dtype: 'uint8',
      original_dtype: 'float32',
    };
    const noScalePath = join(mkdtempSync(join(dir, 'q')), 'model.json');
    writeFileSync(noScalePath, JSON.stringify(noScale));

    const cases: WeightsCase[] = [
      {
        name: 'not HDF5',
        files: [notHdf5],
        message: /^weights\.h5: not an HDF5 file \(\.h5\), or the file is damaged$/,
      },
      {
        name: 'truncated .h5',
        files: [truncated],
        message: /^truncated\.h5: not an HDF5 file \(\.h5\), or the file is damaged$/,
      },
      {
        name: 'another architecture',
        files: [otherArch],
        message: /^mobilenet\.h5: .*(dense_1|not a ResNet50|unknown)/i,
      },
      { name: '4 GB file', files: [huge], message: /^huge-download\.h5: .*(GB|large)/i },
      {
        name: 'model.json without shards',
        files: [modelJson],
        message: /^model\.json: .*shard.*not provided/,
      },
      {
        name: 'truncated shard',
        files: [modelJson, ...shards.slice(1), truncatedShard],
        message:
          /^model\.json: the 23 shard file\(s\) hold \d+ bytes but the manifest needs 94244608/,
      },
      {
        name: 'wrong dtype',
        files: [wrongDtypePath, ...shards],
        message: /^model\.json: weight "conv1\/7x7_s2\/kernel" has dtype complex64/,
      },
      {
        name: 'quantized without scale/min',
        files: [noScalePath, ...shards],
        message:
          /^model\.json: weight "conv1\/7x7_s2\/kernel": uint8 quantization needs min and scale$/,
      },
    ];

    await openApp(page);
    await page.getByRole('tab', { name: 'Encoders' }).click();
    for (const c of cases) {
      await page.getByTestId('weights-input').setInputFiles(c.files);
      const error = page.getByTestId('install-error');
      await expect(error, c.name).toHaveText(c.message, { timeout: 60_000 });
      console.log(`${c.name}: ${await error.textContent()}`);
      await expect(page.getByTestId('model-resnet50-vggface-state')).toHaveText('not installed');
    }
    // After all that, a good file still installs.
    await page.getByTestId('weights-input').setInputFiles(good);
    await expect(page.getByTestId('model-resnet50-vggface-state')).toHaveText('ready', {
      timeout: 120_000,
    });
  });
});
