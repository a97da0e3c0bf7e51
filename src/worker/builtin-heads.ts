/**
 * Kinship heads that ship with the app (public/models/heads/<encoder id>/: model.json,
 * weights.bin, meta.json, MODEL_CARD.md and provenance.json), listed at build time in
 * models/index.json. They score their encoder whenever the user has no head of their own.
 */
import { KinshipError, errorMessage } from '../lib/errors';
import type { EncoderId } from '../ml/encoders/types';
import { importHead, type HeadMeta } from '../ml/head';
import type { HeadDatasetInfo } from '../ml/head/meta';
import { encoderById, setBuiltInHead } from './encoders';
import { pairHeadOf } from './finetune';

export interface BuiltInHeadInfo {
  encoderId: EncoderId;
  state: 'ready' | 'error';
  /** What went wrong, naming the file (state 'error'). */
  error: string | null;
  /** The head's meta (state 'ready'), with the provenance its folder adds. */
  meta: HeadMeta | null;
  /** URL of its MODEL_CARD.md, relative to the app. */
  cardUrl: string;
}

/** Facts the shipped meta.json does not record, from the head's README (provenance.json). */
interface Provenance {
  dataset?: HeadDatasetInfo;
  validationFamilies?: number;
}

async function fetchOk(url: URL, file: string, signal: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (e) {
    throw new KinshipError('WEIGHTS_FORMAT', `could not be read (${errorMessage(e)})`, { file });
  }
  if (!response.ok) {
    throw new KinshipError('WEIGHTS_FORMAT', `is missing (HTTP ${response.status})`, { file });
  }
  return response;
}

async function listed(baseUrl: string, signal: AbortSignal): Promise<EncoderId[]> {
  const response = await fetch(new URL('models/index.json', baseUrl), { signal });
  if (!response.ok) return [];
  const json = (await response.json()) as { heads?: unknown };
  return Array.isArray(json.heads)
    ? json.heads.filter((h): h is EncoderId => typeof h === 'string')
    : [];
}

async function loadOne(baseUrl: string, id: EncoderId, signal: AbortSignal): Promise<HeadMeta> {
  const dir = `models/heads/${id}/`;
  const read = (name: string): Promise<Response> =>
    fetchOk(new URL(dir + name, baseUrl), dir + name, signal);
  const [model, weights, meta, provenance] = await Promise.all([
    read('model.json').then((r) => r.text()),
    read('weights.bin').then((r) => r.arrayBuffer()),
    read('meta.json').then((r) => r.text()),
    read('provenance.json')
      .then((r) => r.json() as Promise<Provenance>)
      .catch(() => ({}) as Provenance),
  ]);
  let head;
  try {
    head = await importHead({ modelJson: model, weightsBin: weights, meta });
  } catch (e) {
    // Name the file by its path in the app ("models/heads/<id>/meta.json: …").
    if (!(e instanceof KinshipError) || !e.file) throw e;
    const problem = e.message.slice(e.file.length + 2);
    throw new KinshipError(e.code, problem, { file: dir + e.file, cause: e });
  }
  const encoder = encoderById(id);
  if (encoder && !head.meta.encoderId.startsWith(encoder.identity)) {
    head.dispose();
    throw new KinshipError(
      'WEIGHTS_MISMATCH',
      `was trained on ${head.meta.encoderId}, not on this app's ${encoder.identity}`,
      { file: `${dir}meta.json` },
    );
  }
  head.meta = {
    ...head.meta,
    dataset: head.meta.dataset ?? provenance.dataset ?? null,
    validation: head.meta.validation && {
      ...head.meta.validation,
      families: head.meta.validation.families ?? provenance.validationFamilies,
    },
  };
  setBuiltInHead(id, pairHeadOf(head));
  return head.meta;
}

/** Loads every listed built-in head; a broken one is reported and the others still load. */
export async function loadBuiltInHeads(
  baseUrl: string,
  signal: AbortSignal,
): Promise<BuiltInHeadInfo[]> {
  const out: BuiltInHeadInfo[] = [];
  for (const id of await listed(baseUrl, signal)) {
    const cardUrl = `models/heads/${id}/MODEL_CARD.md`;
    try {
      out.push({
        encoderId: id,
        state: 'ready',
        error: null,
        meta: await loadOne(baseUrl, id, signal),
        cardUrl,
      });
    } catch (e) {
      if (signal.aborted) throw e;
      out.push({ encoderId: id, state: 'error', error: errorMessage(e), meta: null, cardUrl });
    }
  }
  return out;
}
