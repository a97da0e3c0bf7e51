/**
 * Encoding dataset photos with one plain encoder: content hash → cache lookup → decode and crop
 * → embed in batches (decoding of the next batches overlaps embedding of this one) → save per
 * batch, so a reload or a cancel keeps everything finished so far.
 */
import { throwIfAborted, type ProgressFn } from '../lib/abort';
import { errorMessage } from '../lib/errors';
import type { CachedEmbedding } from '../data/embedding-cache';
import { EmbeddingSaver } from '../data/embedding-saver';
import type { Encoder } from '../ml/encoders/types';
import { flipHorizontal } from '../ml/face/resample';
import type { PixelImage } from '../ml/face/pixels';
import { cropsForDataset } from './dataset-crops';
import { datasetIdentity, flipIdentityOf } from './dataset';
import { summarizeAlignments, type EncodeOptions, type EncodeResult } from './encode-result';
import { hashDatasetFiles } from './hashes';
import type { DecodeImage, EmbeddingStore, LoadedDataset } from './types';

export interface EncodeIo {
  /** Opens the embedding store; a rejection means "no storage": vectors stay in memory only. */
  store: () => Promise<EmbeddingStore>;
  decode: DecodeImage;
  signal: AbortSignal;
  onProgress?: ProgressFn;
  /** Progress phase label while embedding (default 'encoding'). */
  phase?: string;
}

type Prepared = { index: number; crop: PixelImage } | null;

/**
 * Batches decoded ahead of the model. One left the model waiting for input 12–17 % of the
 * encoding time in the browser (decoding is partly off-thread there); two keep it fed.
 */
const PREFETCH_BATCHES = 2;

/** Embeds `paths` of the dataset with a plain (not fused) encoder, cache first. */
export async function encodePaths(
  ds: LoadedDataset,
  encoder: Encoder,
  paths: readonly string[],
  opts: EncodeOptions,
  io: EncodeIo,
): Promise<EncodeResult> {
  const { signal, onProgress } = io;
  const phase = io.phase ?? 'encoding';
  const started = performance.now();
  const identity = datasetIdentity(encoder, opts.detect);
  const flipIdentity = flipIdentityOf(identity);

  const hashes = await hashDatasetFiles(ds, paths, signal, onProgress);

  // What the cache already holds. Without usable storage, everything is encoded and kept in
  // memory for this session.
  const saver = new EmbeddingSaver(io.store);
  let cached: (Float32Array | undefined)[] = [];
  let cachedFlips: (Float32Array | undefined)[] = [];
  try {
    const store = await io.store();
    cached = await store.getMany(identity, hashes);
    cachedFlips = opts.flips ? await store.getMany(flipIdentity, hashes) : [];
  } catch (e) {
    saver.unavailable(e);
  }
  const vectors = ds.embeddings.get(identity) ?? new Map<string, Float32Array>();
  const flipVectors = ds.embeddings.get(flipIdentity) ?? new Map<string, Float32Array>();
  ds.embeddings.set(identity, vectors);
  if (opts.flips) ds.embeddings.set(flipIdentity, flipVectors);
  const todo: number[] = [];
  paths.forEach((p, i) => {
    const v = cached[i];
    const f = cachedFlips[i];
    if (v) vectors.set(p, v);
    if (f) flipVectors.set(p, f);
    if (!v || (opts.flips && !f)) todo.push(i);
  });
  const fromCache = paths.length - todo.length;
  const hashSeconds = (performance.now() - started) / 1000;

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

  const batchSize = opts.batchSize ?? (encoder.crop === 'descriptor' ? 16 : 8);
  const failed: EncodeResult['failed'] = [];
  let computed = 0;
  /** Paths embedded in this run (one per set of identical files), for the alignment summary. */
  const aligned: string[] = [];
  let done = 0;
  let modelMs = 0;
  let waitMs = 0;
  const encodeStart = performance.now();
  const prepare = async (start: number): Promise<Prepared[]> => {
    const indices = work.slice(start, start + batchSize);
    const crops = await cropsForDataset(
      indices.map((index) => {
        const path = paths[index] as string;
        return { path, file: ds.files.get(path) as Blob };
      }),
      encoder,
      opts.detect,
      { decode: io.decode, alignments: ds.alignments, signal },
    );
    return indices.map((index, i): Prepared => {
      const crop = crops[i] as PixelImage | Error;
      if (!(crop instanceof Error)) return { index, crop };
      for (const copy of copiesOf(index))
        failed.push({ path: paths[copy] as string, message: errorMessage(crop) });
      return null;
    });
  };
  // Up to PREFETCH_BATCHES batches are read and decoded ahead while the model runs.
  const pending: Promise<Prepared[]>[] = [];
  let nextStart = 0;
  const prefetch = (): void => {
    while (pending.length < PREFETCH_BATCHES && nextStart < work.length) {
      const ready = prepare(nextStart);
      // A batch left behind by a cancel must not surface as an unhandled rejection.
      ready.catch(() => undefined);
      pending.push(ready);
      nextStart += batchSize;
    }
  };
  prefetch();
  // What the cache already covers, before the first batch gives a rate.
  onProgress?.({ phase, done: fromCache, total: paths.length });
  for (let start = 0; start < work.length; start += batchSize) {
    throwIfAborted(signal);
    const waitStart = performance.now();
    const batch = ((await pending.shift()) ?? []).filter(
      (b): b is NonNullable<Prepared> => b !== null,
    );
    waitMs += performance.now() - waitStart;
    prefetch();
    if (batch.length > 0) {
      const crops = batch.map((b) => b.crop);
      // An image encoded again only for its mirrored copy keeps its cached vector.
      const plain = batch.flatMap((b, i) => (cached[b.index] ? [] : [i]));
      const modelStart = performance.now();
      const fresh =
        plain.length > 0
          ? await encoder.embed(
              plain.map((i) => crops[i] as PixelImage),
              { signal },
            )
          : [];
      const flipped = opts.flips ? await encoder.embed(crops.map(flipHorizontal), { signal }) : [];
      modelMs += performance.now() - modelStart;
      computed += batch.length;
      for (const b of batch) aligned.push(paths[b.index] as string);
      const embedded = batch.map((b) => cached[b.index]);
      plain.forEach((i, j) => (embedded[i] = fresh[j]));
      const records: CachedEmbedding[] = plain.map((i, j) => ({
        hash: hashes[(batch[i] as NonNullable<Prepared>).index] as string,
        vector: fresh[j] as Float32Array,
      }));
      batch.forEach((b, i) => {
        for (const copy of copiesOf(b.index)) {
          vectors.set(paths[copy] as string, embedded[i] as Float32Array);
          if (opts.flips) flipVectors.set(paths[copy] as string, flipped[i] as Float32Array);
        }
      });
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
      phase,
      done: fromCache + done,
      total: paths.length,
      rate,
      etaSeconds: (todo.length - done) / Math.max(rate, 1e-6),
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const encodeSeconds = (performance.now() - encodeStart) / 1000;
  return {
    encoderId: encoder.id,
    total: paths.length,
    fromCache,
    encoded: todo.length - failed.length,
    identicalFiles: todo.length - work.length,
    failed,
    alignment: opts.detect ? summarizeAlignments(ds, aligned) : null,
    notSaved: saver.shortfall(),
    seconds,
    imagesPerSecond: computed > 0 ? computed / Math.max(encodeSeconds, 1e-3) : 0,
    timing: {
      hashSeconds,
      modelSeconds: modelMs / 1000,
      inputWaitSeconds: waitMs / 1000,
      encodeSeconds,
    },
  };
}
