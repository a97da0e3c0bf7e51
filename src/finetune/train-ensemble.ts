/**
 * A head ensemble on an encoded dataset: one head per held-out family fold (the F00…F09
 * rotation, or seeded family folds), stacked into one head whose probability is their mean.
 * The summary has the shape of a single head's, with out-of-fold validation figures and one row
 * per head.
 */
import { describeSplit, ensembleSplits, type SplitSpec } from '../data/splits';
import type { Encoder } from '../ml/encoders/types';
import { trainHeadEnsemble, type EnsembleFold } from '../ml/head/ensemble';
import type { EpochStats, TrainHeadOptions } from '../ml/head/train';
import { validationPaths, type EnsembleMemberSummary, type TrainedOnDataset } from './train';
import { splitTrainingInput, trainingTable, usesMirroredPhotos } from './training-table';
import type { LoadedDataset } from './types';

/** The head about to train. */
export interface MemberStart {
  /** 0-based. */
  index: number;
  count: number;
  split: SplitSpec;
  heldOut: string;
}

export interface EnsembleTrainRun {
  /** Stop ends the head in training (keeping its best epoch) and skips the rest. */
  signal: AbortSignal;
  /** Epochs of the head in training (its own epoch numbers). */
  onEpoch?: (stats: EpochStats) => void;
  onMember?: (member: MemberStart) => void;
}

/**
 * Trains `count` (≥ 2) heads in turn, each on all families but one fold, and stacks them.
 * Nothing is checkpointed mid-run: a half-trained ensemble is no ensemble, so the caller saves
 * the stacked head only when this resolves. Stop with fewer than two heads done rejects ABORTED.
 */
export async function trainEnsembleOnDataset(
  ds: LoadedDataset,
  encoder: Encoder,
  count: number,
  options: TrainHeadOptions,
  detect: boolean,
  run: EnsembleTrainRun,
): Promise<TrainedOnDataset> {
  const table = trainingTable(ds, encoder, detect, usesMirroredPhotos(options));
  const started = performance.now();
  const familyIds = ds.dataset.families.map((f) => f.id);
  const splits = ensembleSplits(familyIds, count);
  const plans = splits.map((split, index) => {
    const plan = splitTrainingInput(
      ds,
      encoder,
      table,
      split,
      ` of head ${index + 1} (${describeSplit(split)})`,
    );
    const fold: EnsembleFold = { split, input: plan.input };
    return { ...plan, fold };
  });

  const result = await trainHeadEnsemble(
    plans.map((p) => p.fold),
    options,
    {
      signal: run.signal,
      ...(run.onEpoch ? { onEpoch: run.onEpoch } : {}),
      onMember: (index, n, split) =>
        run.onMember?.({ index, count: n, split, heldOut: describeSplit(split) }),
    },
  );

  const members: EnsembleMemberSummary[] = result.members.map((m, i) => {
    const plan = plans[i] as (typeof plans)[number];
    return {
      split: m.split,
      heldOut: describeSplit(m.split),
      trainFamilies: plan.familySplit.train.length,
      validationFamilies: m.validationFamilies,
      validationKinPairs: plan.pools.validation.kin.length,
      imageAuc: m.imageAuc,
      memberAuc: m.memberAuc,
      bestEpoch: m.bestEpoch,
      epochsRun: m.epochsRun,
    };
  });
  const { head, validation, members: _members, ...metrics } = result;
  const pooledKinPairs = members.reduce((n, m) => n + m.validationKinPairs, 0);
  return {
    head,
    summary: {
      encoderId: encoder.id,
      ...metrics,
      // Out-of-fold: with two or more heads every family is trained on by some head, and the
      // validation pool holds the families of the heads that finished, each scored once.
      trainFamilies: familyIds.length,
      validationFamilies: members.reduce((n, m) => n + m.validationFamilies, 0),
      // Each family is held out by exactly one head, so this sums to every usable kin pair.
      trainKinPairs: plans.reduce((n, p) => n + p.pools.validation.kin.length, 0),
      validationKinPairs: pooledKinPairs,
      parameterCount: head.parameterCount,
      seconds: (performance.now() - started) / 1000,
      validation: validationPaths(validation, table),
      ensemble: { requested: count, members },
    },
  };
}
