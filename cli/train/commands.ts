/**
 * What `npm run train` does, on the same fine-tuning core the app's worker calls: import the
 * folder, encode its training photos (disk-cached), train, and write the head as "Export head"
 * does plus MODEL_CARD.md; evaluate a head on a folder's validation split; score one photo pair
 * as the Pair tab does.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { openAsBlob } from 'node:fs';
import { KinshipError } from '../../src/lib/errors';
import { SEED_SPLIT, type SplitSpec } from '../../src/data/splits';
import { importDataset, trainPaths } from '../../src/finetune/dataset';
import { encodeDatasetPaths } from '../../src/finetune/encode-fused';
import type { EncodeResult } from '../../src/finetune/encode-result';
import { embeddingsFor } from '../../src/finetune/embeddings';
import { evaluateHead, type HeadEvaluation } from '../../src/finetune/evaluate';
import { assertHeadFits, headFromFiles, headToFiles } from '../../src/finetune/export';
import { trainOnDataset, type TrainedOnDataset } from '../../src/finetune/train';
import type { LoadedDataset } from '../../src/finetune/types';
import { embedFused } from '../../src/ml/encoders/ensemble';
import type { Encoder } from '../../src/ml/encoders/types';
import { encoderCrops } from '../../src/ml/face/align';
import { detectFaces } from '../../src/ml/face/detect';
import { HEAD_FILES, type KinshipHead } from '../../src/ml/head';
import { modelCard } from '../../src/ml/head/model-card';
import type { CliCommand } from './args';
import { decodeImageNode } from './decode-node';
import { DiskEmbeddingStore } from './disk-cache';
import { readDatasetFolder } from './folder';
import { loadNodeEncoder } from './node-encoders';
import { ProgressBar } from './progress-bar';

export const MODEL_CARD_FILE = 'MODEL_CARD.md';

/** Default cache: .kinlens-cache next to the output (or head) folder. */
function cacheDir(cmd: CliCommand, near: string): string {
  return cmd.cache ?? join(dirname(resolve(near)), '.kinlens-cache');
}

async function encodeFolder(
  folder: string,
  encoder: Encoder,
  detect: boolean,
  cache: string,
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
  const store = new DiskEmbeddingStore(cache);
  const encoded = await encodeDatasetPaths(
    ds,
    encoder,
    trainPaths(ds),
    { detect, flips: false },
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

async function readHeadDir(dir: string): Promise<KinshipHead> {
  const read = (name: string) =>
    readFile(join(dir, name)).catch((e: unknown) => {
      throw new KinshipError('WEIGHTS_MISSING', `missing in ${dir}`, { file: name, cause: e });
    });
  const [model, weights, meta] = await Promise.all([
    read(HEAD_FILES.model),
    read(HEAD_FILES.weights),
    read(HEAD_FILES.meta),
  ]);
  return headFromFiles({
    modelJson: model.toString('utf8'),
    weightsBin: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    metaJson: meta.toString('utf8'),
  });
}

export interface TrainOutcome extends TrainedOnDataset {
  encoded: EncodeResult;
  files: string[];
}

export async function runTrain(
  cmd: Extract<CliCommand, { kind: 'train' }>,
  bar = new ProgressBar(),
  signal = new AbortController().signal,
): Promise<TrainOutcome> {
  const encoder = await loadNodeEncoder(cmd.encoder);
  const { ds, encoded } = await encodeFolder(
    cmd.folder,
    encoder,
    cmd.detect,
    cacheDir(cmd, cmd.out),
    bar,
    signal,
  );
  const split: SplitSpec = cmd.splitPrefix
    ? { kind: 'prefix', prefix: cmd.splitPrefix }
    : SEED_SPLIT;
  const trained = await trainOnDataset(
    ds,
    encoder,
    split,
    { preset: cmd.recipe, ...(cmd.epochs !== null ? { epochs: cmd.epochs } : {}) },
    cmd.detect,
    {
      signal,
      onEpoch: (s) =>
        bar.update({
          phase: 'training',
          done: s.epoch,
          total: s.epochs,
          message: `val AUC ${s.valImageAuc.toFixed(3)} image / ${s.valMemberAuc.toFixed(3)} member`,
        }),
    },
  );
  const s = trained.summary;
  bar.log(
    `kept epoch ${s.bestEpoch} of ${s.history.length}: validation AUC ${s.valImageAuc.toFixed(4)} image pairs, ${s.valMemberAuc.toFixed(4)} member pairs (${s.stopReason})`,
  );
  await mkdir(cmd.out, { recursive: true });
  const files = await headToFiles(trained.head);
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    await writeFile(
      join(cmd.out, name),
      typeof content === 'string' ? content : new Uint8Array(content),
    );
    written.push(name);
  }
  const card = modelCard(trained.head.meta, {
    encoderLabel: encoder.label,
    madeWith: `\`npm run train\` on ${ds.name}, encoder ${encoder.id}`,
  });
  await writeFile(join(cmd.out, MODEL_CARD_FILE), card);
  written.push(MODEL_CARD_FILE);
  bar.log(`wrote ${written.join(', ')} to ${cmd.out}`);
  return { ...trained, encoded, files: written };
}

export async function runEvaluate(
  cmd: Extract<CliCommand, { kind: 'evaluate' }>,
  bar = new ProgressBar(),
  signal = new AbortController().signal,
): Promise<HeadEvaluation> {
  const encoder = await loadNodeEncoder(cmd.encoder);
  const head = await readHeadDir(cmd.headDir);
  try {
    assertHeadFits(head, encoder);
    const { ds } = await encodeFolder(
      cmd.folder,
      encoder,
      cmd.detect,
      cacheDir(cmd, cmd.headDir),
      bar,
      signal,
    );
    const result = await evaluateHead(
      ds,
      head,
      embeddingsFor(ds, encoder, cmd.detect).vectors,
      signal,
    );
    bar.log(
      `validation (${result.validationFamilies} families): image AUC ${result.imageAuc.toFixed(4)} (${result.imagePairs} pairs), member AUC ${result.memberAuc.toFixed(4)} (${result.memberPairs} pairs)`,
    );
    return result;
  } finally {
    head.dispose();
  }
}

/** The Pair tab's reading of two photos: the largest face of each (SSD), eye-aligned crops. */
export async function runScore(cmd: Extract<CliCommand, { kind: 'score' }>): Promise<number> {
  const encoder = await loadNodeEncoder(cmd.encoder);
  const head = await readHeadDir(cmd.headDir);
  try {
    assertHeadFits(head, encoder);
    const vectors: Float32Array[] = [];
    for (const photo of [cmd.photoA, cmd.photoB]) {
      const image = await decodeImageNode(await openAsBlob(photo), basename(photo), {
        maxSide: 2048,
      });
      const [face] = await detectFaces(image, { detector: 'ssd' });
      if (!face) throw new KinshipError('NO_FACE', 'no face found', { file: basename(photo) });
      const crops = encoderCrops(image, face.eyes);
      const [v] = await embedFused(encoder, {
        descriptor: [crops.descriptor],
        resnet: [crops.resnet],
      });
      vectors.push(v as Float32Array);
    }
    const [p] = await head.predict(vectors[0] as Float32Array, vectors[1] as Float32Array);
    return p as number;
  } finally {
    head.dispose();
  }
}
