import { fractionBelow, type ScoreDistributions, type VerdictBands } from '../../ml/head/bands';

const BINS = 40;
const W = 240;
const H = 44;

function histogram(q: number[]): number[] {
  return Array.from(
    { length: BINS },
    (_, i) => fractionBelow(q, (i + 1) / BINS) - fractionBelow(q, i / BINS),
  );
}

function area(mass: number[], peak: number): string {
  const step = W / BINS;
  const pts = mass.map((m, i) => `${(i + 0.5) * step},${H - 4 - (m / peak) * (H - 10)}`);
  return `M0,${H - 4} L${pts.join(' L')} L${W},${H - 4} Z`;
}

/**
 * The head's validation scores of unrelated and related pairs as two small density curves over
 * 0–100 %, the verdict band edges, and a marker for this pair.
 */
export function DistributionStrip({
  distributions,
  bands,
  probability,
  estimated,
}: {
  distributions: ScoreDistributions;
  bands: VerdictBands | null;
  probability: number;
  estimated: boolean;
}) {
  const unrelated = histogram(distributions.unrelated);
  const kin = histogram(distributions.kin);
  const peak = Math.max(...unrelated, ...kin, 1e-9);
  const x = (p: number): number => Math.min(W, Math.max(0, p * W));
  const label =
    `Validation score distributions${estimated ? ' (estimated)' : ''}: unrelated pairs in grey, ` +
    `related pairs in green; this pair at ${(probability * 100).toFixed(0)} %.`;
  return (
    <figure className="dist-strip" data-testid="distribution-strip">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} preserveAspectRatio="none">
        <path d={area(unrelated, peak)} className="dist-unrelated" />
        <path d={area(kin, peak)} className="dist-kin" />
        {bands && (
          <>
            <line
              x1={x(bands.unlikelyBelow)}
              x2={x(bands.unlikelyBelow)}
              y1={2}
              y2={H - 4}
              className="dist-edge"
            />
            <line
              x1={x(bands.relatedAbove)}
              x2={x(bands.relatedAbove)}
              y1={2}
              y2={H - 4}
              className="dist-edge"
            />
          </>
        )}
        <line x1={0} x2={W} y1={H - 4} y2={H - 4} className="dist-axis" />
        <path
          d={`M${x(probability)},${H - 4} l-5,-9 h10 Z`}
          className="dist-marker"
          data-testid="distribution-marker"
        />
      </svg>
      <figcaption className="dist-legend small muted">
        <span className="dist-key dist-key-unrelated" /> unrelated
        <span className="dist-key dist-key-kin" /> related
        <span className="dist-scale">0 % · 50 % · 100 %</span>
      </figcaption>
    </figure>
  );
}
