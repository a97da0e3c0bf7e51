/**
 * The worker side of fine-tuning: the imported dataset (paths → File handles), embeddings of its
 * images per encoder (IndexedDB-cached by encoder identity + image content hash), head training
 * on those cached embeddings, saved heads, and the Kaggle submission.
 */
import { throwIfAborted, type ProgressFn } from '../lib/abort';
import { KinshipError, errorMessage, isAbortError } from '../lib/errors';
import { sha256Hex } from '../lib/hash';
import { buildDataset, type Dataset, type DatasetReport } from '../data/dataset';
import {
  openEmbeddingCache,
  type CachedEmbedding,
  type EmbeddingCache,
  type EncoderCacheStats,
} from '../data/embedding-cache';
import { EmbeddingSaver, type StorageShortfall } from '../data/embedding-saver';
import { isQuotaError } from '../lib/idb';
import { HeadStore } from '../data/head-store';
import { poolsForSplit } from '../data/pairs';
import { assertUsableSplit, splitFamilies, type SplitSpec } from '../data/splits';
import { writeSubmission } from '../data/submission';
import type { Encoder, EncoderId } from '../ml/encoders/types';
import { alignFace, DESCRIPTOR_TEMPLATE, RESNET_TEMPLATE, wholeImageCrop } from '../ml/face/align';
import { detectFaces } from '../ml/face/detect';
import { flipHorizontal } from '../ml/face/resample';
import type { PixelImage } from '../ml/face/pixels';
import {
  exportHead,
  headFiles,
  importHead,
  parseHeadMeta,
  HEAD_FILES,
  KinshipHead,
  type HeadMeta,
} from '../ml/head';
import {
  trainHead,
  type EpochStats,
  type HeadTrainingResult,
  type TrainHeadOptions,
} from '../ml/head/train';
import type { PairHead } from '../ml/pair/head-choice';
import { decodeImageBlob } from '../ml/image/decode';
import { encoderById, setHead } from './encoders';

/**
 * Cache key of a dataset's embeddings: the encoder's identity plus how images became crops
 * (aligned detected faces or the image as the face), since the two give different features.
 */
function datasetIdentity(encoder: Encoder, detect: boolean): string {
  return `${encoder.identity}${detect ? '/detect' : '/crop'}`;
}

export interface DatasetEntry {
  path: string;
  file: File;
}

interface DatasetState {
  /** The dropped folder's name, saved in trained heads' meta. */
  name: string;
  dataset: Dataset;
  files: Map<string, File>;
  hashes: Map<string, string>;
  /** Per encoder identity (and '#flip' variant): photo path → embedding. */
  embeddings: Map<string, Map<string, Float32Array>>;
}

let state: DatasetState | null = null;
let cachePromise: Promise<EmbeddingCache> | null = null;
let headStorePromise: Promise<HeadStore> | null = null;
const trainedHeads = new Map<EncoderId, KinshipHead>();

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

function requireDataset(): DatasetState {
  if (!state) throw new KinshipError('NOT_READY', 'Import a dataset folder first');
  return state;
}

function requireEncoder(id: EncoderId): Encoder {
  const encoder = encoderById(id);
  if (!encoder) throw new KinshipError('NOT_READY', `The encoder ${id} is not installed`);
  return encoder;
}

export async function importDataset(
  entries: readonly DatasetEntry[],
  signal: AbortSignal,
  onProgress?: ProgressFn,
): Promise<DatasetReport> {
  const files = new Map(entries.map((e) => [e.path, e.file]));
  onProgress?.({ phase: 'reading folder', done: 0, total: entries.length });
  const dataset = await buildDataset(
    entries.map((e) => ({ path: e.path, size: e.file.size })),
    async (path) => {
      const file = files.get(path);
      if (!file)
        throw new KinshipError('DATASET_FORMAT', 'file vanished from the folder', { file: path });
      return file.text();
    },
    { signal },
  );
  // Keep only the files we will read again (photos and test images): bounded memory.
  const keep = new Map<string, File>();
  for (const m of dataset.members) for (const p of m.photos) keep.set(p, files.get(p) as File);
  for (const p of dataset.testImages) keep.set(p, files.get(p) as File);
  const first = entries[0]?.path ?? '';
  const name = first.includes('/') ? (first.split('/')[0] as string) : 'dropped files';
  state = { name, dataset, files: keep, hashes: new Map(), embeddings: new Map() };
  onProgress?.({ phase: 'reading folder', done: entries.length, total: entries.length });
  return dataset.report;
}

export interface EncodeOptions {
  /** Find and align the largest face instead of using each image as an already-cropped face. */
  detect: boolean;
  /** Also embed the mirrored images (enables flip augmentation in training). */
  flips: boolean;
  batchSize?: number;
}

export type { StorageShortfall };

export interface EncodeResult {
  encoderId: EncoderId;
  total: number;
  fromCache: number;
  /** Photos now embedded by encoding (copies of an identical file included). */
  encoded: number;
  /** Photos that were byte-identical to another one and reused its vector. */
  identicalFiles: number;
  failed: Array<{ path: string; message: string }>;
  /** Set when new embeddings could not be saved (full quota, storage unavailable). */
  notSaved: StorageShortfall | null;
  seconds: number;
  imagesPerSecond: number;
}

const HASH_CONCURRENCY = 32;

/** Every photo (train and test) of the dataset for this encoder: cache first, then encode. */
export async function encodeDataset(
  encoderId: EncoderId,
  opts: EncodeOptions,
  signal: AbortSignal,
  onProgress?: ProgressFn,
): Promise<EncodeResult> {
  const s = requireDataset();
  const encoder = requireEncoder(encoderId);
  const started = performance.now();
  const paths = [...s.files.keys()];
  const identity = datasetIdentity(encoder, opts.detect);
  const flipIdentity = `${identity}#flip`;

  // 1. Content hashes (the cache key), once per import; several files in flight at a time, as
  // each small read waits more on I/O than it computes.
  const unhashed = paths.filter((p) => !s.hashes.has(p));
  for (let start = 0; start < unhashed.length; start += HASH_CONCURRENCY) {
    throwIfAborted(signal);
    const chunk = unhashed.slice(start, start + HASH_CONCURRENCY);
    const digests = await Promise.all(chunk.map((p) => sha256Hex(s.files.get(p) as File)));
    chunk.forEach((p, i) => s.hashes.set(p, digests[i] as string));
    if (start % 256 === 0) {
      // No rate or time left here: they would be the hashing's, not the encoding's.
      const done = paths.length - unhashed.length + start;
      onProgress?.({ phase: 'checking the cache', done, total: paths.length });
    }
  }

  // 2. What the cache already holds. Without usable storage, everything is encoded and kept
  // in memory for this session.
  const hashes = paths.map((p) => s.hashes.get(p) as string);
  const saver = new EmbeddingSaver(cache);
  let cached: (Float32Array | undefined)[] = [];
  let cachedFlips: (Float32Array | undefined)[] = [];
  try {
    const store = await cache();
    cached = await store.getMany(identity, hashes);
    cachedFlips = opts.flips ? await store.getMany(flipIdentity, hashes) : [];
  } catch (e) {
    saver.unavailable(e);
  }
  const vectors = s.embeddings.get(identity) ?? new Map<string, Float32Array>();
  const flipVectors = s.embeddings.get(flipIdentity) ?? new Map<string, Float32Array>();
  s.embeddings.set(identity, vectors);
  if (opts.flips) s.embeddings.set(flipIdentity, flipVectors);
  const todo: number[] = [];
  paths.forEach((p, i) => {
    const v = cached[i];
    const f = cachedFlips[i];
    if (v) vectors.set(p, v);
    if (f) flipVectors.set(p, f);
    if (!v || (opts.flips && !f)) todo.push(i);
  });
  const fromCache = paths.length - todo.length;

  // Byte-identical files (same content hash) are encoded once and share the vector.
  const copies = new Map<string, number[]>();
  for (const index of todo) {
    const hash = hashes[index] as string;
    const group = copies.get(hash);
    if (group) group.push(index);
    else copies.set(hash, [index]);
  }
  const work = [...copies.values()].map((group) => group[0] as number);
  const copiesOf = (index: number): number[] => copies.get(hashes[index] as string) ?? [index];

  // 3. Encode the rest in batches; decoding of the next batch overlaps embedding of this one.
  const batchSize = opts.batchSize ?? (encoder.crop === 'descriptor' ? 16 : 8);
  const failed: EncodeResult['failed'] = [];
  let computed = 0;
  let done = 0;
  const encodeStart = performance.now();
  const prepare = (start: number): Promise<Array<{ index: number; crop: PixelImage } | null>> =>
    Promise.all(
      work.slice(start, start + batchSize).map(async (index) => {
        const path = paths[index] as string;
        try {
          return {
            index,
            crop: await cropForDataset(
              s.files.get(path) as File,
              path,
              encoder,
              opts.detect,
              signal,
            ),
          };
        } catch (e) {
          if (isAbortError(e)) throw e;
          for (const copy of copiesOf(index)) {
            failed.push({ path: paths[copy] as string, message: errorMessage(e) });
          }
          return null;
        }
      }),
    );
  let next = work.length > 0 ? prepare(0) : null;
  // What the cache already covers, before the first batch gives a rate.
  onProgress?.({ phase: 'encoding', done: fromCache, total: paths.length });
  for (let start = 0; start < work.length; start += batchSize) {
    throwIfAborted(signal);
    const batch = ((await next) ?? []).filter(
      (b): b is { index: number; crop: PixelImage } => b !== null,
    );
    next = start + batchSize < work.length ? prepare(start + batchSize) : null;
    if (batch.length > 0) {
      const crops = batch.map((b) => b.crop);
      const embedded = await encoder.embed(crops, { signal });
      const flipped = opts.flips ? await encoder.embed(crops.map(flipHorizontal), { signal }) : [];
      computed += batch.length;
      // Images re-encoded only for their mirrored copy already have this vector cached.
      const records = batch
        .map((b, i) => ({ index: b.index, hash: hashes[b.index] as string, vector: embedded[i] }))
        .filter((r): r is CachedEmbedding & { index: number } => !cached[r.index] && !!r.vector)
        .map(({ hash, vector }) => ({ hash, vector }));
      batch.forEach((b, i) => {
        for (const copy of copiesOf(b.index)) {
          vectors.set(paths[copy] as string, embedded[i] as Float32Array);
          if (opts.flips) flipVectors.set(paths[copy] as string, flipped[i] as Float32Array);
        }
      });
      // Saved per batch, so a reload or a cancel keeps everything finished so far.
      if (records.length > 0) await saver.save(identity, records);
      if (opts.flips) {
        await saver.save(
          flipIdentity,
          batch.map((b, i) => ({
            hash: hashes[b.index] as string,
            vector: flipped[i] as Float32Array,
          })),
        );
      }
    }
    for (const index of work.slice(start, start + batchSize)) done += copiesOf(index).length;
    const elapsed = (performance.now() - encodeStart) / 1000;
    const rate = done / Math.max(elapsed, 1e-3);
    onProgress?.({
      phase: 'encoding',
      done: fromCache + done,
      total: paths.length,
      rate,
      etaSeconds: (todo.length - done) / Math.max(rate, 1e-6),
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const encodeSeconds = (performance.now() - encodeStart) / 1000;
  return {
    encoderId,
    total: paths.length,
    fromCache,
    encoded: todo.length - failed.length,
    identicalFiles: todo.length - work.length,
    failed,
    notSaved: saver.shortfall(),
    seconds,
    imagesPerSecond: computed > 0 ? computed / Math.max(encodeSeconds, 1e-3) : 0,
  };
}

async function cropForDataset(
  file: File,
  path: string,
  encoder: Encoder,
  detect: boolean,
  signal: AbortSignal,
): Promise<PixelImage> {
  const template = encoder.crop === 'descriptor' ? DESCRIPTOR_TEMPLATE : RESNET_TEMPLATE;
  // Dataset images are small face crops; decoding at 2× the encoder input keeps resampling sharp.
  const { image } = await decodeImageBlob(file, path, {
    maxSide: detect ? 1024 : encoder.inputSize * 2,
  });
  if (detect) {
    const faces = await detectFaces(image, { signal, thumbnailSize: 0 });
    const face = faces[0];
    if (face) return alignFace(image, face.eyes, template);
  }
  return wholeImageCrop(image, encoder.inputSize);
}

/** The training result as it crosses to the UI: metrics, no tensors, photo paths for pairs. */
export interface TrainingSummary extends Omit<HeadTrainingResult, 'head' | 'validation'> {
  encoderId: EncoderId;
  trainFamilies: number;
  validationFamilies: number;
  trainKinPairs: number;
  validationKinPairs: number;
  parameterCount: number;
  seconds: number;
  /** Set when the head (or a checkpoint) could not be saved; it is still used this session. */
  notSaved: StorageShortfall | null;
  /** Validation image pairs of the kept epoch (photo paths), for comparisons and bootstrap CIs. */
  validation: { scores: number[]; labels: number[]; left: string[]; right: string[] };
}

function embeddingsFor(
  encoderId: EncoderId,
  detect: boolean,
): {
  identity: string;
  vectors: Map<string, Float32Array>;
  flips: Map<string, Float32Array> | undefined;
} {
  const s = requireDataset();
  const encoder = requireEncoder(encoderId);
  const identity = datasetIdentity(encoder, detect);
  const vectors = s.embeddings.get(identity);
  if (!vectors || vectors.size === 0) {
    throw new KinshipError('NOT_READY', `Encode the dataset with ${encoder.label} before training`);
  }
  return { identity, vectors, flips: s.embeddings.get(`${identity}#flip`) };
}

export async function trainHeadOnDataset(
  encoderId: EncoderId,
  split: SplitSpec,
  options: TrainHeadOptions,
  detect: boolean,
  signal: AbortSignal,
  onEpoch?: (stats: EpochStats) => void,
): Promise<TrainingSummary> {
  const s = requireDataset();
  const encoder = requireEncoder(encoderId);
  const { identity, vectors, flips } = embeddingsFor(encoderId, detect);
  const started = performance.now();

  const familySplit = splitFamilies(
    s.dataset.families.map((f) => f.id),
    split,
  );
  assertUsableSplit(familySplit);
  // Rows in the dataset's own order (not cache-hit order), so every encoder with the same
  // embedded photos gets the same rows and hence the same seeded validation pairs.
  const rowPaths = [...s.files.keys()].filter((p) => vectors.has(p));
  const rowIndex = new Map(rowPaths.map((p, i) => [p, i]));
  const d = encoder.dim;
  const table = new Float32Array(rowPaths.length * d);
  rowPaths.forEach((p, i) => table.set(vectors.get(p) as Float32Array, i * d));
  let flipTable: Float32Array | undefined;
  if (options.flipAugmentation && flips && flips.size >= vectors.size) {
    flipTable = new Float32Array(rowPaths.length * d);
    rowPaths.forEach((p, i) =>
      flipTable?.set(flips.get(p) ?? (vectors.get(p) as Float32Array), i * d),
    );
  }
  const pools = poolsForSplit(s.dataset, familySplit, (p) => rowIndex.get(p));
  if (pools.train.kin.length === 0)
    throw new KinshipError('DATASET_FORMAT', 'The training families have no usable kin pairs');
  if (pools.validation.kin.length === 0) {
    throw new KinshipError(
      'DATASET_FORMAT',
      'The validation families have no usable kin pairs; choose another split',
    );
  }

  const result = await trainHead(
    {
      embeddings: table,
      embeddingDim: d,
      ...(flipTable ? { flipEmbeddings: flipTable } : {}),
      train: pools.train,
      validation: pools.validation,
      encoderId: identity,
      split,
      dataset: {
        name: s.name,
        families: s.dataset.families.length,
        photos: s.dataset.report.photos,
      },
      validationFamilies: familySplit.validation.length,
    },
    options,
    {
      signal,
      ...(onEpoch ? { onEpoch } : {}),
      // Each better epoch is saved at once: a reload mid-training keeps the best checkpoint.
      // A failed save never stops training; the final save below reports it.
      onCheckpoint: (head) => saveHead(encoderId, head).catch(() => undefined),
    },
  );

  trainedHeads.get(encoderId)?.dispose();
  trainedHeads.set(encoderId, result.head);
  setHead(encoderId, pairHeadOf(result.head));
  const notSaved = await trySaveHead(encoderId, result.head, encoder.label);

  const { head: _head, validation, ...metrics } = result;
  return {
    encoderId,
    ...metrics,
    trainFamilies: familySplit.train.length,
    validationFamilies: familySplit.validation.length,
    trainKinPairs: pools.train.kin.length,
    validationKinPairs: pools.validation.kin.length,
    parameterCount: result.head.parameterCount,
    seconds: (performance.now() - started) / 1000,
    notSaved,
    validation: {
      scores: Array.from(validation.imageScores),
      labels: Array.from(validation.imageLabels),
      left: Array.from(validation.imageLeft, (row) => rowPaths[row] as string),
      right: Array.from(validation.imageRight, (row) => rowPaths[row] as string),
    },
  };
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

async function saveHead(encoderId: EncoderId, head: KinshipHead): Promise<void> {
  const files = headFiles(await exportHead(head));
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
    return {
      count: 1,
      message:
        `${errorMessage(e)} The trained head for ${label} scores pairs until you reload this ` +
        'page; use Export head to keep it.',
      summary: isQuotaError(e)
        ? 'Browser storage is full: the trained head was not saved (details under Result).'
        : 'The trained head was not saved (details under Result).',
    };
  }
}

export interface SavedHeadInfo {
  encoderId: EncoderId;
  encoderIdentity: string;
  threshold: number;
  valImageAuc: number | null;
  valMemberAuc: number | null;
  createdAt: string;
  /** False when the head was trained on other weights of this encoder than the installed ones. */
  matchesEncoder: boolean;
  roc: [number, number][];
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
    const matches = encoder !== undefined && meta.encoderId.startsWith(encoder.identity);
    if (matches && !trainedHeads.has(id)) {
      try {
        const head = await importHead({
          modelJson: JSON.parse(record.modelJson) as unknown,
          weightsBin: record.weightsBin,
          meta: JSON.parse(record.metaJson) as unknown,
        });
        trainedHeads.set(id, head);
        setHead(id, pairHeadOf(head));
      } catch {
        continue;
      }
    }
    const v = meta.validation;
    out.push({
      encoderId: id,
      encoderIdentity: meta.encoderId,
      threshold: meta.threshold,
      valImageAuc: v?.imageAuc ?? null,
      valMemberAuc: v?.memberAuc ?? null,
      createdAt: meta.createdAt,
      matchesEncoder: matches,
      roc: v?.roc ?? [],
    });
  }
  return out;
}

export interface HeadExport {
  files: Record<string, string | ArrayBuffer>;
}

export async function exportTrainedHead(encoderId: EncoderId): Promise<HeadExport> {
  const head = trainedHeads.get(encoderId);
  if (!head) throw new KinshipError('NOT_READY', 'No trained head for this encoder yet');
  return { files: headFiles(await exportHead(head)) };
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
  const parse = (text: string, file: string): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new KinshipError('WEIGHTS_FORMAT', 'is not valid JSON', { file });
    }
  };
  const head = await importHead({
    modelJson: parse(modelJsonText, HEAD_FILES.model),
    weightsBin,
    meta: parse(metaJsonText, HEAD_FILES.meta),
  });
  const encoder = requireEncoder(encoderId);
  if (head.arch.embeddingDim !== encoder.dim) {
    const dim = head.arch.embeddingDim;
    head.dispose();
    throw new KinshipError(
      'WEIGHTS_MISMATCH',
      `this head reads ${dim}-d embeddings but ${encoder.label} produces ${encoder.dim}-d ones`,
      { file: HEAD_FILES.meta },
    );
  }
  trainedHeads.get(encoderId)?.dispose();
  trainedHeads.set(encoderId, head);
  setHead(encoderId, pairHeadOf(head));
  const notSaved = await trySaveHead(encoderId, head, encoder.label);
  const v = head.meta.validation;
  return {
    notSaved,
    encoderId,
    encoderIdentity: head.meta.encoderId,
    threshold: head.meta.threshold,
    valImageAuc: v?.imageAuc ?? null,
    valMemberAuc: v?.memberAuc ?? null,
    createdAt: head.meta.createdAt,
    matchesEncoder: head.meta.encoderId.startsWith(encoder.identity),
    roc: v?.roc ?? [],
  };
}

export async function submissionCsv(
  encoderId: EncoderId,
  detect: boolean,
  signal: AbortSignal,
  onProgress?: ProgressFn,
): Promise<{ csv: string; rows: number; fallbackPairs: number }> {
  const s = requireDataset();
  const head = trainedHeads.get(encoderId);
  if (!head) throw new KinshipError('NOT_READY', 'Train a head for this encoder first');
  if (s.dataset.submissionPairs.length === 0) {
    throw new KinshipError(
      'DATASET_FORMAT',
      'The dataset has no sample_submission.csv with test pairs',
    );
  }
  const { vectors } = embeddingsFor(encoderId, detect);
  const paths = new Map(s.dataset.testPairs.map((p) => [p.imgPair, [p.pathA, p.pathB] as const]));
  const d = head.arch.embeddingDim;
  const result = await writeSubmission(
    s.dataset.submissionPairs,
    async (batch) => {
      const left = new Float32Array(batch.length * d);
      const right = new Float32Array(batch.length * d);
      const usable: boolean[] = batch.map((pair, i) => {
        const pp = paths.get(pair.imgPair);
        const a = pp ? vectors.get(pp[0]) : undefined;
        const b = pp ? vectors.get(pp[1]) : undefined;
        if (!a || !b) return false;
        left.set(a, i * d);
        right.set(b, i * d);
        return true;
      });
      const probs = await head.predict(left, right, { signal });
      return Array.from(probs, (p, i) => (usable[i] ? p : NaN));
    },
    { signal, ...(onProgress ? { onProgress } : {}) },
  );
  return { csv: result.csv, rows: result.rows, fallbackPairs: result.fallbackPairs.length };
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
  return embeddingsFor(encoderId, detect).vectors;
}

/** How many dataset images have an embedding for this encoder right now (no work done). */
export function embeddedCount(encoderId: EncoderId, detect: boolean): number {
  const encoder = encoderById(encoderId);
  if (!state || !encoder) return 0;
  return state.embeddings.get(datasetIdentity(encoder, detect))?.size ?? 0;
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
