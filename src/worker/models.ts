/**
 * ResNet50 encoders in the worker: installing dropped weight files (Keras .h5 or a TF.js
 * model.json with its shards) into IndexedDB, restoring them after a reload, picking up models a
 * deployer preinstalled under models/<id>/, and removing them.
 */
import type { ProgressFn } from '../lib/abort';
import { KinshipError } from '../lib/errors';
import { createResNet50AppEncoder } from '../ml/encoders/resnet';
import { ENCODERS, type EncoderId as ResNetId } from '../ml/resnet50/encoders';
import { VARIANT_SPECS, type ResNetVariant } from '../ml/resnet50/variants';
import { assertWeightsFileSize } from '../ml/weights/limits';
import { loadResNet50FromH5 } from '../ml/weights/load-h5';
import {
  loadResNet50FromTfjs,
  loadResNet50FromUrl,
  shardsFromFiles,
} from '../ml/weights/load-tfjs';
import {
  loadInstalledWeights,
  serializeInstalledWeights,
  type InstalledWeights,
} from '../ml/weights/installed';
import {
  describeInstalled,
  openEncoderStore,
  type EncoderStore,
} from '../ml/weights/encoder-store';
import type { LoadedResNet50 } from '../ml/weights/types';
import { removeEncoder, setEncoder } from './encoders';

export const RESNET_IDS: readonly ResNetId[] = ['resnet50-vggface', 'resnet50-imagenet'];

export interface ModelStatus {
  id: ResNetId;
  label: string;
  state: 'not-installed' | 'ready';
  source: 'installed' | 'preinstalled' | null;
  variant: ResNetVariant | null;
  sha256: string | null;
  byteLength: number | null;
  sourceName: string | null;
  installedAt: number | null;
  parameterCount: number | null;
  weightTensors: number | null;
  loadMs: number | null;
}

const status = new Map<ResNetId, ModelStatus>();
let storePromise: Promise<EncoderStore> | null = null;

function store(): Promise<EncoderStore> {
  storePromise ??= openEncoderStore().catch((e: unknown) => {
    storePromise = null;
    throw e;
  });
  return storePromise;
}

function emptyStatus(id: ResNetId): ModelStatus {
  return {
    id,
    label: ENCODERS[id].label,
    state: 'not-installed',
    source: null,
    variant: null,
    sha256: null,
    byteLength: null,
    sourceName: null,
    installedAt: null,
    parameterCount: null,
    weightTensors: null,
    loadMs: null,
  };
}

/** The browser deleted the encoder store: installed encoders now live only in this session. */
export function forgetSavedCopies(): void {
  for (const [id, s] of status) {
    if (s.source === 'installed') status.set(id, { ...s, source: null });
  }
}

/** Ids of the encoders whose weights are in browser storage right now. */
export async function savedEncoderIds(): Promise<string[]> {
  return (await (await store()).list()).map((m) => m.id);
}

export function modelStatuses(): ModelStatus[] {
  return RESNET_IDS.map((id) => status.get(id) ?? emptyStatus(id));
}

async function activate(
  loaded: LoadedResNet50,
  installed: InstalledWeights,
  source: ModelStatus['source'],
  sourceName: string,
  installedAt: number,
  loadMs: number,
): Promise<ModelStatus> {
  const parameterCount = loaded.model.countParams();
  // The encoder folds BN into the convolutions and disposes the layers model.
  const encoder = createResNet50AppEncoder(loaded.model, loaded.variant, installed.sha256);
  setEncoder(encoder);
  const spec = VARIANT_SPECS[loaded.variant];
  const s: ModelStatus = {
    id: encoder.id as ResNetId,
    label: encoder.label,
    state: 'ready',
    source,
    variant: loaded.variant,
    sha256: installed.sha256,
    byteLength: installed.data.byteLength,
    sourceName,
    installedAt,
    parameterCount,
    weightTensors: spec.weightTensorCount,
    loadMs,
  };
  status.set(s.id, s);
  return s;
}

/** Restores installed encoders from IndexedDB, then any preinstalled ones not overridden. */
export async function restoreModels(baseUrl: string, signal: AbortSignal): Promise<ModelStatus[]> {
  const db = await store();
  for (const meta of await db.list()) {
    if (status.get(meta.id)?.state === 'ready') continue;
    const weights = await db.getWeights(meta.id);
    if (!weights) continue;
    const started = performance.now();
    const loaded = await loadInstalledWeights(weights, { signal, verifyHash: false });
    await activate(
      loaded,
      weights,
      'installed',
      meta.sourceName,
      meta.installedAt,
      performance.now() - started,
    );
  }
  for (const id of await preinstalledIds(baseUrl)) {
    if (status.get(id)?.state === 'ready') continue;
    const started = performance.now();
    const url = new URL(`models/${id}/model.json`, baseUrl).href;
    const loaded = await loadResNet50FromUrl(url, { signal, fileName: `models/${id}/model.json` });
    const installed = await serializeInstalledWeights(loaded.model, loaded.variant);
    await activate(
      loaded,
      installed,
      'preinstalled',
      `models/${id}/`,
      Date.now(),
      performance.now() - started,
    );
  }
  return modelStatuses();
}

/** The build lists preinstalled models in models/index.json (so we never probe for 404s). */
async function preinstalledIds(baseUrl: string): Promise<ResNetId[]> {
  try {
    const response = await fetch(new URL('models/index.json', baseUrl));
    if (!response.ok) return [];
    const json = (await response.json()) as { models?: unknown };
    return Array.isArray(json.models)
      ? json.models.filter((m): m is ResNetId => RESNET_IDS.includes(m as ResNetId))
      : [];
  } catch {
    return [];
  }
}

/** Installs weights from dropped files: one .h5, or a model.json with its .bin shards. */
export async function installWeights(
  files: readonly File[],
  signal: AbortSignal,
  onProgress?: ProgressFn,
): Promise<ModelStatus> {
  const h5 = files.filter((f) => /\.(h5|hdf5|keras)$/i.test(f.name));
  const json = files.find((f) => /\.json$/i.test(f.name));
  const started = performance.now();
  let loaded: LoadedResNet50;
  let sourceName: string;
  const progress = onProgress ? { onProgress } : {};
  if (h5.length === 1 && h5[0]) {
    const file = h5[0];
    assertWeightsFileSize(file.size, file.name);
    sourceName = file.name;
    loaded = await loadResNet50FromH5(file, { signal, fileName: file.name, ...progress });
  } else if (json) {
    sourceName = json.name;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await json.text()) as unknown;
    } catch {
      throw new KinshipError('WEIGHTS_FORMAT', 'is not valid JSON', { file: json.name });
    }
    const shards = new Map<string, ArrayBuffer>();
    for (const f of files) {
      if (f === json) continue;
      assertWeightsFileSize(f.size, f.name);
      shards.set(f.name, await f.arrayBuffer());
    }
    loaded = await loadResNet50FromTfjs(parsed, shardsFromFiles(shards), {
      signal,
      fileName: json.name,
      ...progress,
    });
  } else if (h5.length > 1) {
    throw new KinshipError('WEIGHTS_FORMAT', 'Drop one .h5 file at a time');
  } else {
    const names = files.map((f) => f.name).join(', ') || 'no files';
    throw new KinshipError(
      'WEIGHTS_FORMAT',
      `${names}: expected a Keras .h5 weights file, or a TF.js model.json together with its .bin shards`,
    );
  }
  onProgress?.({ phase: 'saving', done: 0, total: 1 });
  const installed = await serializeInstalledWeights(loaded.model, loaded.variant);
  const meta = describeInstalled(installed, sourceName);
  try {
    await (await store()).put(meta, installed);
  } catch (e) {
    // Still usable in this session; say that it will not survive a reload.
    await activate(
      loaded,
      installed,
      null,
      sourceName,
      meta.installedAt,
      performance.now() - started,
    );
    const code = e instanceof KinshipError ? e.code : 'STORAGE';
    const why = e instanceof Error ? e.message : String(e);
    throw new KinshipError(code, `${why} The encoder works until you reload this page.`, {
      file: sourceName,
    });
  }
  onProgress?.({ phase: 'saving', done: 1, total: 1 });
  return activate(
    loaded,
    installed,
    'installed',
    sourceName,
    meta.installedAt,
    performance.now() - started,
  );
}

export async function removeModel(id: ResNetId): Promise<ModelStatus[]> {
  await (await store()).delete(id);
  removeEncoder(id);
  status.delete(id);
  return modelStatuses();
}
