import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelCard } from './model-card';
import { parseHeadMeta, type HeadMeta } from './meta';

const builtIn = (): HeadMeta =>
  parseHeadMeta(JSON.parse(readFileSync('public/models/heads/face-descriptor/meta.json', 'utf8')));

describe('modelCard', () => {
  it("states the figures of the head's meta.json (those the hand-written built-in card states)", () => {
    const meta = builtIn();
    const card = modelCard(meta, { encoderLabel: 'Face descriptor (dlib ResNet-34)' });
    const v = meta.validation;
    const t = meta.training;
    if (!v || !t || meta.split?.kind !== 'prefix') throw new Error('the built-in meta changed');
    for (const text of [
      '# Kinship head for Face descriptor (dlib ResNet-34)',
      v.imageAuc.toFixed(3),
      v.memberAuc.toFixed(3),
      v.imagePairs.toLocaleString('en-US'),
      v.memberPairs.toLocaleString('en-US'),
      `${(v.accuracy * 100).toFixed(1)} %`,
      meta.threshold.toFixed(3),
      `${v.bestEpoch} of ${v.epochsRun}`,
      `learning rate ${t.learningRate}`,
      `batches of ${t.batchSize}`,
      `patience ${t.patience}`,
      `\`${meta.encoderId}\``,
      `starts with ${meta.split.prefix}`,
      'research and non-commercial',
      'balanced pairs',
      'Children and grandparents',
      'whole-image face crops',
    ]) {
      expect(card, text).toContain(text);
    }
    // 128-d with the x1²−x2² block: 3·128·100 + 100 + 100 + 1.
    expect(card).toContain(
      meta.architecture.diffSquares ? '38,601 parameters' : '25,801 parameters',
    );
  });

  it('follows the meta: other figures, detect mode, a random split, no training record', () => {
    const meta = builtIn();
    const v = meta.validation;
    if (!v) throw new Error('no validation');
    const other: HeadMeta = {
      ...meta,
      encoderId: 'faceres/x/detect',
      architecture: { ...meta.architecture, embeddingDim: 1024, diffSquares: false },
      threshold: 0.4567,
      split: { kind: 'random', fraction: 0.2, seed: 7 },
      validation: { ...v, imageAuc: 0.61234, memberAuc: 0.70111, bestEpoch: 3, epochsRun: 9 },
      training: null,
      dataset: { name: 'fiw-mini', families: 12, photos: 144 },
    };
    const card = modelCard(other);
    expect(modelCard({ ...other, encoderId: 'faceres/x/align' })).toContain(
      'eye-aligned faces (eyes from the landmark net on each face crop',
    );
    for (const text of [
      '0.612',
      '0.701',
      '0.457',
      '3 of 9',
      '20 % of the families (seed 7)',
      'detected and eye-aligned faces',
      '1,024-d embeddings',
      'fiw-mini: 144 photos of 12 families',
      'training settings are not recorded',
      `${(2 * 1024 * 100 + 201).toLocaleString('en-US')} parameters`,
    ]) {
      expect(card, text).toContain(text);
    }
    expect(card).not.toContain(v.imageAuc.toFixed(3));
    expect(card).not.toContain('x1²−x2²');
  });

  it('names an ensemble, its out-of-fold figures, each member and flip TTA', () => {
    const meta = builtIn();
    const v = meta.validation;
    const t = meta.training;
    if (!v || !t) throw new Error('no validation');
    const member = (index: number, imageAuc: number) => ({
      split: { kind: 'fold' as const, folds: 3, index, seed: 1 },
      validationFamilies: 4,
      imageAuc,
      memberAuc: imageAuc + 0.01,
      bestEpoch: 5 + index,
      epochsRun: 12,
    });
    const ensemble: HeadMeta = {
      ...meta,
      architecture: { ...meta.architecture, members: 3 },
      split: null,
      training: { ...t, flipTta: true },
      ensemble: { members: [member(0, 0.81111), member(1, 0.82222), member(2, 0.83333)] },
    };
    const card = modelCard(ensemble);
    const perHead = 3 * 128 * meta.architecture.hiddenUnits + 2 * meta.architecture.hiddenUnits + 1;
    for (const text of [
      'An ensemble of 3 heads, each holding out other families',
      'out-of-fold',
      '## Validation (out-of-fold)',
      'An ensemble of 3 heads whose probabilities are averaged',
      `${(3 * perHead).toLocaleString('en-US')} parameters in all`,
      '| 2 | family fold 2 of 3 | 4 | 0.822 | 0.832 | 6 of 12 |',
      'Flip test-time augmentation',
    ]) {
      expect(card, text).toContain(text);
    }
    expect(card).not.toContain('Kept epoch:');
  });
});
