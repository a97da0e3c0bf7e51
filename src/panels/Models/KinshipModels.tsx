import { useAppState } from '../../store';
import './kinship-models.css';
import type { BuiltInHeadInfo } from '../../worker/builtin-heads';
import { Markdown } from '../common/Markdown';
import { provenanceLine } from '../Pair/verdictText';
import { headScoring } from '../../ml/head/scoring';
import { provenanceOf } from '../../ml/pair/head-choice';

function BuiltInHead({ head }: { head: BuiltInHeadInfo }) {
  const s = useAppState((st) => ({
    encoders: st.encoderInfos,
    choice: st.headChoice[head.encoderId],
    userHead: st.savedHeads.find((h) => h.encoderId === head.encoderId && h.matchesEncoder),
    choose: st.chooseHeadSource,
    card: st.modelCards[head.encoderId],
    loadCard: st.loadModelCard,
  }));
  const label = s.encoders.find((e) => e.id === head.encoderId)?.label ?? head.encoderId;
  const meta = head.meta;
  const inUse = !s.userHead || s.choice === 'built-in';
  const scoring = meta ? headScoring(meta, 'image') : null;
  return (
    <article
      className="model-card"
      data-testid={`builtin-head-${head.encoderId}`}
      data-state={head.state}
    >
      <header>
        <h3>Kinship model · {label}</h3>
        <span className={`pill pill-${head.state === 'ready' ? 'ready' : 'not-installed'}`}>
          {head.state !== 'ready' ? 'could not load' : inUse ? 'built in · in use' : 'built in'}
        </span>
      </header>
      {meta ? (
        <>
          <p className="small">{provenanceLine(provenanceOf(meta, 'built-in', null))}.</p>
          <dl className="kv small">
            <div className="kv-row">
              <dt>Validation</dt>
              <dd>
                AUC {meta.validation?.imageAuc.toFixed(3)} on {meta.validation?.imagePairs} photo
                pairs, {meta.validation?.memberAuc.toFixed(3)} on {meta.validation?.memberPairs}{' '}
                pairs of people
              </dd>
            </div>
            {scoring && (
              <div className="kv-row">
                <dt>Verdicts</dt>
                <dd>
                  likely related above {(scoring.bands.relatedAbove * 100).toFixed(0)} %, unlikely
                  below {(scoring.bands.unlikelyBelow * 100).toFixed(0)} %
                  {scoring.source === 'estimated' ? ' (estimated from its ROC curve)' : ''}
                </dd>
              </div>
            )}
          </dl>
          {s.userHead && (
            <p className="small">
              {inUse
                ? 'Your own head for this encoder is saved but not in use. '
                : 'Your own head for this encoder is in use. '}
              <button
                type="button"
                className="link-button"
                onClick={() => void s.choose(head.encoderId, inUse ? 'user' : 'built-in')}
                data-testid={`models-use-${inUse ? 'user' : 'built-in'}-${head.encoderId}`}
              >
                {inUse ? 'Use my own head' : 'Use the built-in model again'}
              </button>
            </p>
          )}
        </>
      ) : (
        <p className="error-text small" role="alert">
          {head.error}
        </p>
      )}
      <details
        onToggle={(e) => {
          if ((e.target as HTMLDetailsElement).open) void s.loadCard(head.encoderId);
        }}
        data-testid={`model-card-${head.encoderId}`}
      >
        <summary>Model card: data, recipe, known limits</summary>
        {s.card === undefined ? (
          <p className="muted small">Loading…</p>
        ) : (
          <Markdown text={s.card} />
        )}
      </details>
    </article>
  );
}

/** The kinship heads that ship with the app, each with its model card. */
export function KinshipModels() {
  const heads = useAppState((s) => s.builtInHeads);
  if (heads.length === 0) return null;
  return (
    <>
      <h3 className="section-title">Kinship models</h3>
      <div className="model-grid">
        {heads.map((h) => (
          <BuiltInHead key={h.encoderId} head={h} />
        ))}
      </div>
    </>
  );
}
