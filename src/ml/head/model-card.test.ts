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
});
