/**
 * Head-training throughput on synthetic kin embeddings, for the benchmark page and
 * `cli/bench-head.ts`: training pairs/s per epoch (validation excluded).
 */
import { syntheticKinData } from './synthetic';
import { trainHead } from './train';

export interface ThroughputSpec {
  dim: number;
  batchSize: number;
  stepsPerEpoch: number;
  /** The first epoch includes kernel compilation; callers usually drop it. Default 3. */
  epochs?: number;
  /** Synthetic families (more gives more distinct pairs). Default 40. */
  families?: number;
}

/** Pairs/s of every epoch, in order. */
export async function headTrainingRates(spec: ThroughputSpec): Promise<number[]> {
  const families = spec.families ?? 40;
  const data = syntheticKinData({
    families,
    validationFamilies: Math.max(1, Math.round(families / 10)),
    bloodMembers: 4,
    photosPerMember: 3,
    dim: spec.dim,
    seed: 1,
  });
  const rates: number[] = [];
  const result = await trainHead(
    {
      embeddings: data.embeddings,
      embeddingDim: spec.dim,
      train: data.train,
      validation: data.validation,
      encoderId: 'bench',
    },
    {
      epochs: spec.epochs ?? 3,
      patience: 0,
      batchSize: spec.batchSize,
      stepsPerEpoch: spec.stepsPerEpoch,
    },
    { onEpoch: (s) => rates.push(s.pairsPerSecond) },
  );
  result.head.dispose();
  return rates;
}
