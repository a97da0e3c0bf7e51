import { describe, expect, it } from 'vitest';
import type { FamilyMatrix } from '../../worker/people';
import { matrixCsv, matrixRows, rowFor } from './familyMatrix';

const score = (p: number | null, cosine: number, same = false) => ({
  samePerson: same ? { cosine, threshold: 0.93 } : null,
  pairs: 1,
  scores: [
    {
      encoderId: 'face-descriptor' as const,
      label: 'Face descriptor',
      cosine,
      pairs: 1,
      ms: 1,
      kinship:
        p === null ? null : ({ probability: p, band: p > 0.7 ? 'related' : 'cant-tell' } as never),
    },
  ],
});

const matrix: FamilyMatrix = {
  people: 3,
  faces: 3,
  embedMs: 1,
  scoreMs: 1,
  cells: [
    { i: 0, j: 1, scores: score(0.81, 0.9) },
    { i: 0, j: 2, scores: score(0.4, 0.95, true) },
    { i: 1, j: 2, scores: score(null, 0.5) },
  ],
};

describe('family matrix', () => {
  it('reads one row per pair, symmetric, none on the diagonal', () => {
    const rows = matrixRows(matrix, 'face-descriptor');
    expect(rows).toHaveLength(3);
    expect(rowFor(rows, 1, 0)).toBe(rowFor(rows, 0, 1));
    expect(rowFor(rows, 2, 2)).toBeNull();
    expect(rowFor(rows, 2, 0)?.samePerson).toBe(true);
  });

  it('exports a CSV with names, verdicts and quoted fields', () => {
    const csv = matrixCsv(
      ['Grandma', 'Tom, jr.', 'Ann'],
      matrixRows(matrix, 'face-descriptor'),
      'Face descriptor',
    );
    expect(csv.split('\n')).toEqual([
      'person_a,person_b,kinship_probability,verdict,same_person,face_similarity,face_pairs,encoder',
      'Grandma,"Tom, jr.",0.8100,Likely related,no,0.9000,1,Face descriptor',
      'Grandma,Ann,0.4000,same person,yes,0.9500,1,Face descriptor',
      '"Tom, jr.",Ann,,no kinship model,no,0.5000,1,Face descriptor',
      '',
    ]);
  });
});
