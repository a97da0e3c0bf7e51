/**
 * Encoder comparison on one split: every encoder is encoded (cache first) and gets the same head
 * recipe, seed and validation pairs; the result carries per-encoder metrics with bootstrap CIs,
 * the zero-shot cosine baseline, ROC curves, and the validation pairs where encoders disagree.
 */
import type { ProgressFn } from '../lib/abort';
import { throwIfAborted } from '../lib/abort';
import { KinshipError } from '../lib/errors';
import type { SplitSpec } from '../data/splits';
import type { EncoderId } from '../ml/encoders/types';
import type { TrainHeadOptions } from '../ml/head/train';
import {
  accuracyAt,
  bootstrapAucCi,
  cosineSimilarity,
  rocAuc,
  rocCurve,
  thinRoc,
  tprAtFpr,
  type AucInterval,
  type RocPoint,
} from '../ml/metrics';
import { encoderById } from './encoders';
import { encodeDataset, embeddingTable, type EncodeResult } from './finetune';
import { trainHeadOnDataset } from './training';

export interface CompareSettings {
  encoderIds: EncoderId[];
  split: SplitSpec;
  options: TrainHeadOptions;
  detect: boolean;
  bootstrapIterations: number;
  bootstrapSeed: number;
}

export interface EncoderComparison {
  encoderId: EncoderId;
  label: string;
  dim: number;
  auc: AucInterval;
  memberAuc: number;
  accuracy: number;
  threshold: number;
  tprAt10: number;
  roc: RocPoint[];
  /** Zero-shot baseline: cosine similarity of the two embeddings on the same pairs. */
  cosineAuc: AucInterval;
  cosineRoc: RocPoint[];
  encode: Pick<EncodeResult, 'total' | 'fromCache' | 'encoded' | 'imagesPerSecond' | 'seconds'>;
  trainSeconds: number;
  bestEpoch: number;
  epochsRun: number;
}

export interface Disagreement {
  left: string;
  right: string;
  label: number;
  /** Head probability per encoder, same order as `results`. */
  scores: number[];
  /** Max − min of the encoders' scores ranked within each encoder (0–1). */
  spread: number;
}

export interface ComparisonReport {
  createdAt: string;
  settings: CompareSettings;
  validationPairs: number;
  kinPairs: number;
  results: EncoderComparison[];
  disagreements: Disagreement[];
  seconds: number;
}

export interface CompareProgress {
  encoderId: EncoderId;
  stage: 'encoding' | 'training' | 'evaluating' | 'done';
  done: number;
  total: number;
}

/** Percentile rank of each score within its own encoder: makes probabilities of heads comparable. */
function ranks(scores: readonly number[]): number[] {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(scores.length).fill(0);
  order.forEach(([, i], k) => (out[i] = scores.length > 1 ? k / (scores.length - 1) : 0.5));
  return out;
}

export async function compareEncoders(
  settings: CompareSettings,
  signal: AbortSignal,
  onProgress?: (p: CompareProgress) => void,
): Promise<ComparisonReport> {
  if (settings.encoderIds.length === 0)
    throw new KinshipError('NOT_READY', 'Choose at least one encoder to compare');
  const started = performance.now();
  const results: EncoderComparison[] = [];
  let reference: { left: string[]; right: string[]; labels: number[] } | null = null;
  const scoresByEncoder: number[][] = [];

  for (const encoderId of settings.encoderIds) {
    throwIfAborted(signal);
    const encoder = encoderById(encoderId);
    if (!encoder) throw new KinshipError('NOT_READY', `The encoder ${encoderId} is not installed`);
    const encodeProgress: ProgressFn = (p) =>
      onProgress?.({ encoderId, stage: 'encoding', done: p.done, total: p.total });
    const encoded = await encodeDataset(
      encoderId,
      { detect: settings.detect, flips: false },
      signal,
      encodeProgress,
    );
    onProgress?.({ encoderId, stage: 'training', done: 0, total: settings.options.epochs ?? 0 });
    const summary = await trainHeadOnDataset(
      encoderId,
      settings.split,
      { ...settings.options, flipAugmentation: false },
      settings.detect,
      signal,
      (s) => onProgress?.({ encoderId, stage: 'training', done: s.epoch, total: s.epochs }),
    );
    onProgress?.({ encoderId, stage: 'evaluating', done: 0, total: 1 });
    const v = summary.validation;
    // Same split, seed and embedded photos give the same validation pairs; check rather than assume.
    if (reference === null) reference = { left: v.left, right: v.right, labels: v.labels };
    else if (
      v.left.length !== reference.left.length ||
      v.left.some((p, i) => p !== reference?.left[i] || v.right[i] !== reference.right[i])
    ) {
      throw new KinshipError(
        'INTERNAL',
        `${encoder.label} was validated on different pairs (some images failed to encode with one encoder); clear its cache and retry`,
      );
    }
    const table = embeddingTable(encoderId, settings.detect);
    const cosines = v.left.map((p, i) => {
      const a = table.get(p);
      const b = table.get(v.right[i] as string);
      return a && b ? cosineSimilarity(a, b) : 0;
    });
    const boot = { iterations: settings.bootstrapIterations, seed: settings.bootstrapSeed };
    const roc = rocCurve(v.scores, v.labels);
    const cosineRoc = rocCurve(cosines, v.labels);
    scoresByEncoder.push(v.scores);
    results.push({
      encoderId,
      label: encoder.label,
      dim: encoder.dim,
      auc: bootstrapAucCi(v.scores, v.labels, boot),
      memberAuc: summary.valMemberAuc,
      accuracy: accuracyAt(v.scores, v.labels, summary.threshold),
      threshold: summary.threshold,
      tprAt10: tprAtFpr(roc, 0.1),
      roc: thinRoc(roc, 200),
      cosineAuc: bootstrapAucCi(cosines, v.labels, boot),
      cosineRoc: thinRoc(cosineRoc, 200),
      encode: {
        total: encoded.total,
        fromCache: encoded.fromCache,
        encoded: encoded.encoded,
        imagesPerSecond: encoded.imagesPerSecond,
        seconds: encoded.seconds,
      },
      trainSeconds: summary.seconds,
      bestEpoch: summary.bestEpoch,
      epochsRun: summary.history.length,
    });
    onProgress?.({ encoderId, stage: 'done', done: 1, total: 1 });
  }

  const ref = reference as { left: string[]; right: string[]; labels: number[] };
  const ranked = scoresByEncoder.map(ranks);
  const disagreements: Disagreement[] =
    results.length < 2
      ? []
      : ref.left
          .map((left, i) => {
            const r = ranked.map((rs) => rs[i] as number);
            return {
              left,
              right: ref.right[i] as string,
              label: ref.labels[i] as number,
              scores: scoresByEncoder.map((s) => s[i] as number),
              spread: Math.max(...r) - Math.min(...r),
            };
          })
          .sort((a, b) => b.spread - a.spread)
          .slice(0, 12);

  return {
    createdAt: new Date().toISOString(),
    settings,
    validationPairs: ref.labels.length,
    kinPairs: ref.labels.filter((l) => l === 1).length,
    results,
    disagreements,
    seconds: (performance.now() - started) / 1000,
  };
}

/** AUC of any score list on the reference labels (used by tests and reports). */
export function aucOf(scores: readonly number[], labels: readonly number[]): number {
  return rocAuc(scores, labels);
}
