/**
 * Scores one pair of faces with every available encoder. With a trained head the score is the
 * head's kinship probability and the verdict uses its validation threshold; without one it is the
 * cosine similarity of the two embeddings — face similarity, not a kinship probability.
 */
import { throwIfAborted } from '../../lib/abort';
import { cosineSimilarity } from '../metrics/similarity';
import type { PixelImage } from '../face/pixels';
import type { Encoder, EncoderId } from '../encoders/types';

/** A trained head for one encoder, as the pair scorer needs it. */
export interface PairHead {
  predict(a: Float32Array, b: Float32Array): Promise<number>;
  threshold: number;
  /** Validation ROC AUC (member-pair level when available) — how reliable the head is. */
  valAuc: number | null;
  trainedAt: string;
}

export interface EncoderScore {
  encoderId: EncoderId;
  label: string;
  mode: 'kinship' | 'similarity';
  /** Probability in [0, 1] (kinship) or cosine in [-1, 1] (similarity). */
  score: number;
  /** Cosine similarity of the embeddings, always reported. */
  cosine: number;
  threshold: number | null;
  verdict: 'related' | 'not related' | null;
  valAuc: number | null;
  ms: number;
}

export { cosineSimilarity as cosine } from '../metrics/similarity';

export function verdictAt(score: number, threshold: number): 'related' | 'not related' {
  return score >= threshold ? 'related' : 'not related';
}

export interface ScorePairInput {
  /** Crops of both faces per crop kind (descriptor 150², resnet 224²). */
  crops: { descriptor: [PixelImage, PixelImage]; resnet: [PixelImage, PixelImage] };
  encoders: readonly Encoder[];
  heads: Partial<Record<EncoderId, PairHead>>;
  tta: boolean;
  signal?: AbortSignal;
}

export async function scorePair(input: ScorePairInput): Promise<EncoderScore[]> {
  const out: EncoderScore[] = [];
  for (const encoder of input.encoders) {
    throwIfAborted(input.signal);
    const started = performance.now();
    const [ea, eb] = await encoder.embed(input.crops[encoder.crop], {
      tta: input.tta,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    if (!ea || !eb) throw new Error(`${encoder.label} returned no embedding`);
    const cos = cosineSimilarity(ea, eb);
    const head = input.heads[encoder.id];
    const base = { encoderId: encoder.id, label: encoder.label, cosine: cos };
    if (head) {
      const p = await head.predict(ea, eb);
      out.push({
        ...base,
        mode: 'kinship',
        score: p,
        threshold: head.threshold,
        verdict: verdictAt(p, head.threshold),
        valAuc: head.valAuc,
        ms: performance.now() - started,
      });
    } else {
      out.push({
        ...base,
        mode: 'similarity',
        score: cos,
        threshold: null,
        verdict: null,
        valAuc: null,
        ms: performance.now() - started,
      });
    }
  }
  return out;
}
