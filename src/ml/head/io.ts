/**
 * Saving and loading a head as a standard TF.js layers model (model.json + weights.bin, loadable
 * with stock `tf.loadLayersModel`) plus meta.json. Downloads rename the three files (and the
 * manifest with them): file-names.ts.
 */
import { KinshipError } from '../../lib/errors';
import { tf } from '../tf';
import { HEAD_FILES } from './file-names';
import { KinshipHead } from './head';
import { readLayersModel } from './layers-model';
import { parseHeadMeta, type HeadMeta } from './meta';
import { headWeightsFrom } from './network';

export { HEAD_FILES };

export interface HeadArtifacts {
  /** Contents of model.json; its manifest points at `weights.bin`. */
  modelJson: tf.io.ModelJSON;
  weightsBin: ArrayBuffer;
  meta: HeadMeta;
}

export async function exportHead(head: KinshipHead): Promise<HeadArtifacts> {
  const model = head.toLayersModel();
  try {
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
    if (!saved?.modelTopology || !saved.weightSpecs || !saved.weightData) {
      throw new KinshipError('INTERNAL', 'saving the head produced no weights');
    }
    return {
      modelJson: {
        format: 'layers-model',
        generatedBy: saved.generatedBy,
        convertedBy: null,
        modelTopology: saved.modelTopology,
        weightsManifest: [{ paths: [HEAD_FILES.weights], weights: saved.weightSpecs }],
      },
      weightsBin: tf.io.CompositeArrayBuffer.join(saved.weightData),
      meta: structuredClone(head.meta),
    };
  } finally {
    model.dispose();
  }
}

/**
 * A head from saved files. `modelJson` and `meta` may be JSON text (as `headFiles` writes
 * them) or parsed JSON of unknown shape; they are checked, and the meta's architecture must
 * match the model graph.
 */
export async function importHead(files: {
  modelJson: unknown;
  weightsBin: ArrayBuffer;
  meta: unknown;
}): Promise<KinshipHead> {
  const meta = parseHeadMeta(parseJsonText(files.meta, HEAD_FILES.meta), HEAD_FILES.meta);
  const json = parseJsonText(files.modelJson, HEAD_FILES.model) as Partial<tf.io.ModelJSON> | null;
  if (!json || typeof json !== 'object' || !json.modelTopology || !json.weightsManifest) {
    throw new KinshipError('WEIGHTS_FORMAT', 'expected a TF.js layers model.json.', {
      file: HEAD_FILES.model,
    });
  }
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
        weightData: files.weightsBin,
      }),
    );
  } catch (e) {
    throw new KinshipError('WEIGHTS_FORMAT', `could not load the head model (${errorText(e)}).`, {
      file: HEAD_FILES.model,
      cause: e,
    });
  }
  try {
    let read;
    try {
      read = readLayersModel(model);
    } catch (e) {
      throw new KinshipError('WEIGHTS_FORMAT', `not a KinLens head: ${errorText(e)}.`, {
        file: HEAD_FILES.model,
        cause: e,
      });
    }
    const a = read.arch;
    const m = meta.architecture;
    if (
      a.embeddingDim !== m.embeddingDim ||
      a.hiddenUnits !== m.hiddenUnits ||
      a.diffSquares !== m.diffSquares ||
      (a.members ?? 1) !== (m.members ?? 1)
    ) {
      throw new KinshipError(
        'WEIGHTS_MISMATCH',
        `meta.json describes a ${m.embeddingDim}-d head but model.json holds a ${a.embeddingDim}-d one ` +
          `(${a.hiddenUnits} hidden units${a.diffSquares ? ', x1²−x2² block' : ''}).`,
        { file: HEAD_FILES.meta },
      );
    }
    return new KinshipHead(headWeightsFrom(a, read.values), { ...meta, architecture: a });
  } finally {
    model.dispose();
  }
}

/** The three files as strings/bytes, ready for a download or an IndexedDB record. */
export function headFiles(artifacts: HeadArtifacts): Record<string, string | ArrayBuffer> {
  return {
    [HEAD_FILES.model]: JSON.stringify(artifacts.modelJson),
    [HEAD_FILES.weights]: artifacts.weightsBin,
    [HEAD_FILES.meta]: JSON.stringify(artifacts.meta, null, 2),
  };
}

function parseJsonText(value: unknown, file: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch (e) {
    throw new KinshipError('WEIGHTS_FORMAT', `not valid JSON (${errorText(e)}).`, {
      file,
      cause: e,
    });
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
