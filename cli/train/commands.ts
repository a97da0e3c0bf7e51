/**
 * What `npm run train` does, on the same fine-tuning core the app's worker calls: import the
 * folder, encode its training photos (disk-cached), train a head or a head ensemble, and write
 * the head as "Export head" does plus MODEL_CARD.md. Evaluating and scoring with a written head
 * are in head-commands.ts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SEED_SPLIT, type SplitSpec } from '../../src/data/splits';
import type { EncodeResult } from '../../src/finetune/encode-result';
import { headToFiles } from '../../src/finetune/export';
import { trainOnDataset, type TrainedOnDataset } from '../../src/finetune/train';
import { trainEnsembleOnDataset } from '../../src/finetune/train-ensemble';
import type { LoadedDataset } from '../../src/finetune/types';
import type { Encoder } from '../../src/ml/encoders/types';
import type { TrainHeadOptions } from '../../src/ml/head/train';
import { modelCard } from '../../src/ml/head/model-card';
import type { CliCommand } from './args';
import { cacheDir, encodeFolder } from './encode-folder';
import { loadNodeEncoder } from './node-encoders';
import { ProgressBar } from './progress-bar';

export { runEvaluate, runScore } from './head-commands';

export const MODEL_CARD_FILE = 'MODEL_CARD.md';

type TrainCommand = Extract<CliCommand, { kind: 'train' }>;

export interface TrainOutcome extends TrainedOnDataset {
  encoded: EncodeResult;
  files: string[];
}

function trainOptions(cmd: TrainCommand): TrainHeadOptions {
  return {
    preset: cmd.recipe,
    ...(cmd.epochs !== null ? { epochs: cmd.epochs } : {}),
    ...(cmd.flipAugment ? { flipAugmentation: true } : {}),
    ...(cmd.flipTta ? { flipTta: true } : {}),
  };
}

/** A single head on one split, or `cmd.ensemble` heads on rotating held-out folds. */
function train(
  cmd: TrainCommand,
  ds: LoadedDataset,
  encoder: Encoder,
  bar: ProgressBar,
  signal: AbortSignal,
): Promise<TrainedOnDataset> {
  let head = '';
  const onEpoch = (s: {
    epoch: number;
    epochs: number;
    valImageAuc: number;
    valMemberAuc: number;
  }) =>
    bar.update({
      phase: `training${head}`,
      done: s.epoch,
      total: s.epochs,
      message: `val AUC ${s.valImageAuc.toFixed(3)} image / ${s.valMemberAuc.toFixed(3)} member`,
    });
  if (cmd.ensemble > 1) {
    return trainEnsembleOnDataset(ds, encoder, cmd.ensemble, trainOptions(cmd), cmd.detect, {
      signal,
      onEpoch,
      onMember: (m) => {
        head = ` head ${m.index + 1} of ${m.count}`;
        bar.log(`head ${m.index + 1} of ${m.count} (${m.heldOut})`);
      },
    });
  }
  const split: SplitSpec = cmd.splitPrefix
    ? { kind: 'prefix', prefix: cmd.splitPrefix }
    : SEED_SPLIT;
  return trainOnDataset(ds, encoder, split, trainOptions(cmd), cmd.detect, { signal, onEpoch });
}

function logResult(trained: TrainedOnDataset, bar: ProgressBar): void {
  const s = trained.summary;
  const ensemble = s.ensemble;
  if (!ensemble) {
    bar.log(
      `kept epoch ${s.bestEpoch} of ${s.history.length}: validation AUC ${s.valImageAuc.toFixed(4)} image pairs, ${s.valMemberAuc.toFixed(4)} member pairs (${s.stopReason})`,
    );
    return;
  }
  for (const [i, m] of ensemble.members.entries()) {
    bar.log(
      `  head ${i + 1} (${m.heldOut}, ${m.validationFamilies} families): AUC ${m.imageAuc.toFixed(4)} image, ${m.memberAuc.toFixed(4)} member, best epoch ${m.bestEpoch} of ${m.epochsRun}`,
    );
  }
  bar.log(
    `ensemble of ${ensemble.members.length} heads: out-of-fold AUC ${s.valImageAuc.toFixed(4)} image pairs, ${s.valMemberAuc.toFixed(4)} member pairs over ${s.validationFamilies} families (${s.stopReason})`,
  );
}

export async function runTrain(
  cmd: TrainCommand,
  bar = new ProgressBar(),
  signal = new AbortController().signal,
): Promise<TrainOutcome> {
  const encoder = await loadNodeEncoder(cmd.encoder);
  const { ds, encoded } = await encodeFolder(
    cmd.folder,
    encoder,
    { detect: cmd.detect, flips: cmd.flipAugment || cmd.flipTta, cache: cacheDir(cmd, cmd.out) },
    bar,
    signal,
  );
  const trained = await train(cmd, ds, encoder, bar, signal);
  logResult(trained, bar);
  await mkdir(cmd.out, { recursive: true });
  const files = await headToFiles(trained.head);
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    await writeFile(
      join(cmd.out, name),
      typeof content === 'string' ? content : new Uint8Array(content),
    );
    written.push(name);
  }
  const card = modelCard(trained.head.meta, {
    encoderLabel: encoder.label,
    madeWith: `\`npm run train\` on ${ds.name}, encoder ${encoder.id}`,
  });
  await writeFile(join(cmd.out, MODEL_CARD_FILE), card);
  written.push(MODEL_CARD_FILE);
  bar.log(`wrote ${written.join(', ')} to ${cmd.out}`);
  return { ...trained, encoded, files: written };
}
