/**
 * The worker side of fine-tuning: holds the imported dataset, the open browser stores and the
 * trained heads, and calls the use cases in src/finetune/ with the browser's I/O (File handles,
 * the IndexedDB embedding cache, the worker's image decoder).
 */
import { type ProgressFn } from '../lib/abort';
import { KinshipError } from '../lib/errors';
import type { DatasetReport } from '../data/dataset';
import {
  openEmbeddingCache,
  type EmbeddingCache,
  type EncoderCacheStats,
} from '../data/embedding-cache';
import type { StorageShortfall } from '../data/embedding-saver';
import { HeadStore } from '../data/head-store';
import type { Encoder, EncoderId } from '../ml/encoders/types';
import { parseHeadMeta, HEAD_FILES, KinshipHead, type HeadMeta } from '../ml/head';
import type { PairHead } from '../ml/pair/head-choice';
import { decodeImageBlob } from '../ml/image/decode';
import * as dataset from '../finetune/dataset';
import { encodeDatasetPaths } from '../finetune/encode-fused';
import type { EncodeOptions, EncodeResult } from '../finetune/encode-result';
import { embeddingsFor } from '../finetune/embeddings';
import { flipTtaRequested } from '../finetune/flip-tta';
import {
  assertHeadFits,
  headFromFiles,
  headNotSaved,
  headToFiles,
  savedHeadInfo,
  type SavedHeadInfo,
} from '../finetune/export';
import {
  assertHasSubmission,
  submissionCsv as writeSubmissionCsv,
  type SubmissionCsv,
} from '../finetune/submission';
import type { TrainingSummary } from '../finetune/train';
import type { DecodeImage, LoadedDataset } from '../finetune/types';
import { encoderById, setHead } from './encoders';

export type {
  EncodeOptions,
  EncodeResult,
  SavedHeadInfo,
  StorageShortfall,
  SubmissionCsv,
  TrainingSummary,
};

export interface DatasetEntry {
  path: string;
  file: File;
}

let state: LoadedDataset | null = null;
let cachePromise: Promise<EmbeddingCache> | null = null;
let headStorePromise: Promise<HeadStore> | null = null;
const trainedHeads = new Map<EncoderId, KinshipHead>();

const decode: DecodeImage = async (file, path, opts) =>
  (await decodeImageBlob(file, path, opts)).image;

function cache(): Promise<EmbeddingCache> {
  cachePromise ??= openEmbeddingCache().catch((e: unknown) => {
    cachePromise = null;
    throw e;
  });
  return cachePromise;
}

function headStore(): Promise<HeadStore> {
  headStorePromise ??= HeadStore.open().catch((e: unknown) => {
    headStorePromise = null;
    throw e;
  });
  return headStorePromise;
}

export function requireDataset(): LoadedDataset {
  if (!state) throw new KinshipError('NOT_READY', 'Import a dataset folder first');
  return state;
}

export function requireEncoder(id: EncoderId): Encoder {
  const encoder = encoderById(id);
  if (!encoder) throw new KinshipError('NOT_READY', `The encoder ${id} is not installed`);
  return encoder;
}

export async function importDataset(
  entries: readonly DatasetEntry[],
  signal: AbortSignal,
  onProgress?: ProgressFn,
): Promise<DatasetReport> {
  state = await dataset.importDataset(entries, signal, onProgress);
  return state.dataset.report;
}

/**
 * The training photos (train/) of the dataset for this encoder: cache first, then encode. The
 * test/ images wait until a submission asks for them.
 */
export async function encodeDataset(
  encoderId: EncoderId,
  opts: EncodeOptions,
  signal: AbortSignal,
  onProgress?: ProgressFn,
): Promise<EncodeResult> {
  const s = requireDataset();
  const encoder = requireEncoder(encoderId);
  return encodeDatasetPaths(s, encoder, dataset.trainPaths(s), opts, {
    store: cache,
    decode,
    signal,
    ...(onProgress ? { onProgress } : {}),
  });
}

/**
 * Makes a new head (trained or imported) the one that scores its encoder, replacing the old one,
 * and saves it; a failed save is returned (the head keeps working this session), not thrown.
 */
export async function adoptTrainedHead(
  encoderId: EncoderId,
  head: KinshipHead,
  label: string,
): Promise<StorageShortfall | null> {
  trainedHeads.get(encoderId)?.dispose();
  trainedHeads.set(encoderId, head);
  setHead(encoderId, pairHeadOf(head));
  return trySaveHead(encoderId, head, label);
}

/** Adapts a trained head to the Pair panel's scorer. */
export function pairHeadOf(head: KinshipHead): PairHead {
  return {
    predict: (left, right) => head.predict(left, right),
    get meta() {
      return head.meta;
    },
  };
}

export async function saveHead(encoderId: EncoderId, head: KinshipHead): Promise<void> {
  const files = await headToFiles(head);
  const store = await headStore();
  await store.put({
    encoderId,
    modelJson: files[HEAD_FILES.model] as string,
    weightsBin: files[HEAD_FILES.weights] as ArrayBuffer,
    metaJson: files[HEAD_FILES.meta] as string,
    savedAt: new Date().toISOString(),
  });
}

/** Saves a head; a failure is returned (the head keeps working this session), not thrown. */
async function trySaveHead(
  encoderId: EncoderId,
  head: KinshipHead,
  label: string,
): Promise<StorageShortfall | null> {
  try {
    await saveHead(encoderId, head);
    return null;
  } catch (e) {
    return headNotSaved(e, label);
  }
}

/**
 * What heads are saved, and for encoders that have no head in memory yet (start-up), loads the
 * saved one into the scorer. A head trained or imported in this session is never replaced by a
 * stored copy: it is the newest, and it may be the one that could not be saved.
 */
export async function restoreSavedHeads(): Promise<SavedHeadInfo[]> {
  const store = await headStore();
  const out: SavedHeadInfo[] = [];
  for (const record of await store.list()) {
    const id = record.encoderId as EncoderId;
    const encoder = encoderById(id);
    let meta: HeadMeta;
    try {
      meta = parseHeadMeta(JSON.parse(record.metaJson) as unknown);
    } catch {
      continue; // A corrupt record is skipped; training again replaces it.
    }
    const info = savedHeadInfo(id, meta, encoder);
    if (info.matchesEncoder && !trainedHeads.has(id)) {
      try {
        const head = await headFromFiles(record);
        trainedHeads.set(id, head);
        setHead(id, pairHeadOf(head));
      } catch {
        continue;
      }
    }
    out.push(info);
  }
  return out;
}

export interface HeadExport {
  files: Record<string, string | ArrayBuffer>;
}

export async function exportTrainedHead(encoderId: EncoderId): Promise<HeadExport> {
  const head = trainedHeads.get(encoderId);
  if (!head) throw new KinshipError('NOT_READY', 'No trained head for this encoder yet');
  return { files: await headToFiles(head) };
}

export interface ImportedHeadInfo extends SavedHeadInfo {
  notSaved: StorageShortfall | null;
}

export async function importTrainedHead(
  encoderId: EncoderId,
  modelJsonText: string,
  weightsBin: ArrayBuffer,
  metaJsonText: string,
): Promise<ImportedHeadInfo> {
  const head = await headFromFiles({
    modelJson: modelJsonText,
    weightsBin,
    metaJson: metaJsonText,
  });
  const encoder = requireEncoder(encoderId);
  assertHeadFits(head, encoder);
  const notSaved = await adoptTrainedHead(encoderId, head, encoder.label);
  return { notSaved, ...savedHeadInfo(encoderId, head.meta, encoder) };
}

export async function submissionCsv(
  encoderId: EncoderId,
  detect: boolean,
  signal: AbortSignal,
  onProgress?: ProgressFn,
): Promise<SubmissionCsv> {
  const s = requireDataset();
  const head = trainedHeads.get(encoderId);
  if (!head) throw new KinshipError('NOT_READY', 'Train a head for this encoder first');
  const encoder = requireEncoder(encoderId);
  assertHasSubmission(s);
  // The test images are encoded now (cached after the first time), with their own progress;
  // mirrored too for a head trained with flip TTA, which scores them as it validated.
  await encodeDatasetPaths(
    s,
    encoder,
    dataset.testPaths(s),
    { detect, flips: flipTtaRequested(head) },
    {
      store: cache,
      decode,
      signal,
      phase: 'encoding test images',
      ...(onProgress ? { onProgress } : {}),
    },
  );
  return writeSubmissionCsv(s, head, embeddingsFor(s, encoder, detect), signal, onProgress);
}

/** Encoder ids with a saved head, and how many embeddings are cached, right now. */
export async function savedTrainingData(): Promise<{ heads: string[]; embeddings: number }> {
  return { heads: await (await headStore()).ids(), embeddings: await (await cache()).count() };
}

export async function cacheStats(): Promise<EncoderCacheStats[]> {
  return (await cache()).encoders();
}

export async function clearCache(encoderIdentityPrefix: string | null): Promise<void> {
  const store = await cache();
  if (encoderIdentityPrefix === null) {
    await store.clearAll();
  } else {
    for (const stats of await store.encoders()) {
      if (stats.encoderId.startsWith(encoderIdentityPrefix))
        await store.clearEncoder(stats.encoderId);
    }
  }
  for (const key of state?.embeddings.keys() ?? []) {
    if (encoderIdentityPrefix === null || key.startsWith(encoderIdentityPrefix))
      state?.embeddings.delete(key);
  }
}

/** The embeddings of the dataset's photos for one encoder (path → vector). */
export function embeddingTable(encoderId: EncoderId, detect: boolean): Map<string, Float32Array> {
  return embeddingsFor(requireDataset(), requireEncoder(encoderId), detect).vectors;
}

/** How many dataset images have an embedding for this encoder right now (no work done). */
export function embeddedCount(encoderId: EncoderId, detect: boolean): number {
  const encoder = encoderById(encoderId);
  if (!state || !encoder) return 0;
  return state.embeddings.get(dataset.datasetIdentity(encoder, detect))?.size ?? 0;
}

/** Small previews of dataset photos (e.g. for the disagreements list); null where unreadable. */
export async function datasetThumbnails(
  paths: readonly string[],
  size: number,
): Promise<Array<ImageData | null>> {
  const s = requireDataset();
  return Promise.all(
    paths.map(async (path) => {
      const file = s.files.get(path);
      if (!file) return null;
      try {
        const { image } = await decodeImageBlob(file, path, { maxSide: size });
        return new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
      } catch {
        return null;
      }
    }),
  );
}
