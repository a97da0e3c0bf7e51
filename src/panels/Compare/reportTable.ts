import type { ComparisonReport, EncoderComparison } from '../../worker/compare';

/** One table row: a trained head or the zero-shot cosine baseline of an encoder. */
export interface TableRow {
  encoderId: string;
  method: 'trained head' | 'cosine (zero-shot)';
  label: string;
  auc: number;
  aucLower: number;
  aucUpper: number;
  memberAuc: number | null;
  accuracy: number | null;
  threshold: number | null;
  tprAt10: number;
  dim: number;
  imagesPerSecond: number | null;
  trainSeconds: number | null;
}

export function tableRows(report: ComparisonReport): TableRow[] {
  const head = (r: EncoderComparison): TableRow => ({
    encoderId: r.encoderId,
    method: 'trained head',
    label: r.label,
    auc: r.auc.auc,
    aucLower: r.auc.lower,
    aucUpper: r.auc.upper,
    memberAuc: r.memberAuc,
    accuracy: r.accuracy,
    threshold: r.threshold,
    tprAt10: r.tprAt10,
    dim: r.dim,
    imagesPerSecond: r.encode.encoded > 0 ? r.encode.imagesPerSecond : null,
    trainSeconds: r.trainSeconds,
  });
  const cosine = (r: EncoderComparison): TableRow => ({
    encoderId: r.encoderId,
    method: 'cosine (zero-shot)',
    label: r.label,
    auc: r.cosineAuc.auc,
    aucLower: r.cosineAuc.lower,
    aucUpper: r.cosineAuc.upper,
    memberAuc: null,
    accuracy: null,
    threshold: null,
    tprAt10: r.cosineRoc.length ? tprFromRoc(r.cosineRoc) : NaN,
    dim: r.dim,
    imagesPerSecond: null,
    trainSeconds: null,
  });
  return [...report.results.map(head), ...report.results.map(cosine)];
}

function tprFromRoc(points: Array<{ fpr: number; tpr: number }>): number {
  // The thinned curve: interpolate at FPR 0.1 between its neighbours.
  let below = points[0] as { fpr: number; tpr: number };
  for (const p of points) {
    if (p.fpr <= 0.1) below = p;
    else {
      if (p.fpr === below.fpr) return p.tpr;
      return below.tpr + ((0.1 - below.fpr) / (p.fpr - below.fpr)) * (p.tpr - below.tpr);
    }
  }
  return below.tpr;
}

const CSV_COLUMNS: Array<[keyof TableRow, string]> = [
  ['encoderId', 'encoder_id'],
  ['label', 'encoder'],
  ['method', 'method'],
  ['auc', 'auc'],
  ['aucLower', 'auc_ci95_low'],
  ['aucUpper', 'auc_ci95_high'],
  ['memberAuc', 'member_auc'],
  ['accuracy', 'accuracy_at_threshold'],
  ['threshold', 'threshold'],
  ['tprAt10', 'tpr_at_fpr_10'],
  ['dim', 'embedding_dim'],
  ['imagesPerSecond', 'encode_images_per_s'],
  ['trainSeconds', 'train_seconds'],
];

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toFixed(6))) : '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tableCsv(report: ComparisonReport): string {
  const rows = tableRows(report);
  return (
    [
      CSV_COLUMNS.map(([, h]) => h).join(','),
      ...rows.map((r) => CSV_COLUMNS.map(([k]) => cell(r[k])).join(',')),
    ].join('\n') + '\n'
  );
}

/** The reproducible record: settings, split, metrics; ROC points included, scores left out. */
export function reportJson(report: ComparisonReport): string {
  return JSON.stringify({ format: 'kinlens-comparison', version: 1, ...report }, null, 2);
}
