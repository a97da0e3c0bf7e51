/**
 * A head ensemble: one head per held-out family fold (the F00…F09 prefix rotation of the
 * competition solutions, or seeded family folds), stacked into one head whose probability is
 * the mean of its members'. Its validation figures are out-of-fold: every validation pair is
 * scored by the member that never saw its families, and those scores are pooled — the only
 * honest AUC for an ensemble whose members together trained on every family.
 */
import type { SplitSpec } from '../../data/splits';
import { KinshipError } from '../../lib/errors';
import { rocAuc } from '../metrics/roc';
import { tf } from '../tf';
import { headMembers, resolveTrainOptions, type HeadArchitecture } from './config';
import { KinshipHead } from './head';
import type { HeadEnsembleMember } from './meta';
import { headWeightsFrom, weightList, type HeadWeights } from './network';
import {
  trainHead,
  type EpochStats,
  type HeadTrainingInput,
  type HeadTrainingResult,
  type TrainHeadOptions,
  type TrainHeadRun,
  type ValidationScores,
} from './train';
import { summarise } from './validation';
import { median } from '../../lib/stats';

export interface EnsembleFold {
  split: SplitSpec;
  /** Same embedding table for every fold; pools split by `split`. */
  input: HeadTrainingInput;
}

export interface EnsembleRun extends TrainHeadRun {
  /** Called before each member trains (0-based index). */
  onMember?: (index: number, count: number, split: SplitSpec) => void;
}

export interface HeadEnsembleResult extends HeadTrainingResult {
  members: HeadEnsembleMember[];
}

/** Stacks plain heads of one architecture into one head (weights copied; inputs untouched). */
export function stackHeadWeights(heads: readonly KinshipHead[]): {
  arch: HeadArchitecture;
  weights: HeadWeights;
} {
  const first = heads[0];
  if (!first || heads.length < 2) throw new RangeError('an ensemble needs at least 2 heads');
  const base = first.arch;
  for (const h of heads) {
    const a = h.arch;
    if (
      headMembers(a) !== 1 ||
      a.embeddingDim !== base.embeddingDim ||
      a.hiddenUnits !== base.hiddenUnits ||
      a.diffSquares !== base.diffSquares
    ) {
      throw new RangeError('ensemble members must be plain heads of one architecture');
    }
  }
  const k = heads.length;
  const h = base.hiddenUnits;
  const arch: HeadArchitecture = { ...base, members: k };
  const values = tf.tidy(() => {
    const parts = heads.map((head) => weightList(head.weights));
    const kernel1 = tf.concat(
      parts.map((p) => p[0] as tf.Tensor2D),
      1,
    );
    const bias1 = tf.concat(
      parts.map((p) => p[1] as tf.Tensor1D),
      0,
    );
    // Block-diagonal: member m's hidden units feed only logit m.
    const kernel2 = tf.concat(
      parts.map((p, m) => {
        const column = p[2] as tf.Tensor2D; // [h, 1]
        return tf.pad(column, [
          [0, 0],
          [m, k - m - 1],
        ]);
      }),
      0,
    );
    const bias2 = tf.concat(
      parts.map((p) => (p[3] as tf.Tensor).reshape([1])),
      0,
    );
    return [kernel1, bias1, kernel2, bias2] as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  });
  try {
    if (values[2].shape[0] !== k * h) throw new Error('ensemble output kernel has a wrong shape');
    return { arch, weights: headWeightsFrom(arch, values) };
  } finally {
    values.forEach((t) => t.dispose());
  }
}

/** Concatenates validation scores of several folds (same embedding table). */
export function poolScores(all: readonly ValidationScores[]): ValidationScores {
  const cat32 = (pick: (s: ValidationScores) => Float32Array): Float32Array => {
    const out = new Float32Array(all.reduce((n, s) => n + pick(s).length, 0));
    let at = 0;
    for (const s of all) {
      out.set(pick(s), at);
      at += pick(s).length;
    }
    return out;
  };
  const catInt = (pick: (s: ValidationScores) => Int32Array): Int32Array =>
    Int32Array.from(all.flatMap((s) => Array.from(pick(s))));
  return {
    imageScores: cat32((s) => s.imageScores),
    imageLabels: cat32((s) => s.imageLabels),
    imageLeft: catInt((s) => s.imageLeft),
    imageRight: catInt((s) => s.imageRight),
    memberScores: Float64Array.from(all.flatMap((s) => Array.from(s.memberScores))),
    memberLabels: cat32((s) => s.memberLabels),
  };
}

/**
 * Trains one head per fold, in turn, and stacks them. Stop ends the member in training (its
 * best epoch is kept) and skips the rest; with fewer than two members done it rejects.
 */
export async function trainHeadEnsemble(
  folds: readonly EnsembleFold[],
  options: TrainHeadOptions = {},
  run: EnsembleRun = {},
): Promise<HeadEnsembleResult> {
  if (folds.length < 2) throw new RangeError('an ensemble needs at least 2 folds');
  const { preset: _preset, ...trainOverrides } = options;
  const results: HeadTrainingResult[] = [];
  const history: EpochStats[] = [];
  try {
    for (const [index, fold] of folds.entries()) {
      if (run.signal?.aborted) break;
      run.onMember?.(index, folds.length, fold.split);
      const offset = history.length;
      const result = await trainHead(fold.input, options, {
        ...(run.signal ? { signal: run.signal } : {}),
        onEpoch: (stats) => run.onEpoch?.(stats),
      });
      results.push(result);
      history.push(...result.history.map((h) => ({ ...h, epoch: offset + h.epoch })));
    }
    if (results.length < 2) {
      throw new KinshipError('ABORTED', 'Stopped before two members of the ensemble were trained');
    }
    const members: HeadEnsembleMember[] = results.map((r, i) => ({
      split: (folds[i] as EnsembleFold).split,
      validationFamilies: (folds[i] as EnsembleFold).input.validationFamilies ?? 0,
      imageAuc: r.valImageAuc,
      memberAuc: r.valMemberAuc,
      bestEpoch: r.bestEpoch,
      epochsRun: r.history.length,
    }));
    const pooled = poolScores(results.map((r) => r.validation));
    const { arch, weights } = stackHeadWeights(results.map((r) => r.head));
    const first = (folds[0] as EnsembleFold).input;
    const head = new KinshipHead(weights, {
      ...(results[0] as HeadTrainingResult).head.meta,
      architecture: arch,
    });
    const summary = summarise(head, {
      input: {
        ...first,
        split: null,
        validationFamilies: members.reduce((n, m) => n + m.validationFamilies, 0),
      },
      opts: resolveTrainOptions(trainOverrides, options.preset),
      history,
      best: {
        // Members keep their own best epochs (listed in `members`); the pooled figures are
        // out-of-fold AUCs.
        epoch: Math.round(median(members.map((m) => m.bestEpoch))),
        imageAuc: rocAuc(pooled.imageScores, pooled.imageLabels),
        memberAuc: rocAuc(pooled.memberScores, pooled.memberLabels),
      },
      scores: pooled,
      stopReason: results.length < folds.length ? 'aborted' : 'completed',
    });
    head.meta = { ...head.meta, ensemble: { members } };
    return { ...summary, members };
  } finally {
    for (const r of results) r.head.dispose();
  }
}

/**
 * Member `index` of a stacked head as a plain head (weights copied exactly; the caller disposes
 * it), so each validation pair can be scored by the member that never saw its families.
 */
export function unstackHead(head: KinshipHead, index: number): KinshipHead {
  const k = headMembers(head.arch);
  if (!(Number.isInteger(index) && index >= 0 && index < k)) {
    throw new RangeError(`member ${index} of a head with ${k} member${k === 1 ? '' : 's'}`);
  }
  const { members: _members, ...plain } = head.arch;
  const h = plain.hiddenUnits;
  const values = tf.tidy(() => {
    const w = head.weights;
    return [
      w.kernel1.slice([0, index * h], [-1, h]),
      w.bias1.slice([index * h], [h]),
      w.kernel2.slice([index * h, index], [h, 1]),
      w.bias2.slice([index], [1]),
    ] as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  });
  try {
    return new KinshipHead(headWeightsFrom(plain, values), {
      ...head.meta,
      architecture: plain,
      ensemble: null,
    });
  } finally {
    values.forEach((t) => t.dispose());
  }
}
