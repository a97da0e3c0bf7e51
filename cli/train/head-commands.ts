/**
 * `npm run train -- --evaluate` and `--score`: a written head on a folder's validation families
 * (out-of-fold for an ensemble, with flip TTA when it was trained with it), and on one photo
 * pair as the Pair tab reads it.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { openAsBlob } from 'node:fs';
import { KinshipError } from '../../src/lib/errors';
import { embeddingsFor } from '../../src/finetune/embeddings';
import { evaluateHead, type HeadEvaluation } from '../../src/finetune/evaluate';
import { assertHeadFits, headFromFiles } from '../../src/finetune/export';
import { flipTtaRequested } from '../../src/finetune/flip-tta';
import { describeFlipTta } from '../../src/finetune/flip-tta-use';
import { embedFused } from '../../src/ml/encoders/ensemble';
import { encoderCrops } from '../../src/ml/face/align';
import { detectFaces } from '../../src/ml/face/detect';
import { HEAD_FILES, type KinshipHead } from '../../src/ml/head';
import type { CliCommand } from './args';
import { decodeImageNode } from './decode-node';
import { cacheDir, encodeFolder } from './encode-folder';
import { loadNodeEncoder } from './node-encoders';
import { ProgressBar } from './progress-bar';

export async function readHeadDir(dir: string): Promise<KinshipHead> {
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

/**
 * Whether a head's features were of eye-aligned faces ('/align'; '/detect' from before the
 * fast aligner) or whole-image crops ('/crop'); null when its identity does not say.
 */
export function alignedHead(encoderId: string): boolean | null {
  if (/\/(align|detect)$/.test(encoderId)) return true;
  return encoderId.endsWith('/crop') ? false : null;
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
    const detect = alignedHead(head.meta.encoderId) ?? cmd.detect;
    if (detect !== cmd.detect) {
      bar.log(
        detect
          ? 'the head was trained on eye-aligned faces: aligning them (as --detect-align)'
          : 'the head was trained on whole-image crops: --detect-align is not used',
      );
    }
    const { ds } = await encodeFolder(
      cmd.folder,
      encoder,
      { detect, flips: flipTtaRequested(head), cache: cacheDir(cmd, cmd.headDir) },
      bar,
      signal,
    );
    const { vectors, flips } = embeddingsFor(ds, encoder, detect);
    const result = await evaluateHead(ds, head, vectors, { signal, ...(flips ? { flips } : {}) });
    for (const [i, m] of result.members.entries()) {
      bar.log(
        `  head ${i + 1} (${m.heldOut}, ${m.validationFamilies} families): image AUC ${m.imageAuc.toFixed(4)}, member AUC ${m.memberAuc.toFixed(4)}`,
      );
    }
    const what = result.outOfFold
      ? `out-of-fold over ${result.members.length} heads (${result.validationFamilies} families)`
      : `validation (${result.validationFamilies} families)`;
    const tta = describeFlipTta(result.flipTta);
    bar.log(
      `${what}: image AUC ${result.imageAuc.toFixed(4)} (${result.imagePairs} pairs), member AUC ${result.memberAuc.toFixed(4)} (${result.memberPairs} pairs)${tta ? `; ${tta}` : ''}`,
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
