/**
 * Writes a full-size ResNet50 notop weight file in Keras HDF5 layout with small seeded values,
 * for end-to-end tests that need a real-looking weights file without downloading one:
 *
 *   tsx cli/make-test-weights.ts <vggface|keras-old|keras-new> <out.h5>
 *       [--layout weights-only|full-model] [--naming keras2|keras1] [--seed N]
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isResNetVariant, type ResNetVariant } from '../src/ml/resnet50/variants';
import { makeResNet50H5, type ResNet50H5Options } from '../src/test-support/h5-fixtures';
import { runIfMain } from './run-main';

const USAGE =
  'usage: tsx cli/make-test-weights.ts <vggface|keras-old|keras-new> <out.h5> ' +
  '[--layout weights-only|full-model] [--naming keras2|keras1] [--seed N]';

export async function makeTestWeightsFile(
  variant: ResNetVariant,
  outPath: string,
  options: ResNet50H5Options = {},
): Promise<number> {
  const bytes = await makeResNet50H5(variant, options);
  await writeFile(outPath, bytes);
  return bytes.byteLength;
}

export function parseMakeArgs(argv: string[]): {
  variant: ResNetVariant;
  out: string;
  options: ResNet50H5Options;
} {
  const positional: string[] = [];
  const options: ResNet50H5Options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === '--layout') {
      const v = value();
      if (v !== 'weights-only' && v !== 'full-model') throw new Error(USAGE);
      options.layout = v;
    } else if (arg === '--naming') {
      const v = value();
      if (v !== 'keras1' && v !== 'keras2') throw new Error(USAGE);
      options.naming = v;
    } else if (arg === '--seed') {
      options.seed = Number.parseInt(value(), 10);
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}\n${USAGE}`);
    } else {
      positional.push(arg);
    }
  }
  const [variant, out] = positional;
  if (!isResNetVariant(variant) || !out || positional.length > 2) throw new Error(USAGE);
  if (options.naming === 'keras1' && variant !== 'keras-old') {
    throw new Error('Keras-1 names exist only for the old-name Keras ResNet50 (keras-old)');
  }
  return { variant, out, options };
}

async function main(): Promise<void> {
  const { variant, out, options } = parseMakeArgs(process.argv.slice(2));
  const size = await makeTestWeightsFile(variant, resolve(out), options);
  console.error(`wrote ${out}: ResNet50 ${variant}, ${(size / 1024 ** 2).toFixed(1)} MiB`);
}

runIfMain(import.meta.url, main);
