/**
 * Training the Siamese head on cached embeddings.
 *
 * Speed comes from keeping everything on the backend (epoch.ts): the embedding table is uploaded
 * once, batches are gathered from it, and a hand-written forward/backward pass (step.ts) feeds
 * Adam on two flat parameter vectors (flat-adam.ts): no LayersModel, no autodiff tape, no
 * per-step `dataSync`, ~70 kernel calls per step. This module runs the epochs: validation after
 * each (validation.ts), early stopping, checkpoints, and the kept epoch's summary.
 */
import { buildValidationPairs, createPairSampler } from '../../data/pairs';
import { yieldToEventLoop } from '../../lib/abort';
import { KinshipError } from '../../lib/errors';
import { deriveSeed, mulberry32 } from '../../lib/random';
import { tf } from '../tf';
import { architectureOf, resolveTrainOptions } from './config';
import { planEpoch, rowIndices, runEpoch, uploadTable, type StepContext } from './epoch';
import { FlatAdamHead } from './flat-adam';
import { KinshipHead } from './head';
import { minimalMeta } from './meta';
import { disposeHeadWeights, headWeightsFrom, initHeadWeights, weightList } from './network';
import type {
  EpochStats,
  HeadTrainingInput,
  HeadTrainingResult,
  TrainHeadOptions,
  TrainHeadRun,
  ValidationScores,
} from './train-types';
import { bestOf, evaluate, summarise } from './validation';

export type * from './train-types';

export async function trainHead(
  input: HeadTrainingInput,
  options: TrainHeadOptions = {},
  run: TrainHeadRun = {},
): Promise<HeadTrainingResult> {
  const { preset, ...overrides } = options;
  const opts = resolveTrainOptions(overrides, preset);
  const arch = architectureOf(input.embeddingDim, opts);
  const rows = checkInput(input);
  const useFlips = opts.flipAugmentation && input.flipEmbeddings !== undefined;
  // Flip test-time augmentation: validation pairs scored as the mean over (a, b) and their
  // mirrored photos (a′, b′).
  const flipTta = opts.flipTta && input.flipEmbeddings !== undefined;

  const validationPairs = buildValidationPairs(input.validation, {
    seed: deriveSeed(opts.seed, 'validation-set'),
    photoPairsPerMemberPair: opts.validationPhotoPairs,
    photosPerPersonForMembers: opts.memberPhotosPerPerson,
  });
  const sampler = createPairSampler(input.train, {
    seed: deriveSeed(opts.seed, 'sampler'),
    hardNegativeFraction: opts.hardNegativeFraction,
  });
  const flipRng = mulberry32(deriveSeed(opts.seed, 'flip'));

  const owned: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  const weights = initHeadWeights(arch, deriveSeed(opts.seed, 'init'));
  const adam = new FlatAdamHead(arch, weights, opts.learningRate, opts.batchSize);
  let best: tf.Tensor[] | null = null;
  try {
    const table = own(uploadTable(input, rows, useFlips || flipTta));
    const valLeft = own(rowIndices(validationPairs.images.left));
    const valRight = own(rowIndices(validationPairs.images.right));
    const memberLeft = own(rowIndices(validationPairs.memberPhotos.left));
    const memberRight = own(rowIndices(validationPairs.memberPhotos.right));
    const valRows = { valLeft, valRight, memberLeft, memberRight, flipOffset: flipTta ? rows : 0 };

    const stepContext: StepContext = {
      adam,
      arch,
      table,
      opts,
      dropoutRng: mulberry32(deriveSeed(opts.seed, 'dropout')),
      signal: run.signal,
    };
    const history: EpochStats[] = [];
    let bestScore = -Infinity;
    let bestEpoch = 0;
    let bestScores: ValidationScores | null = null;
    let stopReason: HeadTrainingResult['stopReason'] = 'completed';
    const started = performance.now();

    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      const plan = planEpoch(sampler, opts, useFlips ? rows : 0, flipRng);
      const t0 = performance.now();
      const steps = await runEpoch(stepContext, plan);
      if (steps.done === 0) {
        stopReason = 'aborted';
        break;
      }
      const [lossSum, wrong] = await Promise.all([steps.lossSum.data(), steps.wrong.data()]);
      steps.lossSum.dispose();
      steps.wrong.dispose();
      const trainMs = performance.now() - t0;
      const pairsDone = steps.done * opts.batchSize;
      adam.writeTo(weights);

      const evaluation = await evaluate(weights, arch, table, valRows, validationPairs);
      const { valImageAuc, valMemberAuc } = evaluation;
      const score = opts.monitor === 'memberAuc' ? valMemberAuc : valImageAuc;
      const improved = score > bestScore || bestScores === null;
      if (improved) {
        bestScore = score;
        bestEpoch = epoch;
        best?.forEach((t) => t.dispose());
        best = weightList(weights).map((v) => v.clone());
        bestScores = evaluation.scores;
      }
      const partial = steps.done < opts.stepsPerEpoch;
      const stats: EpochStats = {
        epoch,
        epochs: opts.epochs,
        loss: (lossSum[0] ?? NaN) / pairsDone,
        accuracy: (pairsDone - (wrong[0] ?? NaN)) / pairsDone,
        valImageAuc,
        valMemberAuc,
        pairsPerSecond: pairsDone / (trainMs / 1000),
        elapsedMs: performance.now() - started,
        improved,
        bestEpoch,
        partial,
      };
      history.push(stats);
      run.onEpoch?.(stats);
      if (improved && run.onCheckpoint && best) {
        const snapshot = new KinshipHead(
          headWeightsFrom(arch, best as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]),
          minimalMeta(input.encoderId, arch),
        );
        try {
          summarise(snapshot, {
            input,
            opts,
            history: [...history],
            best: bestOf(stats),
            scores: evaluation.scores,
            stopReason: 'aborted',
          });
          await run.onCheckpoint(snapshot);
        } finally {
          snapshot.dispose();
        }
      }
      if (partial || run.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      if (opts.patience > 0 && epoch - bestEpoch >= opts.patience) {
        stopReason = 'early-stopped';
        break;
      }
      await yieldToEventLoop();
    }

    if (!best || !bestScores) throw new KinshipError('ABORTED', 'Cancelled before the first step');
    weightList(weights).forEach((v, i) => v.assign(best?.[i] as tf.Tensor));

    const bestStats = history.find((h) => h.epoch === bestEpoch) as EpochStats;
    return summarise(new KinshipHead(weights, minimalMeta(input.encoderId, arch)), {
      input,
      opts,
      history,
      best: bestOf(bestStats),
      scores: bestScores,
      stopReason,
    });
  } catch (e) {
    disposeHeadWeights(weights);
    throw e;
  } finally {
    best?.forEach((t) => t.dispose());
    owned.forEach((t) => t.dispose());
    adam.dispose();
  }
}

/** Checks shapes and pool rows; returns the number of table rows. */
function checkInput(input: HeadTrainingInput): number {
  const d = input.embeddingDim;
  if (!(Number.isInteger(d) && d > 0) || input.embeddings.length % d !== 0) {
    throw new RangeError(
      `embeddings length ${input.embeddings.length} is not a multiple of d=${d}`,
    );
  }
  const rows = input.embeddings.length / d;
  if (input.flipEmbeddings && input.flipEmbeddings.length !== input.embeddings.length) {
    throw new RangeError('flipEmbeddings must have the same shape as embeddings');
  }
  for (const [name, pool] of [
    ['training', input.train],
    ['validation', input.validation],
  ] as const) {
    if (pool.kin.length === 0) {
      throw new KinshipError(
        'DATASET_FORMAT',
        `The ${name} families have no listed kin pairs with embedded photos; choose another split.`,
      );
    }
    for (const m of pool.members) {
      for (const r of m.photos) {
        if (!(Number.isInteger(r) && r >= 0 && r < rows)) {
          throw new RangeError(`${m.id}: photo row ${r} outside the ${rows}-row embedding table`);
        }
      }
    }
  }
  return rows;
}
