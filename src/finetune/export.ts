/**
 * A trained head as files (what "Export head" downloads and the CLI writes: model.json,
 * weights.bin, meta.json) and back, checked against the encoder it will score.
 */
import { KinshipError, errorMessage } from '../lib/errors';
import { isQuotaError } from '../lib/idb';
import type { StorageShortfall } from '../data/embedding-saver';
import type { Encoder, EncoderId } from '../ml/encoders/types';
import {
  exportHead,
  headFiles,
  importHead,
  HEAD_FILES,
  type HeadMeta,
  type KinshipHead,
} from '../ml/head';

export type HeadFiles = Record<string, string | ArrayBuffer>;

export async function headToFiles(head: KinshipHead): Promise<HeadFiles> {
  return headFiles(await exportHead(head));
}

/** The three files' contents as exported; JSON errors name the file. */
export interface HeadFileTexts {
  modelJson: string;
  weightsBin: ArrayBuffer;
  metaJson: string;
}

export function parseHeadJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new KinshipError('WEIGHTS_FORMAT', 'is not valid JSON', { file });
  }
}

/** Loads a head from its files, checking them (errors name the file). */
export function headFromFiles(files: HeadFileTexts): Promise<KinshipHead> {
  return importHead({
    modelJson: parseHeadJson(files.modelJson, HEAD_FILES.model),
    weightsBin: files.weightsBin,
    meta: parseHeadJson(files.metaJson, HEAD_FILES.meta),
  });
}

/** Throws WEIGHTS_MISMATCH (and disposes the head) unless `encoder` gives its embedding length. */
export function assertHeadFits(head: KinshipHead, encoder: Encoder): void {
  if (head.arch.embeddingDim === encoder.dim) return;
  const dim = head.arch.embeddingDim;
  head.dispose();
  throw new KinshipError(
    'WEIGHTS_MISMATCH',
    `this head reads ${dim}-d embeddings but ${encoder.label} produces ${encoder.dim}-d ones`,
    { file: HEAD_FILES.meta },
  );
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
  /** Heads of an ensemble (its AUCs are out-of-fold); null for a single head. */
  ensembleMembers: number | null;
}

/** What the UI lists about a head, from its meta. */
export function savedHeadInfo(
  encoderId: EncoderId,
  meta: HeadMeta,
  encoder: Encoder | undefined,
): SavedHeadInfo {
  const v = meta.validation;
  return {
    encoderId,
    encoderIdentity: meta.encoderId,
    threshold: meta.threshold,
    valImageAuc: v?.imageAuc ?? null,
    valMemberAuc: v?.memberAuc ?? null,
    createdAt: meta.createdAt,
    matchesEncoder: encoder !== undefined && meta.encoderId.startsWith(encoder.identity),
    roc: v?.roc ?? [],
    ensembleMembers: meta.ensemble?.members.length ?? null,
  };
}

/** What to tell the user when a trained head could not be stored (it still scores this session). */
export function headNotSaved(error: unknown, encoderLabel: string): StorageShortfall {
  return {
    count: 1,
    message:
      `${errorMessage(error)} The trained head for ${encoderLabel} scores pairs until you reload this ` +
      'page; use Export head to keep it.',
    summary: isQuotaError(error)
      ? 'Browser storage is full: the trained head was not saved (details under Result).'
      : 'The trained head was not saved (details under Result).',
  };
}
