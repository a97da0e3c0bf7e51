import { describe, expect, it } from 'vitest';
import { parseSubmissionCsv } from './csv';
import { writeSubmission } from './submission';

describe('writeSubmission', () => {
  const { pairs } = parseSubmissionCsv(
    'img_pair,is_related\nface1.jpg-face2.jpg,0\nface3.jpg-face4.jpg,0\nface5.jpg-face6.jpg,0\n',
  );

  it('writes one row per listed pair, in order, with probabilities', async () => {
    const batches: number[] = [];
    const result = await writeSubmission(
      pairs,
      (batch) => {
        batches.push(batch.length);
        return batch.map((p) => (p.a === 'face1.jpg' ? 0.9123456789 : 0.25));
      },
      { batchSize: 2 },
    );
    expect(batches).toEqual([2, 1]);
    expect(result.csv).toBe(
      'img_pair,is_related\nface1.jpg-face2.jpg,0.912346\nface3.jpg-face4.jpg,0.25\nface5.jpg-face6.jpg,0.25\n',
    );
    expect(result.rows).toBe(3);
    expect(result.fallbackPairs).toEqual([]);
  });

  it('writes the fallback for pairs the scorer could not score, and clamps', async () => {
    const result = await writeSubmission(pairs, async () => new Float32Array([NaN, 1.5, -1]), {
      fallback: 0.5,
    });
    expect(result.csv.trim().split('\n').slice(1)).toEqual([
      'face1.jpg-face2.jpg,0.5',
      'face3.jpg-face4.jpg,1',
      'face5.jpg-face6.jpg,0',
    ]);
    expect(result.fallbackPairs).toEqual(['face1.jpg-face2.jpg']);
  });

  it('reports progress and honours abort', async () => {
    const seen: number[] = [];
    await writeSubmission(pairs, (b) => b.map(() => 0.1), {
      batchSize: 1,
      onProgress: (p) => seen.push(p.done),
    });
    expect(seen).toEqual([1, 2, 3]);
    const controller = new AbortController();
    controller.abort();
    await expect(
      writeSubmission(pairs, (b) => b.map(() => 0.1), { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
