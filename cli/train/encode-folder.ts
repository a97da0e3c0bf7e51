/** Import a FIW folder and encode its training photos through the disk cache, with progress. */
import { basename, dirname, join, resolve } from 'node:path';
import { importDataset, trainPaths } from '../../src/finetune/dataset';
import { encodeDatasetPaths } from '../../src/finetune/encode-fused';
import type { EncodeResult } from '../../src/finetune/encode-result';
import type { LoadedDataset } from '../../src/finetune/types';
import type { Encoder } from '../../src/ml/encoders/types';
import type { CliCommand } from './args';
import { decodeImageNode } from './decode-node';
import { DiskEmbeddingStore } from './disk-cache';
import { readDatasetFolder } from './folder';
import type { ProgressBar } from './progress-bar';

/** Default cache: .kinlens-cache next to the output (or head) folder. */
export function cacheDir(cmd: CliCommand, near: string): string {
  return cmd.cache ?? join(dirname(resolve(near)), '.kinlens-cache');
}

export interface EncodeFolderOptions {
  detect: boolean;
  /** Also the mirrored photos (cached as identity#flip), for flip augmentation or TTA. */
  flips: boolean;
  cache: string;
}

export async function encodeFolder(
  folder: string,
  encoder: Encoder,
  opts: EncodeFolderOptions,
  bar: ProgressBar,
  signal: AbortSignal,
): Promise<{ ds: LoadedDataset; encoded: EncodeResult }> {
  const ds = await importDataset(
    await readDatasetFolder(folder),
    signal,
    bar.update,
    basename(resolve(folder)),
  );
  bar.log(
    `${ds.name}: ${ds.dataset.report.photos} photos of ${ds.dataset.report.families} families, ${ds.dataset.report.kinPairsUsable} usable kin pairs`,
  );
  const store = new DiskEmbeddingStore(opts.cache);
  const encoded = await encodeDatasetPaths(
    ds,
    encoder,
    trainPaths(ds),
    { detect: opts.detect, flips: opts.flips },
    {
      store: () => Promise.resolve(store),
      decode: decodeImageNode,
      signal,
      onProgress: bar.update,
    },
  );
  const t = encoded.timing;
  bar.log(
    `encoded ${encoded.encoded}, from cache ${encoded.fromCache}, failed ${encoded.failed.length}` +
      (encoded.imagesPerSecond > 0 ? ` · ${encoded.imagesPerSecond.toFixed(1)} images/s` : '') +
      (encoded.imagesPerSecond > 0
        ? ` · model ${t.modelSeconds.toFixed(1)} s, waiting for input ${t.inputWaitSeconds.toFixed(1)} s of ${t.encodeSeconds.toFixed(1)} s`
        : ''),
  );
  const a = encoded.alignment;
  if (a && a.total > 0) {
    bar.log(
      `aligned ${a.total}: ${a.byLandmarks} by their landmarks, ${a.byDetector} with the face detector, ${a.wholeImage} used whole`,
    );
    for (const r of a.reasons.slice(0, 5)) bar.log(`  ${r.count} × ${r.reason}`);
  }
  for (const f of encoded.failed.slice(0, 5)) bar.log(`  ${f.path}: ${f.message}`);
  return { ds, encoded };
}
