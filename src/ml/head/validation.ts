/**
 * Validation of the current weights (scores, AUCs) and the summary of a finished run: threshold,
 * ROC curves and the head's meta.
 */
import type { ValidationPairs } from '../../data/pairs';
import { meanByGroup } from '../metrics/aggregate';
import { rocAuc, rocCurve, thinRoc } from '../metrics/roc';
import { bestAccuracyThreshold } from '../metrics/threshold';
import type { tf } from '../tf';
import { measuredScoring } from './bands';
import type { HeadArchitecture, HeadTrainOptions } from './config';
import { scorePairs } from './epoch';
import type { KinshipHead } from './head';
import type { HeadWeights } from './network';
import type {
  EpochStats,
  HeadTrainingInput,
  HeadTrainingResult,
  ValidationScores,
} from './train-types';

const MAX_ROC_POINTS = 200;

/** The kept epoch's figures, as the summary states them. */
export interface KeptEpoch {
  epoch: number;
  imageAuc: number;
  memberAuc: number;
}

export function bestOf(stats: EpochStats): KeptEpoch {
  return { epoch: stats.epoch, imageAuc: stats.valImageAuc, memberAuc: stats.valMemberAuc };
}

/**
 * Threshold, ROC curves and meta of the kept epoch (or of an ensemble's pooled out-of-fold
 * scores); fills in the head's meta.
 */
export function summarise(
  head: KinshipHead,
  run: {
    input: HeadTrainingInput;
    opts: HeadTrainOptions;
    history: EpochStats[];
    best: KeptEpoch;
    scores: ValidationScores;
    stopReason: HeadTrainingResult['stopReason'];
  },
): HeadTrainingResult {
  const { scores, best } = run;
  const { threshold, accuracy } = bestAccuracyThreshold(scores.imageScores, scores.imageLabels);
  const roc = thinRoc(rocCurve(scores.imageScores, scores.imageLabels), MAX_ROC_POINTS);
  const memberRoc = thinRoc(rocCurve(scores.memberScores, scores.memberLabels), MAX_ROC_POINTS);
  head.meta = {
    ...head.meta,
    threshold,
    validation: {
      imageAuc: best.imageAuc,
      memberAuc: best.memberAuc,
      accuracy,
      imagePairs: scores.imageScores.length,
      memberPairs: scores.memberScores.length,
      bestEpoch: best.epoch,
      epochsRun: run.history.length,
      roc: roc.map((p) => [p.fpr, p.tpr]),
      memberRoc: memberRoc.map((p) => [p.fpr, p.tpr]),
      ...(run.input.validationFamilies !== undefined
        ? { families: run.input.validationFamilies }
        : {}),
      scoring: {
        image: measuredScoring(scores.imageScores, scores.imageLabels),
        member: measuredScoring(scores.memberScores, scores.memberLabels),
      },
    },
    split: run.input.split ?? null,
    training: run.opts,
    dataset: run.input.dataset ?? null,
  };
  return {
    head,
    history: run.history,
    bestEpoch: best.epoch,
    stopReason: run.stopReason,
    threshold,
    valAccuracy: accuracy,
    valImageAuc: best.imageAuc,
    valMemberAuc: best.memberAuc,
    roc,
    memberRoc,
    validation: scores,
  };
}

/** Validation scores and AUCs of the current weights. */
export async function evaluate(
  weights: HeadWeights,
  arch: HeadArchitecture,
  table: tf.Tensor2D,
  rows: {
    valLeft: tf.Tensor2D;
    valRight: tf.Tensor2D;
    memberLeft: tf.Tensor2D;
    memberRight: tf.Tensor2D;
    /** Row offset of the mirrored photos in `table` for flip TTA; 0 for none. */
    flipOffset: number;
  },
  pairs: ValidationPairs,
): Promise<{ scores: ValidationScores; valImageAuc: number; valMemberAuc: number }> {
  const imageScores = await scorePairs(
    weights,
    arch,
    table,
    rows.valLeft,
    rows.valRight,
    rows.flipOffset,
  );
  // Member pairs: the mean over all photo pairs of the two people (up to 3 × 3).
  const memberPhotoScores = await scorePairs(
    weights,
    arch,
    table,
    rows.memberLeft,
    rows.memberRight,
    rows.flipOffset,
  );
  const memberScores = meanByGroup(
    memberPhotoScores,
    pairs.memberPhotos.memberPair,
    pairs.members.labels.length,
  );
  return {
    scores: {
      imageScores,
      imageLabels: pairs.images.labels,
      imageLeft: pairs.images.left,
      imageRight: pairs.images.right,
      memberScores,
      memberLabels: pairs.members.labels,
    },
    valImageAuc: rocAuc(imageScores, pairs.images.labels),
    valMemberAuc: rocAuc(memberScores, pairs.members.labels),
  };
}
