/**
 * The family matrix as the view and its exports read it: one row per pair of people with the
 * chosen encoder's reading, and the CSV / PNG exports.
 */
import type { Band } from '../../ml/head/bands';
import type { EncoderId } from '../../ml/encoders/types';
import type { FamilyMatrix } from '../../worker/people';
import { BAND_TEXT } from './verdictText';

export interface MatrixRow {
  /** Person indices in the matrix (i < j). */
  i: number;
  j: number;
  /** Kinship probability, or null when the encoder has no head. */
  probability: number | null;
  band: Band | null;
  cosine: number;
  samePerson: boolean;
  pairs: number;
}

export function matrixRows(matrix: FamilyMatrix, encoderId: EncoderId): MatrixRow[] {
  return matrix.cells.map(({ i, j, scores }) => {
    const s = scores.scores.find((x) => x.encoderId === encoderId);
    return {
      i,
      j,
      probability: s?.kinship?.probability ?? null,
      band: s?.kinship?.band ?? null,
      cosine: s?.cosine ?? NaN,
      samePerson: scores.samePerson !== null,
      pairs: scores.pairs,
    };
  });
}

/** The cell of two people (either order); null on the diagonal. */
export function rowFor(rows: readonly MatrixRow[], a: number, b: number): MatrixRow | null {
  if (a === b) return null;
  const [i, j] = a < b ? [a, b] : [b, a];
  return rows.find((r) => r.i === i && r.j === j) ?? null;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function matrixCsv(
  names: readonly string[],
  rows: readonly MatrixRow[],
  encoderLabel: string,
): string {
  const header = [
    'person_a',
    'person_b',
    'kinship_probability',
    'verdict',
    'same_person',
    'face_similarity',
    'face_pairs',
    'encoder',
  ];
  const lines = rows.map((r) =>
    [
      names[r.i] ?? `#${r.i + 1}`,
      names[r.j] ?? `#${r.j + 1}`,
      r.probability === null ? '' : r.probability.toFixed(4),
      r.samePerson ? 'same person' : r.band ? BAND_TEXT[r.band] : 'no kinship model',
      r.samePerson ? 'yes' : 'no',
      r.cosine.toFixed(4),
      String(r.pairs),
      encoderLabel,
    ]
      .map(csvField)
      .join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}

export const BAND_COLOURS: Record<Band | 'none' | 'same', string> = {
  related: '#cfe9d9',
  'cant-tell': '#eceef2',
  unlikely: '#fbe3c8',
  none: '#f4f5f7',
  same: '#dde3f6',
};

export function cellColour(r: MatrixRow | null): string {
  if (!r) return '#ffffff';
  if (r.samePerson) return BAND_COLOURS.same;
  return BAND_COLOURS[r.band ?? 'none'];
}

export function cellText(r: MatrixRow | null): string {
  if (!r) return '—';
  if (r.probability === null) return r.cosine.toFixed(2);
  return `${Math.round(r.probability * 100)}%${r.samePerson ? ' =' : ''}`;
}

/** The matrix drawn for a PNG download: names, coloured cells with their numbers, a legend. */
export function drawMatrix(
  names: readonly string[],
  rows: readonly MatrixRow[],
  title: string,
): HTMLCanvasElement {
  const n = names.length;
  const cell = 64;
  const label = 150;
  const top = 60;
  const canvas = document.createElement('canvas');
  canvas.width = label + n * cell + 20;
  canvas.height = top + label + n * cell + 60;
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#1c2330';
  ctx.font = '600 16px system-ui, sans-serif';
  ctx.fillText(title, 10, 28);
  ctx.font = '13px system-ui, sans-serif';
  const clip = (s: string): string => (s.length > 18 ? `${s.slice(0, 17)}…` : s);
  names.forEach((name, k) => {
    ctx.fillStyle = '#1c2330';
    ctx.textAlign = 'right';
    ctx.fillText(clip(name), label - 8, top + label + k * cell + cell / 2 + 4);
    ctx.save();
    ctx.translate(label + k * cell + cell / 2 + 4, top + label - 8);
    ctx.rotate(-Math.PI / 3);
    ctx.textAlign = 'left';
    ctx.fillText(clip(name), 0, 0);
    ctx.restore();
  });
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const r = rowFor(rows, a, b);
      const x = label + b * cell;
      const y = top + label + a * cell;
      ctx.fillStyle = cellColour(r);
      ctx.fillRect(x, y, cell - 2, cell - 2);
      ctx.fillStyle = '#1c2330';
      ctx.textAlign = 'center';
      ctx.fillText(a === b ? '' : cellText(r), x + cell / 2, y + cell / 2 + 4);
    }
  }
  ctx.textAlign = 'left';
  ctx.fillStyle = '#5d6777';
  ctx.fillText(
    'green: likely related · grey: can’t tell · orange: unlikely · blue "=": same person',
    10,
    canvas.height - 20,
  );
  return canvas;
}
