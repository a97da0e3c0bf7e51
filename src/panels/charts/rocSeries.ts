import type { Series } from './chartOptions';

export interface RocCurve {
  label: string;
  color: string;
  points: ReadonlyArray<{ fpr: number; tpr: number }>;
}

/**
 * ROC curves as one shared, increasing FPR grid plus a TPR series per curve (what uPlot wants),
 * with the chance diagonal. At each FPR the curve's best TPR reached so far is used (step curve).
 */
export function rocSeries(curves: readonly RocCurve[]): { x: number[]; series: Series[] } {
  const xs = [...new Set(curves.flatMap((c) => c.points.map((p) => p.fpr)).concat([0, 1]))].sort(
    (a, b) => a - b,
  );
  const at = (pts: RocCurve['points'], x: number): number =>
    pts.reduce((best, p) => (p.fpr <= x + 1e-12 ? Math.max(best, p.tpr) : best), 0);
  return {
    x: xs,
    series: [
      ...curves.map((c) => ({
        label: c.label,
        color: c.color,
        values: xs.map((x) => at(c.points, x)),
      })),
      { label: 'chance', color: '#9aa3b2', values: xs, dash: [4, 4] },
    ],
  };
}
