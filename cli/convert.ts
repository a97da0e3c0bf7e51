/**
 * Keras .h5 → TF.js layers model, for deployers who ship encoders preinstalled:
 *
 *   npm run convert -- <weights.h5> <outdir> [--quantize float16|uint8|uint16]
 *
 * Reads the file with the app's own strict loader (variant detected from its layer names, every
 * weight checked), then writes <outdir>/model.json with the full modelTopology (stock
 * tf.loadLayersModel reads it) and group1-shardXofN.bin shards of 4 MiB. Quantization applies to
 * conv kernels only; BN statistics stay float32.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { tf } from '../src/ml/tf';
import { encoderIdForVariant } from '../src/ml/resnet50/encoders';
import type { ResNetVariant } from '../src/ml/resnet50/variants';
import { assertWeightsFileSize } from '../src/ml/weights/limits';
import { loadResNet50FromH5 } from '../src/ml/weights/load-h5';
import type { QuantizationDtype } from '../src/ml/weights/tfjs-manifest';
import { writeTfjsArtifacts } from '../src/ml/weights/tfjs-writer';
import { runIfMain } from './run-main';

export interface ConvertOptions {
  quantize?: QuantizationDtype;
  /** Progress lines go here (default: none). */
  log?: (line: string) => void;
}

export interface ConvertResult {
  variant: ResNetVariant;
  modelJsonPath: string;
  shardCount: number;
  bytes: number;
}

export async function convertH5File(
  h5Path: string,
  outDir: string,
  options: ConvertOptions = {},
): Promise<ConvertResult> {
  const log = options.log ?? (() => undefined);
  await tf.setBackend('cpu');
  const fileName = basename(h5Path);
  assertWeightsFileSize((await stat(h5Path)).size, fileName);
  const bytes = await readFile(h5Path);
  let lastTenth = -1;
  const { variant, model } = await loadResNet50FromH5(bytes, {
    fileName,
    onProgress: ({ done, total }) => {
      const tenth = Math.floor((10 * done) / total);
      if (tenth !== lastTenth) log(`  read ${done}/${total} layers`);
      lastTenth = tenth;
    },
  });
  try {
    log(`${fileName}: ResNet50 ${variant} (${encoderIdForVariant(variant)}), all weights checked`);
    const artifacts = writeTfjsArtifacts(
      model,
      variant,
      options.quantize ? { quantize: options.quantize } : {},
    );
    await mkdir(outDir, { recursive: true });
    let written = 0;
    for (const shard of artifacts.shards) {
      await writeFile(join(outDir, shard.path), shard.data);
      written += shard.data.byteLength;
    }
    const modelJsonPath = join(outDir, 'model.json');
    await writeFile(modelJsonPath, JSON.stringify(artifacts.modelJson));
    log(
      `wrote ${modelJsonPath} + ${artifacts.shards.length} shards (${(written / 1024 ** 2).toFixed(1)} MiB)`,
    );
    return { variant, modelJsonPath, shardCount: artifacts.shards.length, bytes: written };
  } finally {
    model.dispose();
  }
}

const USAGE = 'usage: npm run convert -- <weights.h5> <outdir> [--quantize float16|uint8|uint16]';

export function parseConvertArgs(argv: string[]): {
  h5: string;
  out: string;
  quantize?: QuantizationDtype;
} {
  const positional: string[] = [];
  let quantize: QuantizationDtype | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--quantize' || arg.startsWith('--quantize=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (value !== 'float16' && value !== 'uint8' && value !== 'uint16') {
        throw new Error(`--quantize must be float16, uint8 or uint16\n${USAGE}`);
      }
      quantize = value;
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}\n${USAGE}`);
    } else {
      positional.push(arg);
    }
  }
  const [h5, out] = positional;
  if (!h5 || !out || positional.length > 2) throw new Error(USAGE);
  return { h5, out, ...(quantize ? { quantize } : {}) };
}

async function main(): Promise<void> {
  const args = parseConvertArgs(process.argv.slice(2));
  await convertH5File(resolve(args.h5), resolve(args.out), {
    ...(args.quantize ? { quantize: args.quantize } : {}),
    log: (line) => console.error(line),
  });
}

runIfMain(import.meta.url, main);
