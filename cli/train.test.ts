/**
 * `npm run train` end to end on a small generated FIW folder: the head it writes loads with
 * importHead and scores exactly as the head it trained in-process, --evaluate gives the AUC the
 * training reported, and a second run reads every embedding from the disk cache.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFiwFolder, type FiwFixture } from '../e2e/fiw-fixture';
import { importHead } from '../src/ml/head';
import { mulberry32, uniformArray } from '../src/test-support/rng';
import { parseArgs, type CliCommand } from './train/args';
import { runEvaluate, runTrain, type TrainOutcome } from './train/commands';
import { alignedHead } from './train/head-commands';
import { ProgressBar } from './train/progress-bar';

let dir: string;
let fixture: FiwFixture;
let out: string;
let first: TrainOutcome;
let log = '';
function command<K extends CliCommand['kind']>(
  kind: K,
  argv: string[],
): Extract<CliCommand, { kind: K }> {
  const cmd = parseArgs(argv);
  if (cmd.kind !== kind) throw new Error(`parsed as ${cmd.kind}, not ${kind}`);
  return cmd as Extract<CliCommand, { kind: K }>;
}
const bar = () => new ProgressBar({ isTTY: false, write: (t: string) => (log += t) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kinlens-cli-'));
  fixture = makeFiwFolder(dir, 'fiw-mini');
  out = join(dir, 'head');
  first = await runTrain(
    command('train', [fixture.root, '--encoder', 'descriptor', '--epochs', '3', '--out', out]),
    bar(),
  );
  const e = first.encoded;
  console.log(
    `CLI encode (descriptor, wasm): ${e.encoded} images at ${e.imagesPerSecond.toFixed(1)} images/s; ` +
      `model ${e.timing.modelSeconds.toFixed(2)} s, waiting for input ${e.timing.inputWaitSeconds.toFixed(2)} s ` +
      `of ${e.timing.encodeSeconds.toFixed(2)} s encoding; hashing + cache ${e.timing.hashSeconds.toFixed(2)} s`,
  );
});
afterAll(() => {
  first?.head.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run train', () => {
  it('encodes only the training photos and writes the files "Export head" writes, plus MODEL_CARD.md', () => {
    expect(first.encoded.total).toBe(fixture.photos);
    expect(first.encoded.encoded).toBe(fixture.photos);
    expect(first.files).toEqual(['model.json', 'weights.bin', 'meta.json', 'MODEL_CARD.md']);
    const model = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as {
      weightsManifest: { paths: string[] }[];
    };
    expect(model.weightsManifest[0]?.paths).toEqual(['weights.bin']);
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as {
      encoderId: string;
      dataset: { name: string };
      validation: { imageAuc: number };
    };
    expect(meta.encoderId).toBe('face-descriptor/face-api-1.7.15/pre1/crop');
    expect(meta.dataset.name).toBe('fiw-mini');
    const card = readFileSync(join(out, 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain(meta.validation.imageAuc.toFixed(3));
    expect(card).toContain(meta.encoderId);
    expect(log).toMatch(/encoding \[#+\] 144\/144 · [\d.]+ images\/s · ETA \d+s/);
    expect(first.summary.valImageAuc).toBeGreaterThan(0.8);
  });

  it('writes a head that loads with importHead and gives the same probabilities as the trained one', async () => {
    const bytes = readFileSync(join(out, 'weights.bin'));
    const loaded = await importHead({
      modelJson: readFileSync(join(out, 'model.json'), 'utf8'),
      weightsBin: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      meta: readFileSync(join(out, 'meta.json'), 'utf8'),
    });
    try {
      const d = 128;
      const n = 64;
      // Pairs from near-identical (kin-like) to unrelated: right = left + noise of growing size.
      const rand = mulberry32(7);
      const left = uniformArray(rand, n * d, -0.2, 0.2);
      const right = left.map((v, i) => v + (rand() - 0.5) * 0.8 * (Math.floor(i / d) / n));
      const expected = await first.head.predict(left, right);
      const actual = await loaded.predict(left, right);
      expect(Array.from(actual)).toEqual(Array.from(expected));
      expect(new Set(Array.from(actual).map((p) => p.toFixed(3))).size).toBeGreaterThan(1);
      expect(loaded.meta.threshold).toBe(first.head.meta.threshold);
    } finally {
      loaded.dispose();
    }
  });

  it('--evaluate gives the validation AUCs training reported; the second run reads the disk cache', async () => {
    const evaluation = await runEvaluate(
      command('evaluate', ['--evaluate', out, fixture.root]),
      bar(),
    );
    expect(evaluation.imageAuc).toBeCloseTo(first.summary.valImageAuc, 10);
    expect(evaluation.memberAuc).toBeCloseTo(first.summary.valMemberAuc, 10);
    expect(evaluation.imagePairs).toBe(first.summary.validation.scores.length);
    expect(evaluation.pairs.map((p) => p.left)).toEqual(first.summary.validation.left);
    expect(evaluation.pairs.map((p) => p.probability)).toEqual(first.summary.validation.scores);
    // The evaluation above encoded nothing: the cache folder next to the head had every photo.
    expect(log).toContain(`encoded 0, from cache ${fixture.photos}, failed 0`);
    expect(existsSync(join(dir, '.kinlens-cache'))).toBe(true);
  });

  it('says what is wrong with bad arguments', () => {
    expect(() => parseArgs([fixture.root, '--encoder', 'vgg', '--out', out])).toThrow(
      /--encoder must be one of descriptor, faceres, faceres-deep, fused, not "vgg"/,
    );
    expect(() => parseArgs([fixture.root])).toThrow(/--out <dir> is required/);
    expect(() => parseArgs([fixture.root, '--out', out, '--epochs', '0'])).toThrow(/--epochs/);
    expect(() => parseArgs([fixture.root, '--out', out, '--bogus'])).toThrow(
      /unknown option --bogus/,
    );
  });

  it('parses --ensemble, --flip-augment and --flip-tta, and refuses them where they mean nothing', () => {
    const plain = command('train', [fixture.root, '--out', out]);
    expect(plain).toMatchObject({ ensemble: 1, flipAugment: false, flipTta: false });
    const all = command('train', [
      fixture.root,
      '--ensemble',
      '10',
      '--flip-augment',
      '--flip-tta',
      '--out',
      out,
    ]);
    expect(all).toMatchObject({ ensemble: 10, flipAugment: true, flipTta: true });
    for (const bad of ['0', '2.5', 'ten']) {
      expect(() => parseArgs([fixture.root, '--out', out, '--ensemble', bad])).toThrow(
        new RegExp(`--ensemble must be a whole number of heads .*"${bad}"`),
      );
    }
    expect(() =>
      parseArgs([fixture.root, '--out', out, '--ensemble', '3', '--split-prefix', 'F01']),
    ).toThrow(/an --ensemble holds out every family once/);
    expect(() => parseArgs(['--evaluate', out, fixture.root, '--flip-tta'])).toThrow(
      /--flip-tta is a training option/,
    );
  });
});

describe('npm run train --ensemble', () => {
  it('trains 3 heads on held-out folds into one head whose --evaluate gives exactly the out-of-fold AUCs of training', async () => {
    const ensembleOut = join(dir, 'ensemble-head');
    log = '';
    const trained = await runTrain(
      command('train', [
        fixture.root,
        '--encoder',
        'descriptor',
        '--epochs',
        '3',
        '--ensemble',
        '3',
        '--out',
        ensembleOut,
      ]),
      bar(),
    );
    try {
      const s = trained.summary;
      expect(trained.encoded.encoded).toBe(0);
      expect(s.ensemble?.members.map((m) => m.heldOut)).toEqual([
        'validation: family fold 1 of 3',
        'validation: family fold 2 of 3',
        'validation: family fold 3 of 3',
      ]);
      expect(s.validationFamilies).toBe(fixture.families.length);
      expect(log).toContain(`ensemble of 3 heads: out-of-fold AUC ${s.valImageAuc.toFixed(4)}`);
      expect(log).toMatch(/training head 2 of 3 \[/);
      const meta = JSON.parse(readFileSync(join(ensembleOut, 'meta.json'), 'utf8')) as {
        architecture: { members: number };
        ensemble: { members: unknown[] };
        validation: { imageAuc: number };
      };
      expect(meta.architecture.members).toBe(3);
      expect(meta.ensemble.members).toHaveLength(3);
      expect(meta.validation.imageAuc).toBe(s.valImageAuc);
      const card = readFileSync(join(ensembleOut, 'MODEL_CARD.md'), 'utf8');
      expect(card).toContain('An ensemble of 3 heads whose probabilities are averaged');
      expect(card).toContain('## Validation (out-of-fold)');

      const evaluation = await runEvaluate(
        command('evaluate', ['--evaluate', ensembleOut, fixture.root]),
        bar(),
      );
      expect(evaluation.outOfFold).toBe(true);
      expect(evaluation.imageAuc).toBe(s.valImageAuc);
      expect(evaluation.memberAuc).toBe(s.valMemberAuc);
      expect(evaluation.pairs.map((p) => p.probability)).toEqual(s.validation.scores);
      expect(evaluation.members.map((m) => m.imageAuc)).toEqual(
        s.ensemble?.members.map((m) => m.imageAuc),
      );
      expect(log).toContain(`out-of-fold over 3 heads (${fixture.families.length} families)`);
    } finally {
      trained.head.dispose();
    }
  });
});

describe('--evaluate follows how the head was encoded', () => {
  it('reads eye-aligned or whole-image crops from the head identity, else the flag decides', () => {
    expect(alignedHead('face-descriptor/face-api-1.7.15/pre1/align')).toBe(true);
    expect(alignedHead('face-descriptor/face-api-1.7.15/pre1/detect')).toBe(true);
    expect(alignedHead('face-descriptor/face-api-1.7.15/pre1/crop')).toBe(false);
    expect(alignedHead('bench')).toBeNull();
  });
});
