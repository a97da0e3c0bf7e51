import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseHeadMeta } from './meta';

const DIR = 'public/models/heads/face-descriptor';

it("the built-in head's MODEL_CARD.md states its meta.json figures", () => {
  const meta = parseHeadMeta(JSON.parse(readFileSync(`${DIR}/meta.json`, 'utf8')));
  const card = readFileSync(`${DIR}/MODEL_CARD.md`, 'utf8');
  const v = meta.validation;
  if (!v || !meta.training) throw new Error('the built-in head has no validation data');
  const n = (x: number): string => x.toLocaleString('en-US');
  for (const text of [
    v.imageAuc.toFixed(3),
    v.memberAuc.toFixed(3),
    n(v.imagePairs),
    n(v.memberPairs),
    `${(v.accuracy * 100).toFixed(1)} %`,
    meta.threshold.toFixed(3),
    `${v.bestEpoch} of ${v.epochsRun}`,
    `learning rate ${meta.training.learningRate}`,
    `batches of ${meta.training.batchSize}`,
    `patience ${meta.training.patience}`,
    meta.encoderId,
    meta.split?.kind === 'prefix' ? meta.split.prefix : 'no prefix',
    'research and non-commercial',
    'balanced pairs',
    'Children and grandparents',
  ]) {
    expect(card, text).toContain(text);
  }
});
