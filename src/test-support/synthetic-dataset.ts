/**
 * An imported dataset for fine-tuning tests without images: the synthetic kinship embeddings of
 * src/ml/head/synthetic.ts already in the dataset's embedding map (plain and '#flip'), as if the
 * photos had been encoded, plus test pairs for submissions made of training photos' vectors.
 */
import type { Dataset, DatasetReport } from '../data/dataset';
import { datasetIdentity, flipIdentityOf } from '../finetune/dataset';
import type { LoadedDataset } from '../finetune/types';
import type { Encoder } from '../ml/encoders/types';
import {
  syntheticKinData,
  type SyntheticKinData,
  type SyntheticOptions,
} from '../ml/head/synthetic';

export interface SyntheticDataset {
  ds: LoadedDataset;
  /** An encoder of the right size that never embeds (the embeddings are there already). */
  encoder: Encoder;
  data: SyntheticKinData;
  /** The dataset's feature identity (detect off). */
  identity: string;
}

export interface SyntheticDatasetOptions extends SyntheticOptions {
  /** Test pairs (test/tN.jpg) whose vectors copy training photos'; default 0. */
  testPairs?: number;
  /** Put mirrored embeddings in the dataset; default true. */
  flips?: boolean;
}

function report(photos: number, families: number, members: number): DatasetReport {
  return {
    root: '',
    familiesDir: 'train',
    relationshipsCsv: 'train_relationships.csv',
    submissionCsv: null,
    testDir: null,
    families,
    members,
    photos,
    kinPairsListed: 0,
    kinPairsUsable: 0,
    pairsWithoutPhotos: [],
    membersWithoutPhotos: [],
    csvProblems: [],
    skipped: [],
    skippedByReason: {},
    testImages: 0,
    testPairs: 0,
    testPairsMissingImages: [],
    warnings: [],
  };
}

export function syntheticDataset(options: SyntheticDatasetOptions): SyntheticDataset {
  const data = syntheticKinData(options);
  const d = options.dim;
  const encoder: Encoder = {
    id: 'face-descriptor',
    label: 'Synthetic encoder',
    dim: d,
    inputSize: 150,
    crop: 'descriptor',
    identity: 'synthetic@test',
    builtIn: false,
    embed: () => Promise.reject(new Error('the synthetic encoder does not embed images')),
    dispose: () => undefined,
  };
  const identity = datasetIdentity(encoder, false);
  const photos = data.dataset.members.flatMap((m) => m.photos);
  const row = (table: Float32Array, path: string): Float32Array => {
    const r = data.rowOf(path) as number;
    return table.slice(r * d, (r + 1) * d);
  };
  const vectors = new Map(photos.map((p) => [p, row(data.embeddings, p)]));
  const flips = new Map(photos.map((p) => [p, row(data.flipEmbeddings, p)]));

  // Test image k copies training photo (7k mod n): pairs mix kin and strangers.
  const testCount = options.testPairs ?? 0;
  const testImages = Array.from({ length: 2 * testCount }, (_, k) => `test/t${k}.jpg`);
  testImages.forEach((t, k) => {
    const source = photos[(7 * k) % photos.length] as string;
    vectors.set(t, vectors.get(source) as Float32Array);
    flips.set(t, flips.get(source) as Float32Array);
  });
  const testPairs = Array.from({ length: testCount }, (_, i) => {
    const a = `t${2 * i}.jpg`;
    const b = `t${2 * i + 1}.jpg`;
    return { imgPair: `${a}-${b}`, a, b, line: i + 2, pathA: `test/${a}`, pathB: `test/${b}` };
  });
  const dataset: Dataset = {
    ...data.dataset,
    testImages,
    submissionPairs: testPairs.map(({ imgPair, a, b, line }) => ({ imgPair, a, b, line })),
    testPairs,
    report: report(photos.length, data.dataset.families.length, data.dataset.members.length),
  };
  const embeddings = new Map([[identity, vectors]]);
  if (options.flips !== false) embeddings.set(flipIdentityOf(identity), flips);
  const ds: LoadedDataset = {
    name: 'synthetic',
    dataset,
    files: new Map([...photos, ...testImages].map((p) => [p, new Blob([])])),
    hashes: new Map(),
    embeddings,
    alignments: new Map(),
  };
  return { ds, encoder, data, identity };
}
