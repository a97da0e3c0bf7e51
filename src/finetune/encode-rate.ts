/**
 * Dataset encoding speed as Fine-tune runs it, for the benchmarks: the same face-crop files
 * imported as a small FIW folder and encoded by `encodePaths` with "Detect and align faces" off
 * (crops only) and on (the fast aligner), rounds alternating so machine load hits both alike.
 * Nothing is cached between rounds: each round imports afresh, and the store is unavailable.
 */
import type { Encoder } from '../ml/encoders/types';
import type { CropAlignSummary } from '../ml/face/crop-align';
import { importDataset, trainPaths } from './dataset';
import { encodePaths } from './encode';
import type { DecodeImage, DatasetFile } from './types';

export interface DatasetEncodeRates {
  images: number;
  /** Images per second per round. */
  cropOnly: number[];
  aligned: number[];
  /** How the last aligned round aligned the images. */
  alignment: CropAlignSummary | null;
}

/** Lays out `crops` as a FIW train/ folder: families of 4 members, 2 photos each. */
export function faceCropFolder(crops: readonly Blob[]): DatasetFile[] {
  const files: DatasetFile[] = crops.map((file, k) => {
    const family = `F${String(Math.floor(k / 8) + 1).padStart(4, '0')}`;
    const member = `MID${(Math.floor(k / 2) % 4) + 1}`;
    return { path: `bench/train/${family}/${member}/P${k}.jpg`, file };
  });
  const families = Math.ceil(crops.length / 8);
  const rows = ['p1,p2'];
  for (let f = 1; f <= families; f++) {
    const id = `F${String(f).padStart(4, '0')}`;
    rows.push(`${id}/MID1,${id}/MID3`, `${id}/MID2,${id}/MID3`);
  }
  files.push({ path: 'bench/train_relationships.csv', file: new Blob([rows.join('\n')]) });
  return files;
}

export async function measureDatasetEncodeRates(
  crops: readonly Blob[],
  encoder: Encoder,
  decode: DecodeImage,
  opts: { rounds: number; signal: AbortSignal; batchSize?: number },
): Promise<DatasetEncodeRates> {
  const out: DatasetEncodeRates = { images: 0, cropOnly: [], aligned: [], alignment: null };
  // Round 0 warms up the models (kernel set-up, first allocations) on a few crops, untimed.
  for (let round = 0; round <= opts.rounds; round++) {
    const folder = faceCropFolder(round === 0 ? crops.slice(0, 8) : crops);
    for (const detect of [false, true]) {
      const ds = await importDataset(folder, opts.signal);
      const paths = trainPaths(ds);
      const result = await encodePaths(
        ds,
        encoder,
        paths,
        { detect, flips: false, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) },
        {
          store: () => Promise.reject(new Error('the benchmark caches nothing')),
          decode,
          signal: opts.signal,
        },
      );
      if (round === 0) continue;
      out.images = paths.length;
      // Photos per second over the whole run, hashing and decoding included.
      const rate = (result.encoded + result.failed.length) / result.seconds;
      if (detect) {
        out.aligned.push(rate);
        out.alignment = result.alignment;
      } else out.cropOnly.push(rate);
    }
  }
  return out;
}
