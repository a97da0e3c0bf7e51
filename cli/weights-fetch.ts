/**
 * Downloads the publishers' ResNet50 notop weight files, checks their md5 where one is
 * published, and converts them into public/models/<id>/ (see cli/convert.ts):
 *
 *   npm run weights:fetch -- [vggface|imagenet|all] [--url URL] [--md5 HEX|none] [--out public/models]
 *
 * The URL can be overridden per encoder with --url (one target only) or the environment variable
 * KINLENS_WEIGHTS_URL_<ID> (e.g. KINLENS_WEIGHTS_URL_RESNET50_VGGFACE); the expected md5 likewise
 * with --md5 or KINLENS_WEIGHTS_MD5_<ID>. Without an override the published md5 is checked
 * (keras-vggface publishes none).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ENCODERS, type EncoderId } from '../src/ml/resnet50/encoders';
import { MAX_WEIGHTS_FILE_BYTES } from '../src/ml/weights/limits';
import { convertH5File } from './convert';
import { runIfMain } from './run-main';

const TARGETS: Record<string, EncoderId[]> = {
  vggface: ['resnet50-vggface'],
  imagenet: ['resnet50-imagenet'],
  all: ['resnet50-vggface', 'resnet50-imagenet'],
};

export interface FetchOptions {
  target: keyof typeof TARGETS;
  /** Overrides the download URL (only with a single-encoder target). */
  url?: string;
  /** Expected md5 hex, or 'none' to skip the check. */
  md5?: string;
  out: string;
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
}

export interface FetchResult {
  id: EncoderId;
  url: string;
  md5: string;
  md5Checked: boolean;
  modelJsonPath: string;
}

function envKey(prefix: string, id: EncoderId): string {
  return `${prefix}${id.toUpperCase().replace(/-/g, '_')}`;
}

/** Streams `url` to `path`, returning the md5 of the bytes. Refuses more than 1 GB. */
async function download(url: string, path: string, log: (line: string) => void): Promise<string> {
  const response = await fetch(url, { redirect: 'follow' });
  if (!response.ok || !response.body) {
    throw new Error(`download failed: ${url} answered ${response.status} ${response.statusText}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > MAX_WEIGHTS_FILE_BYTES) throw new Error(`${url} is larger than 1 GB`);
  const md5 = createHash('md5');
  const file = createWriteStream(path);
  let received = 0;
  let lastReport = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      received += chunk.byteLength;
      if (received > MAX_WEIGHTS_FILE_BYTES) throw new Error(`${url} is larger than 1 GB`);
      md5.update(chunk);
      if (!file.write(chunk)) await new Promise<void>((r) => file.once('drain', () => r()));
      if (received - lastReport >= 8 * 1024 ** 2) {
        lastReport = received;
        const of = Number.isFinite(declared) ? ` of ${(declared / 1024 ** 2).toFixed(0)}` : '';
        log(`  ${(received / 1024 ** 2).toFixed(0)}${of} MiB`);
      }
    }
  } finally {
    await new Promise<void>((done, fail) => file.end((e?: Error | null) => (e ? fail(e) : done())));
  }
  return md5.digest('hex');
}

export async function fetchWeights(options: FetchOptions): Promise<FetchResult[]> {
  const ids = TARGETS[options.target];
  if (!ids) throw new Error(`unknown target ${options.target}; use vggface, imagenet or all`);
  if (options.url && ids.length > 1)
    throw new Error('--url needs a single target (vggface or imagenet)');
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const results: FetchResult[] = [];
  for (const id of ids) {
    const official = ENCODERS[id].officialWeights;
    const url = options.url ?? env[envKey('KINLENS_WEIGHTS_URL_', id)] ?? official.url;
    const md5Override = options.md5 ?? env[envKey('KINLENS_WEIGHTS_MD5_', id)];
    const expectedMd5 = md5Override === 'none' ? null : (md5Override ?? official.md5);
    const dir = await mkdtemp(join(tmpdir(), 'kinlens-weights-'));
    try {
      const h5Path = join(dir, official.fileName);
      log(`${id}: downloading ${url}`);
      const md5 = await download(url, h5Path, log);
      if (expectedMd5 && md5 !== expectedMd5.toLowerCase()) {
        throw new Error(
          `${id}: md5 of the download is ${md5}, expected ${expectedMd5}; nothing written`,
        );
      }
      log(
        expectedMd5
          ? `${id}: md5 ${md5} verified`
          : `${id}: md5 ${md5} (no published md5 to check)`,
      );
      // Convert beside the target and swap it in only once it proved to be the right encoder.
      const finalDir = join(options.out, id);
      const staging = join(options.out, `.${id}.staging`);
      await mkdir(options.out, { recursive: true });
      await rm(staging, { recursive: true, force: true });
      try {
        const converted = await convertH5File(h5Path, staging, { log });
        if (!ENCODERS[id].variants.includes(converted.variant)) {
          throw new Error(
            `${id}: the downloaded file holds ResNet50 ${converted.variant}, not ${id}`,
          );
        }
        await rm(finalDir, { recursive: true, force: true });
        await rename(staging, finalDir);
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
      const modelJsonPath = join(finalDir, 'model.json');
      results.push({ id, url, md5, md5Checked: expectedMd5 !== null, modelJsonPath });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return results;
}

const USAGE =
  'usage: npm run weights:fetch -- [vggface|imagenet|all] [--url URL] [--md5 HEX|none] [--out public/models]';

export function parseFetchArgs(argv: string[]): FetchOptions {
  let target: string | undefined;
  const opts: Partial<FetchOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === '--url') opts.url = value();
    else if (arg === '--md5') opts.md5 = value();
    else if (arg === '--out') opts.out = value();
    else if (arg.startsWith('--') || target !== undefined)
      throw new Error(`unexpected ${arg}\n${USAGE}`);
    else target = arg;
  }
  target ??= 'all';
  if (!(target in TARGETS)) throw new Error(`unknown target ${target}\n${USAGE}`);
  return { ...opts, target, out: opts.out ?? 'public/models' };
}

async function main(): Promise<void> {
  const options = parseFetchArgs(process.argv.slice(2));
  await fetchWeights({
    ...options,
    out: resolve(options.out),
    log: (line) => console.error(line),
  });
}

runIfMain(import.meta.url, main);
