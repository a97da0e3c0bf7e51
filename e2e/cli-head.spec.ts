/**
 * The CLI and the app are one fine-tuning core with two front ends: a head made by
 * `npm run train` imports into the app and scores a pair as the CLI does, and a head exported by
 * the app, evaluated by the CLI on the same dataset, gives the AUC the app showed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { Download } from '@playwright/test';
import { expect, openApp, test } from './fixtures';
import { makeFiwFolder } from './fiw-fixture';
import { samplePhoto } from './helpers';

/** Runs `npm run train -- …` (tsx, as the script does) and returns its JSON result line. */
function cli(args: string[]): Record<string, number> {
  const stdout = execFileSync('node_modules/.bin/tsx', ['cli/train.ts', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 240_000,
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Record<string, number>;
}

/** A sample photo as PNG: lossless, so the browser and the CLI decode the same pixels. */
function pngOf(jpegPath: string, out: string): string {
  const d = jpeg.decode(readFileSync(jpegPath), { useTArray: true });
  const png = new PNG({ width: d.width, height: d.height });
  png.data = Buffer.from(d.data);
  writeFileSync(out, PNG.sync.write(png));
  return out;
}

test.describe('one fine-tuning core: CLI and app', () => {
  test('a head made by the CLI imports into the app and scores a pair as the CLI does', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const dir = mkdtempSync(join(tmpdir(), 'kinlens-cli-head-'));
    const fixture = makeFiwFolder(dir, 'fiw-mini');
    const head = join(dir, 'cli-head');
    const trained = cli([fixture.root, '--encoder', 'descriptor', '--epochs', '3', '--out', head]);
    const a = pngOf(samplePhoto(1), join(dir, 'a.png'));
    const b = pngOf(samplePhoto(4), join(dir, 'b.png'));
    const { probability } = cli(['--score', head, a, b]);
    console.log(`CLI head: val AUC ${trained.valImageAuc}; CLI pair probability ${probability}`);

    await openApp(page);
    await page.getByRole('tab', { name: 'Fine-tune' }).click();
    await page
      .getByTestId('import-head-input')
      .setInputFiles(['model.json', 'weights.bin', 'meta.json'].map((f) => join(head, f)));
    await expect(page.getByTestId('notice-success')).toContainText('Head imported', {
      timeout: 30_000,
    });
    await page.getByRole('tab', { name: 'Score a pair' }).click();
    await page.getByTestId('drop-a-input').setInputFiles(a);
    await expect(page.getByTestId('photo-a-face-count')).toHaveText('3', { timeout: 90_000 });
    await page.getByTestId('drop-b-input').setInputFiles(b);
    await expect(page.getByTestId('photo-b-face-count')).toHaveText('4', { timeout: 90_000 });
    const card = page.getByTestId('result-face-descriptor');
    await expect(page.getByTestId('provenance-face-descriptor')).toContainText('fiw-mini', {
      timeout: 60_000,
    });
    await expect(card).toHaveAttribute('data-mode', 'kinship');
    const appProbability = Number(await card.getAttribute('data-score'));
    console.log(`app pair probability ${appProbability}`);
    expect(Math.abs(appProbability - (probability as number))).toBeLessThanOrEqual(1e-4);
  });

  test('a head exported by the app, evaluated by the CLI on the same dataset, gives the AUC the app showed', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const dir = mkdtempSync(join(tmpdir(), 'kinlens-app-head-'));
    // PNG photos: the browser and the CLI then embed the same pixels (JPEG decoders differ by a
    // level here and there, which moves a probability in the 4th decimal).
    const fixture = makeFiwFolder(dir, 'fiw-mini', { format: 'png' });
    await openApp(page);
    await page.getByRole('tab', { name: 'Fine-tune' }).click();
    await page.getByTestId('dataset-input').setInputFiles(fixture.root);
    await expect(page.getByTestId('report-photos')).toHaveText(String(fixture.photos), {
      timeout: 60_000,
    });
    await page.getByTestId('encode').click();
    const encoded = page.getByTestId('encode-result');
    await expect(encoded).toHaveAttribute('data-encoded', String(fixture.photos), {
      timeout: 120_000,
    });
    const seconds = async (name: string) => Number(await encoded.getAttribute(`data-${name}`));
    console.log(
      `app encode: model ${await seconds('model-seconds')} s, waiting for input ` +
        `${await seconds('input-wait-seconds')} s of ${await seconds('encode-seconds')} s`,
    );
    await page.getByTestId('opt-epochs').fill('4');
    await page.getByTestId('train').click();
    const auc = page.getByTestId('val-auc');
    await expect(auc).toBeVisible({ timeout: 120_000 });
    const shown = (await auc.textContent()) ?? '';

    const exported = join(dir, 'app-head');
    mkdirSync(exported);
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await page.getByTestId('export-head').click();
    await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(3);
    for (const d of downloads) {
      // Saved under the plain names the CLI reads, whatever prefix the download carries.
      const name = d.suggestedFilename();
      const plain = name.endsWith('.meta.json')
        ? 'meta.json'
        : name.endsWith('.bin')
          ? 'weights.bin'
          : name.endsWith('.json')
            ? 'model.json'
            : null;
      if (!plain) throw new Error(`unexpected download ${d.suggestedFilename()}`);
      await d.saveAs(join(exported, plain));
    }
    const meta = JSON.parse(readFileSync(join(exported, 'meta.json'), 'utf8')) as {
      validation: { imageAuc: number; memberAuc: number };
    };
    const evaluated = cli(['--evaluate', exported, fixture.root, '--cache', join(dir, 'cache')]);
    console.log(
      `app AUC ${meta.validation.imageAuc} / ${meta.validation.memberAuc} (shown ${shown}); ` +
        `CLI AUC ${evaluated.imageAuc} / ${evaluated.memberAuc}`,
    );
    expect((evaluated.imageAuc as number).toFixed(3)).toBe(shown);
    expect(evaluated.imageAuc).toBeCloseTo(meta.validation.imageAuc, 6);
    expect(evaluated.memberAuc).toBeCloseTo(meta.validation.memberAuc, 6);
  });
});
