/**
 * The names of a head's files: plain model.json / weights.bin / meta.json inside the app (head
 * store, built-in heads), `<encoder>-head.json` / `<encoder>-head.weights.bin` /
 * `<encoder>-head.meta.json` as downloads. The downloaded model.json names its weights file by the
 * download name, so the three files as saved load with stock `tf.loadLayersModel` /
 * `tf.io.browserFiles`. No tfjs here: the page (main thread) names and picks the files.
 */
import type { io } from '@tensorflow/tfjs';

export const HEAD_FILES = {
  model: 'model.json',
  weights: 'weights.bin',
  meta: 'meta.json',
} as const;

export interface HeadDownload {
  name: string;
  data: string | ArrayBuffer;
  type: 'application/json' | 'application/octet-stream';
}

export function headDownloadNames(encoderId: string): Record<keyof typeof HEAD_FILES, string> {
  return {
    model: `${encoderId}-head.json`,
    weights: `${encoderId}-head.weights.bin`,
    meta: `${encoderId}-head.meta.json`,
  };
}

/**
 * The exported head (files keyed by HEAD_FILES, as the worker sends them) as three downloads,
 * its model.json's weightsManifest rewritten to name the weights file by its download name.
 */
export function headDownloads(
  encoderId: string,
  files: Readonly<Record<string, string | ArrayBuffer>>,
): HeadDownload[] {
  const modelText = files[HEAD_FILES.model];
  const weights = files[HEAD_FILES.weights];
  const meta = files[HEAD_FILES.meta];
  if (
    typeof modelText !== 'string' ||
    !(weights instanceof ArrayBuffer) ||
    typeof meta !== 'string'
  )
    throw new Error(`the exported head lacks ${Object.values(HEAD_FILES).join(', ')}`);
  const names = headDownloadNames(encoderId);
  const model = JSON.parse(modelText) as io.ModelJSON;
  if (model.weightsManifest.length !== 1)
    throw new Error(
      `${HEAD_FILES.model}: expected one weights group, found ${model.weightsManifest.length}`,
    );
  const group = model.weightsManifest[0] as io.WeightsManifestConfig[number];
  const renamed: io.ModelJSON = {
    ...model,
    weightsManifest: [{ ...group, paths: [names.weights] }],
  };
  return [
    { name: names.model, data: JSON.stringify(renamed), type: 'application/json' },
    { name: names.weights, data: weights, type: 'application/octet-stream' },
    { name: names.meta, data: meta, type: 'application/json' },
  ];
}

interface NamedText {
  name: string;
  text(): Promise<string>;
}

export interface PickedHeadFiles<F> {
  model: F;
  modelText: string;
  weights: F;
  meta: F;
}

/**
 * Finds a head's three files among picked ones, under their download names or the plain ones
 * (older exports' `<encoder>-head-model.json` etc. too): meta = `…meta.json`, model = the other
 * JSON that holds a layers model, weights = the one `.bin` (or, among several, the one the model's
 * manifest names). Throws a message that says what is missing or ambiguous.
 */
export async function pickHeadFiles<F extends NamedText>(
  files: readonly F[],
  encoderId: string,
): Promise<PickedHeadFiles<F>> {
  const names = headDownloadNames(encoderId);
  const expected =
    `${names.model}, ${names.weights} and ${names.meta} ` +
    `(or ${HEAD_FILES.model}, ${HEAD_FILES.weights} and ${HEAD_FILES.meta})`;
  const lower = (f: F): string => f.name.toLowerCase();
  const metas = files.filter((f) => lower(f).endsWith('meta.json'));
  const jsons = files.filter((f) => lower(f).endsWith('.json') && !metas.includes(f));
  const bins = files.filter((f) => lower(f).endsWith('.bin'));
  const missing = [
    jsons.length === 0 ? 'the model (.json)' : null,
    bins.length === 0 ? 'the weights (.bin)' : null,
    metas.length === 0 ? 'the meta file (meta.json)' : null,
  ].filter((m): m is string => m !== null);
  if (missing.length > 0)
    throw new Error(
      `Pick the three files of an exported head together: ${expected}; missing ${missing.join(', ')}.`,
    );
  if (metas.length > 1)
    throw new Error(`Pick one head at a time: ${listNames(metas)} are all meta files.`);

  const read = await Promise.all(
    jsons.map(async (file) => {
      const text = await file.text();
      return { file, text, paths: manifestPaths(text) };
    }),
  );
  const models = read.filter((r) => r.paths !== null);
  if (models.length > 1)
    throw new Error(
      `Pick one head at a time: ${listNames(models.map((m) => m.file))} are all models.`,
    );
  // A lone JSON that is no layers model goes on to the loader, which says what is wrong with it.
  const model = models[0] ?? (read.length === 1 ? read[0] : undefined);
  if (!model) throw new Error(`None of ${listNames(jsons)} is a TF.js layers model.json.`);
  const paths = (model.paths ?? []).map(baseName);

  const named = bins.filter((b) => paths.includes(b.name));
  const weights = bins.length === 1 ? bins[0] : named.length === 1 ? named[0] : undefined;
  if (!weights)
    throw new Error(
      `${model.file.name} names ${paths.join(', ') || 'no weights file'}, ` +
        `but the picked weights are ${listNames(bins)}: pick one .bin.`,
    );
  return { model: model.file, modelText: model.text, weights, meta: metas[0] as F };
}

/** The weights paths of a layers model.json's manifest, or null when the text is not one. */
function manifestPaths(text: string): string[] | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (!json || typeof json !== 'object' || !('modelTopology' in json)) return null;
  const manifest = (json as { weightsManifest?: unknown }).weightsManifest;
  if (!Array.isArray(manifest)) return null;
  return manifest.flatMap((group: unknown) => {
    const paths = (group as { paths?: unknown } | null)?.paths;
    return Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : [];
  });
}

function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

function listNames(files: readonly { name: string }[]): string {
  return files.map((f) => f.name).join(', ');
}
