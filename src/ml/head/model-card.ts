/**
 * MODEL_CARD.md for a trained head, generated from its meta.json: what it reads, what it was
 * trained on and how, what it reached on its held-out families, and its known limits. Every
 * figure comes from the meta, so the card cannot drift from the head it describes.
 */
import { describeSplit } from '../../data/splits';
import type { HeadMeta } from './meta';
import { headMembers, headParameterCount } from './config';

export interface ModelCardContext {
  /** Human name of the encoder, e.g. "Face descriptor (dlib ResNet-34)". */
  encoderLabel?: string;
  /** How the head was made, e.g. "`npm run train -- fiw --encoder descriptor --out head`". */
  madeWith?: string;
}

const n = (x: number): string => x.toLocaleString('en-US');

export function modelCard(meta: HeadMeta, context: ModelCardContext = {}): string {
  const a = meta.architecture;
  const v = meta.validation;
  const t = meta.training;
  const d = meta.dataset;
  // '/align': eyes from the fast face-crop aligner; '/detect': older heads, eyes from the detector.
  const crop = meta.encoderId.endsWith('/align')
    ? 'eye-aligned faces (eyes from the landmark net on each face crop, the face detector on larger photos; "Detect and align faces" on)'
    : meta.encoderId.endsWith('/detect')
      ? 'detected and eye-aligned faces ("Detect and align faces" on)'
      : 'whole-image face crops ("Detect and align faces" off)';
  const split = meta.split
    ? meta.split.kind === 'prefix'
      ? `Families whose id starts with ${meta.split.prefix} were held out for validation`
      : meta.split.kind === 'fold'
        ? `Family fold ${meta.split.index + 1} of ${meta.split.folds} (seed ${meta.split.seed}) was held out for validation`
        : `${Math.round(meta.split.fraction * 100)} % of the families (seed ${meta.split.seed}) were held out for validation`
    : meta.ensemble
      ? `An ensemble of ${meta.ensemble.members.length} heads, each holding out other families; the validation figures are out-of-fold (each pair scored by the head that never saw its families)`
      : 'The split is not recorded (no prefix or fraction in meta.json)';
  const features = `x1⊙x2 ‖ (x1−x2)²${a.diffSquares ? ' ‖ (x1²−x2²)' : ''}`;
  const lines: string[] = [
    `# Kinship head for ${context.encoderLabel ?? meta.encoderId}`,
    '',
    `A Siamese kinship head made with KinLens${context.madeWith ? ` (${context.madeWith})` : ''}.`,
    `It reads two ${n(a.embeddingDim)}-d embeddings of encoder identity \`${meta.encoderId}\` and gives`,
    'the probability that the two people are blood relatives. Created ' +
      `${meta.createdAt || 'at an unrecorded time'}.`,
    '',
    '## Data',
    '',
    d
      ? `- ${d.name}: ${n(d.photos)} photos of ${n(d.families)} families.`
      : '- The dataset is not recorded in meta.json.',
    '- If the data is Families in the Wild (FIW), its terms allow research and non-commercial',
    '  (educational) use only. The images are not part of this head.',
    `- Images were encoded as ${crop}: encoder identity \`${meta.encoderId}\`.`,
    '',
    '## Split',
    '',
    `${split}${v?.families !== undefined ? ` (${n(v.families)} validation families)` : ''}. No person of a`,
    'validation family was seen in training.',
    '',
    '## Recipe',
    '',
    ...(headMembers(a) > 1
      ? [
          `- An ensemble of ${headMembers(a)} heads whose probabilities are averaged; each head:`,
          `  pair features ${features} → Dense(${a.hiddenUnits}, ReLU) → Dropout(${a.dropout}) → Dense(1,`,
          `  sigmoid); ${n(headParameterCount(a))} parameters in all.`,
        ]
      : [
          `- Pair features ${features} → Dense(${a.hiddenUnits}, ReLU) → Dropout(${a.dropout}) → Dense(1,`,
          `  sigmoid); ${n(headParameterCount(a))} parameters.`,
        ]),
  ];
  if (t) {
    lines.push(
      `- Adam, learning rate ${t.learningRate}, batches of ${t.batchSize} pairs (half listed kin pairs, half`,
      `  random pairs of people from different families${t.hardNegativeFraction > 0 ? `, ${Math.round(t.hardNegativeFraction * 100)} % of negatives from the same family` : ''}), ${t.stepsPerEpoch} steps per epoch,`,
      `  up to ${t.epochs} epochs, early stopping with patience ${t.patience} on the validation`,
      `  ${t.monitor === 'memberAuc' ? 'member-pair' : 'image-pair'} AUC; seed ${t.seed}${t.flipAugmentation ? '; flip augmentation' : ''}.`,
    );
    if (t.flipTta) {
      lines.push(
        '- Flip test-time augmentation: validation pairs are scored as the mean over the two photos',
        '  and over their mirrored copies; score new pairs the same way for comparable figures.',
      );
    }
  } else {
    lines.push('- The training settings are not recorded in meta.json.');
  }
  const members = meta.ensemble?.members ?? [];
  if (v && members.length === 0) lines.push(`- Kept epoch: ${v.bestEpoch} of ${v.epochsRun} run.`);
  lines.push('', members.length > 0 ? '## Validation (out-of-fold)' : '## Validation', '');
  if (v) {
    lines.push(
      '| | pairs | ROC AUC |',
      '|---|---|---|',
      `| photo pairs (one photo of each person) | ${n(v.imagePairs)} | ${v.imageAuc.toFixed(3)} |`,
      `| member pairs (scores averaged over photo pairs) | ${n(v.memberPairs)} | ${v.memberAuc.toFixed(3)} |`,
      '',
      `Accuracy ${(v.accuracy * 100).toFixed(1)} % at the threshold ${meta.threshold.toFixed(3)} chosen on validation`,
      'photo pairs. meta.json holds the thinned ROC curves.',
    );
    if (members.length > 0) {
      lines.push(
        '',
        'Each head on the families it held out (the figures above pool these scores):',
        '',
        '| head | held out | families | photo-pair AUC | member-pair AUC | kept epoch |',
        '|---|---|---|---|---|---|',
        ...members.map(
          (m, i) =>
            `| ${i + 1} | ${describeSplit(m.split).replace('validation: ', '')} | ${n(m.validationFamilies)} | ${m.imageAuc.toFixed(3)} | ${m.memberAuc.toFixed(3)} | ${m.bestEpoch} of ${m.epochsRun} |`,
        ),
      );
    }
  } else {
    lines.push('No validation figures are recorded in meta.json.');
  }
  lines.push(
    '',
    '## Known limits',
    '',
    '- Trained on balanced pairs (half related, half not), so 50 % is not a real-world prior: most',
    '  pairs of people you could pick are unrelated.',
    '- One photo per person is weaker than several: average the scores over photo pairs.',
    '- Children and grandparents are the hardest relations to recognise (large age gaps).',
    '- It judges faces in photos only: not a DNA test, and blind to adoption, step-families and',
    '  look-alikes.',
    '',
  );
  return lines.join('\n');
}
