import type { EncoderScore } from '../../ml/pair/score';

function verdictClass(s: EncoderScore): string {
  if (s.verdict === 'related') return 'related';
  return s.verdict === 'not related' ? 'unrelated' : 'similarity';
}

function formatScore(s: EncoderScore): string {
  return s.mode === 'kinship' ? `${(s.score * 100).toFixed(1)}%` : s.score.toFixed(3);
}

/** One card per encoder: score, verdict at that encoder's threshold, and the time it took. */
export function ResultCards({
  scores,
  onReliability,
}: {
  scores: EncoderScore[];
  onReliability?: () => void;
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
              <p className="result-verdict">
                {s.verdict === 'related' ? 'Likely related' : 'Likely not related'}{' '}
                <span className="muted">
                  at threshold {s.threshold !== null ? (s.threshold * 100).toFixed(0) : '—'}%
                </span>
              </p>
              {s.valAuc !== null && (
                <p className="muted small">
                  Validation AUC {s.valAuc.toFixed(3)}
                  {onReliability && (
                    <>
                      {' · '}
                      <button type="button" className="link-button" onClick={onReliability}>
                        how reliable is this encoder?
                      </button>
                    </>
                  )}
                </p>
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
          <p className="muted small result-time">{s.ms.toFixed(0)} ms</p>
        </article>
      ))}
    </div>
  );
}
