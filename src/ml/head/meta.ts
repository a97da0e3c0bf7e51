/**
 * The small JSON saved next to model.json: what the head was trained on and how to use it.
 */
import type { SplitSpec } from '../../data/splits';
import { KinshipError } from '../../lib/errors';
import type { LevelScoring } from './bands';
import type { HeadArchitecture, HeadTrainOptions } from './config';

export const HEAD_META_FORMAT = 'kinlens-siamese-head';
export const HEAD_META_VERSION = 1;

export interface HeadValidationSummary {
  imageAuc: number;
  memberAuc: number;
  /** Image-pair accuracy at `threshold`. */
  accuracy: number;
  imagePairs: number;
  memberPairs: number;
  bestEpoch: number;
  epochsRun: number;
  /** Thinned image-level ROC as [fpr, tpr] points. */
  roc: [number, number][];
  /** Thinned member-level ROC as [fpr, tpr] points. */
  memberRoc: [number, number][];
  /** Validation families (held out from training); absent in older heads. */
  families?: number;
  /**
   * Verdict bands and score distributions measured on the validation pairs, per level (single
   * photo pairs; member pairs = scores averaged over photo pairs). Absent in older heads: they
   * are estimated from the ROC then (bands.ts).
   */
  scoring?: { image: LevelScoring | null; member: LevelScoring | null };
}

/** What a head was trained on, for the provenance line ("Your head, trained … on …"). */
export interface HeadDatasetInfo {
  /** The dataset folder's name (or a published dataset's name). */
  name: string;
  families: number;
  photos: number;
}

/** One member of a head ensemble: what it held out and how it did there. */
export interface HeadEnsembleMember {
  split: SplitSpec;
  validationFamilies: number;
  imageAuc: number;
  memberAuc: number;
  bestEpoch: number;
  epochsRun: number;
}

/**
 * A head ensemble (architecture.members > 1). Its `validation` then holds the pooled
 * out-of-fold scores: each pair scored by the member that never trained on its families.
 */
export interface HeadEnsembleInfo {
  members: HeadEnsembleMember[];
}

export interface HeadMeta {
  format: typeof HEAD_META_FORMAT;
  version: number;
  /** Identity of the encoder whose embeddings the head reads (incl. weights hash). */
  encoderId: string;
  architecture: HeadArchitecture;
  /** Probability at or above which a pair is called kin (best validation accuracy). */
  threshold: number;
  validation: HeadValidationSummary | null;
  split: SplitSpec | null;
  training: HeadTrainOptions | null;
  createdAt: string;
  /** Absent in older heads. */
  dataset?: HeadDatasetInfo | null;
  /** Set for a head ensemble. */
  ensemble?: HeadEnsembleInfo | null;
}

/** Meta for a head that has no training record (e.g. built from imported weights). */
export function minimalMeta(encoderId: string, architecture: HeadArchitecture): HeadMeta {
  return {
    format: HEAD_META_FORMAT,
    version: HEAD_META_VERSION,
    encoderId,
    architecture,
    threshold: 0.5,
    validation: null,
    split: null,
    training: null,
    createdAt: new Date().toISOString(),
  };
}

/** Checks untrusted meta JSON enough to use it; throws WEIGHTS_FORMAT otherwise. */
export function parseHeadMeta(json: unknown, file = 'meta.json'): HeadMeta {
  const fail = (what: string): never => {
    throw new KinshipError('WEIGHTS_FORMAT', `not a KinLens head meta file: ${what}.`, { file });
  };
  if (typeof json !== 'object' || json === null) return fail('expected a JSON object');
  const meta = json as Partial<HeadMeta>;
  if (meta.format !== HEAD_META_FORMAT) return fail(`"format" must be "${HEAD_META_FORMAT}"`);
  if (typeof meta.version !== 'number' || meta.version > HEAD_META_VERSION) {
    return fail(`unsupported version ${String(meta.version)}`);
  }
  if (typeof meta.encoderId !== 'string') return fail('"encoderId" missing');
  if (typeof meta.threshold !== 'number' || !Number.isFinite(meta.threshold)) {
    return fail('"threshold" must be a number');
  }
  const arch = meta.architecture;
  if (
    !arch ||
    typeof arch.embeddingDim !== 'number' ||
    typeof arch.hiddenUnits !== 'number' ||
    typeof arch.dropout !== 'number' ||
    typeof arch.diffSquares !== 'boolean' ||
    (arch.members !== undefined && !(Number.isInteger(arch.members) && arch.members >= 1))
  ) {
    return fail('"architecture" incomplete');
  }
  return {
    format: HEAD_META_FORMAT,
    version: meta.version,
    encoderId: meta.encoderId,
    architecture: arch,
    threshold: meta.threshold,
    validation: meta.validation ?? null,
    split: meta.split ?? null,
    training: meta.training ?? null,
    createdAt: typeof meta.createdAt === 'string' ? meta.createdAt : '',
    dataset: parseDatasetInfo(meta.dataset),
    ensemble: Array.isArray(meta.ensemble?.members) ? { members: meta.ensemble.members } : null,
  };
}

function parseDatasetInfo(value: unknown): HeadDatasetInfo | null {
  if (typeof value !== 'object' || value === null) return null;
  const d = value as Partial<HeadDatasetInfo>;
  if (typeof d.name !== 'string' || d.name === '') return null;
  return {
    name: d.name,
    families: typeof d.families === 'number' ? d.families : 0,
    photos: typeof d.photos === 'number' ? d.photos : 0,
  };
}
