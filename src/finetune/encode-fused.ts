/**
 * Encoding dataset photos with any encoder. A fused one (the face ensemble) is encoded part by
 * part, each with its own crop kind under its own cache identity (so parts cached earlier cost
 * nothing), then fused; the fused vectors are cached too, under datasetIdentity() of the fused
 * encoder.
 */
import type { CachedEmbedding } from '../data/embedding-cache';
import { EmbeddingSaver } from '../data/embedding-saver';
import type { Encoder } from '../ml/encoders/types';
import { datasetIdentity, flipIdentityOf } from './dataset';
import { encodePaths, type EncodeIo } from './encode';
import { summarizeAlignments, type EncodeOptions, type EncodeResult } from './encode-result';
import { hashDatasetFiles } from './hashes';
import type { LoadedDataset } from './types';

export async function encodeDatasetPaths(
  ds: LoadedDataset,
  encoder: Encoder,
  paths: readonly string[],
  opts: EncodeOptions,
  io: EncodeIo,
): Promise<EncodeResult> {
  if (!encoder.fused) return encodePaths(ds, encoder, paths, opts, io);
  const { parts, fuse } = encoder.fused;
  const started = performance.now();
  const phase = io.phase ?? 'encoding';
  const identity = datasetIdentity(encoder, opts.detect);
  const flipIdentity = flipIdentityOf(identity);
  const hashes = await hashDatasetFiles(ds, paths, io.signal, io.onProgress);

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
  const todoPaths = todo.map((i) => paths[i] as string);

  // Each part over the photos the fused cache lacks; progress spans all parts.
  const results: EncodeResult[] = [];
  for (const [k, part] of parts.entries()) {
    const partResult = await encodePaths(ds, part, todoPaths, opts, {
      ...io,
      onProgress: (p) => {
        if (p.phase !== phase) return io.onProgress?.(p);
        const done = fromCache + Math.floor((k * todoPaths.length + p.done) / parts.length);
        const left = (parts.length - k - 1) * todoPaths.length;
        io.onProgress?.({
          phase,
          done,
          total: paths.length,
          message: `${part.label} (${k + 1} of ${parts.length})`,
          ...(p.rate !== undefined && p.etaSeconds !== undefined
            ? { rate: p.rate, etaSeconds: p.etaSeconds + left / Math.max(p.rate, 1e-6) }
            : {}),
        });
      },
    });
    results.push(partResult);
  }

  const partTables = parts.map((p) => ds.embeddings.get(datasetIdentity(p, opts.detect)));
  const partFlips = parts.map((p) =>
    ds.embeddings.get(flipIdentityOf(datasetIdentity(p, opts.detect))),
  );
  const records: CachedEmbedding[] = [];
  const flipRecords: CachedEmbedding[] = [];
  for (const index of todo) {
    const path = paths[index] as string;
    const partVectors = partTables.map((t) => t?.get(path));
    if (partVectors.some((v) => !v)) continue; // a part failed on this image
    const fused = fuse(partVectors as Float32Array[]);
    vectors.set(path, fused);
    if (!cached[index]) records.push({ hash: hashes[index] as string, vector: fused });
    if (opts.flips) {
      const flips = partFlips.map((t) => t?.get(path));
      if (flips.every((v) => v)) {
        const fusedFlip = fuse(flips as Float32Array[]);
        flipVectors.set(path, fusedFlip);
        flipRecords.push({ hash: hashes[index] as string, vector: fusedFlip });
      }
    }
  }
  if (records.length > 0) await saver.save(identity, records);
  if (flipRecords.length > 0) await saver.save(flipIdentity, flipRecords);

  const failed = new Map<string, string>();
  for (const r of results)
    for (const f of r.failed) if (!failed.has(f.path)) failed.set(f.path, f.message);
  const sum = (key: keyof EncodeResult['timing']): number =>
    results.reduce((n, r) => n + r.timing[key], 0);
  const encodeSeconds = sum('encodeSeconds');
  const computed = results.reduce(
    (n, r) => Math.max(n, r.imagesPerSecond > 0 ? r.total - r.fromCache : 0),
    0,
  );
  const shortfall = saver.shortfall() ?? results.find((r) => r.notSaved)?.notSaved ?? null;
  return {
    encoderId: encoder.id,
    total: paths.length,
    fromCache,
    encoded: todo.length - failed.size,
    identicalFiles: Math.max(0, ...results.map((r) => r.identicalFiles)),
    failed: [...failed].map(([path, message]) => ({ path, message })),
    // The parts share one alignment per photo (the first part to need it finds the eyes).
    alignment: opts.detect ? summarizeAlignments(ds, todoPaths) : null,
    notSaved: shortfall,
    seconds: (performance.now() - started) / 1000,
    // Photos through all parts per second of the parts' encoding time.
    imagesPerSecond: computed > 0 ? computed / Math.max(encodeSeconds, 1e-3) : 0,
    timing: {
      hashSeconds: sum('hashSeconds'),
      modelSeconds: sum('modelSeconds'),
      inputWaitSeconds: sum('inputWaitSeconds'),
      encodeSeconds,
    },
  };
}
