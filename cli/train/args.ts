/** Command line of `npm run train`: what to do, and every option checked with a clear message. */
import { KinshipError } from '../../src/lib/errors';
import { HEAD_PRESETS, type HeadPresetName } from '../../src/ml/head/config';
import type { EncoderId } from '../../src/ml/encoders/types';
import { CLI_ENCODERS } from './node-encoders';

export const USAGE = `Usage:
  npm run train -- <FIW folder> --encoder descriptor|faceres|faceres-deep|fused
                   [--detect-align] [--recipe default|seed] [--epochs N] [--split-prefix F09]
                   [--ensemble N] [--flip-augment] [--flip-tta] [--cache <dir>] --out <dir>
  npm run train -- --evaluate <head dir> <FIW folder> [--encoder …] [--detect-align] [--cache <dir>]
  npm run train -- --score <head dir> <photo A> <photo B> [--encoder …]`;

interface Common {
  encoder: EncoderId;
  detect: boolean;
  /** Embedding cache folder; default <out or head dir>/../.kinlens-cache. */
  cache: string | null;
}

export type CliCommand =
  | (Common & {
      kind: 'train';
      folder: string;
      out: string;
      recipe: HeadPresetName;
      epochs: number | null;
      splitPrefix: string | null;
      /** Heads of the ensemble, one per held-out family fold; 1 = a single head. */
      ensemble: number;
      /** Train on mirrored photos half of the time (encodes the mirrored images too). */
      flipAugment: boolean;
      /** Validate (and score) as the mean over the photos and their mirrored copies. */
      flipTta: boolean;
    })
  | (Common & { kind: 'evaluate'; headDir: string; folder: string })
  | (Common & { kind: 'score'; headDir: string; photoA: string; photoB: string });

const fail = (message: string): never => {
  throw new KinshipError('NOT_READY', `${message}\n${USAGE}`);
};

export function parseArgs(argv: readonly string[]): CliCommand {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const valued = new Set([
    '--encoder',
    '--recipe',
    '--out',
    '--cache',
    '--epochs',
    '--split-prefix',
    '--evaluate',
    '--score',
    '--ensemble',
  ]);
  const switches = new Set(['--detect-align', '--flip-augment', '--flip-tta']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (valued.has(arg)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) fail(`${arg} needs a value`);
      flags.set(arg, value as string);
    } else if (switches.has(arg)) flags.set(arg, true);
    else if (arg.startsWith('--')) fail(`unknown option ${arg}`);
    else positional.push(arg);
  }
  const text = (name: string): string | null => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : null;
  };
  const encoderName = text('--encoder') ?? 'descriptor';
  const encoder = CLI_ENCODERS[encoderName];
  if (!encoder)
    fail(`--encoder must be one of ${Object.keys(CLI_ENCODERS).join(', ')}, not "${encoderName}"`);
  const common: Common = {
    encoder: encoder as EncoderId,
    detect: flags.get('--detect-align') === true,
    cache: text('--cache'),
  };
  const evaluate = text('--evaluate');
  const score = text('--score');
  const trainOnly = ['--ensemble', '--flip-augment', '--flip-tta'];
  const misplaced = trainOnly.find((f) => flags.has(f));
  if ((evaluate !== null || score !== null) && misplaced !== undefined) {
    fail(`${misplaced} is a training option; a head is evaluated and scores as it was trained`);
  }
  if (evaluate !== null) {
    if (positional.length !== 1) fail('--evaluate <head dir> takes one FIW folder');
    return { ...common, kind: 'evaluate', headDir: evaluate, folder: positional[0] as string };
  }
  if (score !== null) {
    if (positional.length !== 2) fail('--score <head dir> takes two photos');
    return {
      ...common,
      kind: 'score',
      headDir: score,
      photoA: positional[0] as string,
      photoB: positional[1] as string,
    };
  }
  if (positional.length !== 1) fail('give one FIW folder to train on');
  const out = text('--out');
  if (out === null) fail('--out <dir> is required');
  const recipe = text('--recipe') ?? 'default';
  if (!(recipe in HEAD_PRESETS))
    fail(`--recipe must be one of ${Object.keys(HEAD_PRESETS).join(', ')}, not "${recipe}"`);
  const epochsText = text('--epochs');
  const epochs = epochsText === null ? null : Number(epochsText);
  if (epochs !== null && !(Number.isInteger(epochs) && epochs > 0))
    fail(`--epochs must be a positive whole number, not "${epochsText}"`);
  const ensembleText = text('--ensemble');
  const ensemble = ensembleText === null ? 1 : Number(ensembleText);
  if (!(Number.isInteger(ensemble) && ensemble >= 1))
    fail(`--ensemble must be a whole number of heads (1 = a single head), not "${ensembleText}"`);
  const splitPrefix = text('--split-prefix');
  if (ensemble > 1 && splitPrefix !== null)
    fail('--split-prefix picks one held-out split; an --ensemble holds out every family once');
  return {
    ...common,
    kind: 'train',
    folder: positional[0] as string,
    out: out as string,
    recipe: recipe as HeadPresetName,
    epochs,
    splitPrefix,
    ensemble,
    flipAugment: flags.get('--flip-augment') === true,
    flipTta: flags.get('--flip-tta') === true,
  };
}
