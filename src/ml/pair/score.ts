/**
 * Scores one pair of faces with every available encoder. With a trained head the score is the
 * head's kinship probability and the verdict uses its validation threshold; without one it is the
 * cosine similarity of the two embeddings — face similarity, not a kinship probability. Fused
 * encoders (the face ensemble) are scored through their parts.
 */
import { throwIfAborted } from '../../lib/abort';
import { cosineSimilarity } from '../metrics/similarity';
import type { PixelImage } from '../face/pixels';
import { embedFused } from '../encoders/ensemble';
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

interface PartVectors {
  vectors: Float32Array[];
  ms: number;
}

/**
 * Scores the pair with each encoder in order. Each encoder's embeddings are computed once per
 * call and shared by identity, so a fused encoder reuses the parts scored before it (and parts it
 * computed first are reused by their own cards). Each card's `ms` is what that encoder costs when
 * nothing is shared: its own embedding time (a fused encoder: the sum of its parts) plus its head.
 */
export async function scorePair(input: ScorePairInput): Promise<EncoderScore[]> {
  const opts = { tta: input.tta, ...(input.signal ? { signal: input.signal } : {}) };
  const computed = new Map<string, Promise<PartVectors>>();
  let freshMs = 0;
  const embedOnce = (encoder: Encoder): Promise<PartVectors> => {
    let pending = computed.get(encoder.identity);
    if (!pending) {
      pending = (async () => {
        throwIfAborted(input.signal);
        const started = performance.now();
        const vectors = await encoder.embed(input.crops[encoder.crop], opts);
        const ms = performance.now() - started;
        freshMs += ms;
        return { vectors, ms };
      })();
      computed.set(encoder.identity, pending);
    }
    return pending;
  };

  const out: EncoderScore[] = [];
  for (const encoder of input.encoders) {
    throwIfAborted(input.signal);
    const started = performance.now();
    const freshBefore = freshMs;
    let usedMs = 0;
    const [ea, eb] = await embedFused(encoder, input.crops, opts, async (part) => {
      const { vectors, ms } = await embedOnce(part);
      usedMs += ms;
      return vectors;
    });
    if (!ea || !eb) throw new Error(`${encoder.label} returned no embedding`);
    const cos = cosineSimilarity(ea, eb);
    const head = input.heads[encoder.id];
    const base = { encoderId: encoder.id, label: encoder.label, cosine: cos };
    // Wall time of this card without parts computed here, plus what its parts cost.
    const elapsed = (): number => performance.now() - started - (freshMs - freshBefore) + usedMs;
    if (head) {
      const p = await head.predict(ea, eb);
      out.push({
        ...base,
        mode: 'kinship',
        score: p,
        threshold: head.threshold,
        verdict: verdictAt(p, head.threshold),
        valAuc: head.valAuc,
        ms: elapsed(),
      });
    } else {
      out.push({
        ...base,
        mode: 'similarity',
        score: cos,
        threshold: null,
        verdict: null,
        valAuc: null,
        ms: elapsed(),
      });
    }
  }
  return out;
}
