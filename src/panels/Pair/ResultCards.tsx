import type { EncoderScore } from '../../ml/pair/score';

/** What the last comparison measured for an encoder (shown as "how reliable is this encoder"). */
export interface Reliability {
  auc: number;
  lower: number;
  upper: number;
  threshold: number;
  cosineAuc: number;
}

function verdictClass(s: EncoderScore): string {
  if (s.verdict === 'related') return 'related';
  return s.verdict === 'not related' ? 'unrelated' : 'similarity';
}

function formatScore(s: EncoderScore): string {
  return s.mode === 'kinship' ? `${(s.score * 100).toFixed(1)}%` : s.score.toFixed(3);
}

function ReliabilityLine({
  r,
  onOpen,
  mode,
}: {
  r: Reliability | undefined;
  onOpen: () => void;
  mode: EncoderScore['mode'];
}) {
  if (!r) return null;
  const auc = mode === 'kinship' ? r.auc : r.cosineAuc;
  return (
    <p className="muted small" data-testid="reliability">
      Last comparison: AUC {auc.toFixed(3)}
      {mode === 'kinship'
        ? ` [${r.lower.toFixed(3)}, ${r.upper.toFixed(3)}], threshold ${(r.threshold * 100).toFixed(0)}%`
        : ' as plain similarity'}
      {' · '}
      <button type="button" className="link-button" onClick={onOpen}>
        how reliable is this encoder?
      </button>
    </p>
  );
}

/** One card per encoder: score, verdict at that encoder's threshold, and the time it took. */
export function ResultCards({
  scores,
  reliability,
  onReliability,
}: {
  scores: EncoderScore[];
  reliability: Partial<Record<string, Reliability>>;
  onReliability: () => void;
}) {
  return (
    <div className="result-cards" data-testid="result-cards">
      {scores.map((s) => (
        <article
          key={s.encoderId}
          className={`result-card result-${verdictClass(s)}`}
          data-testid={`result-${s.encoderId}`}
          data-mode={s.mode}
          data-score={s.score}
        >
          <h3>{s.label}</h3>
          <p className="result-score" data-testid={`score-${s.encoderId}`}>
            {formatScore(s)}
          </p>
          {s.mode === 'kinship' ? (
            <>
              <p className="result-kind">Kinship probability (trained head)</p>
              <p className="result-verdict" data-testid={`verdict-${s.encoderId}`}>
                {s.verdict === 'related' ? 'Likely related' : 'Likely not related'}{' '}
                <span className="muted">
                  at threshold {s.threshold !== null ? (s.threshold * 100).toFixed(0) : '—'}%
                </span>
              </p>
              {s.valAuc !== null && (
                <p className="muted small">Head’s validation AUC {s.valAuc.toFixed(3)}</p>
              )}
            </>
          ) : (
            <>
              <p className="result-kind">
                Face similarity (cosine, −1…1) — not a kinship probability
              </p>
              <p className="muted small">
                Train a head on a kinship dataset (Fine-tune tab) to calibrate this into a kinship
                probability.
              </p>
            </>
          )}
          <ReliabilityLine r={reliability[s.encoderId]} onOpen={onReliability} mode={s.mode} />
          <p className="muted small result-time">{s.ms.toFixed(0)} ms</p>
        </article>
      ))}
    </div>
  );
}
