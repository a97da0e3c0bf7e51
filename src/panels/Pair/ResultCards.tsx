import type { EncoderId } from '../../ml/encoders/types';
import type { HeadSource } from '../../ml/pair/head-choice';
import type { EncoderScore, GroupScores } from '../../ml/pair/score';
import type { SamePerson } from '../../ml/pair/verdict';
import { DistributionStrip } from './DistributionStrip';
import {
  BAND_TEXT,
  WHAT_IT_IS_NOT,
  basisLine,
  percent,
  placementSentence,
  provenanceLine,
} from './verdictText';

/** What the last comparison measured for an encoder (shown as "how reliable is this encoder"). */
export interface Reliability {
  auc: number;
  lower: number;
  upper: number;
  threshold: number;
  cosineAuc: number;
}

type CardMode = 'kinship' | 'same-person' | 'no-head';

function modeOf(s: EncoderScore, same: SamePerson | null): CardMode {
  if (!s.kinship) return 'no-head';
  return same ? 'same-person' : 'kinship';
}

function HeadSwitch({
  s,
  onChoose,
}: {
  s: EncoderScore;
  onChoose: (id: EncoderId, source: HeadSource) => void;
}) {
  const other = s.kinship?.provenance.alternative;
  if (!other) return null;
  return (
    <button
      type="button"
      className="link-button small"
      onClick={() => onChoose(s.encoderId, other)}
      data-testid={`use-${other}-${s.encoderId}`}
    >
      {other === 'built-in' ? 'Use the built-in model again' : 'Use my own head'}
    </button>
  );
}

function KinshipBody({ s, props }: { s: EncoderScore; props: CardsProps }) {
  const k = s.kinship;
  if (!k) return null;
  const sentence = placementSentence(k);
  return (
    <>
      <p className="result-score" data-testid={`score-${s.encoderId}`}>
        {percent(k.probability)}
        {k.band && (
          <span className={`band band-${k.band}`} data-testid={`band-${s.encoderId}`}>
            {BAND_TEXT[k.band]}
          </span>
        )}
      </p>
      <p className="result-kind">
        Kinship probability · {basisLine(k, props.photosA, props.photosB, s.pairs)}
      </p>
      {sentence && (
        <p className="small" data-testid={`placement-${s.encoderId}`}>
          {sentence}
        </p>
      )}
      {k.distributions && (
        <DistributionStrip
          distributions={k.distributions}
          bands={k.bands}
          probability={k.probability}
          estimated={k.scoringSource === 'estimated'}
        />
      )}
      <p className="muted small">{WHAT_IT_IS_NOT}</p>
    </>
  );
}

function Card({ s, props }: { s: EncoderScore; props: CardsProps }) {
  const same = props.result.samePerson;
  const mode = modeOf(s, same);
  const r = props.reliability[s.encoderId];
  return (
    <article
      className={`result-card result-${mode === 'kinship' ? (s.kinship?.band ?? 'none') : mode}`}
      data-testid={`result-${s.encoderId}`}
      data-mode={mode}
      data-score={s.kinship ? s.kinship.probability : s.cosine}
      data-cosine={s.cosine}
      data-band={s.kinship?.band ?? ''}
    >
      <h3>{s.label}</h3>
      {mode === 'kinship' && <KinshipBody s={s} props={props} />}
      {mode === 'same-person' && same && (
        <>
          <p className="result-headline" data-testid={`same-person-${s.encoderId}`}>
            These look like the same person (
            {s.encoderId === 'face-descriptor' ? '' : 'face descriptor '}similarity{' '}
            {same.cosine.toFixed(2)}) — kinship can’t be judged from two photos of one person.
          </p>
          <p className="muted small" data-testid={`score-${s.encoderId}`}>
            Kinship probability {percent(s.kinship?.probability ?? NaN)} (not a verdict) ·{' '}
            {basisLine(
              s.kinship as NonNullable<EncoderScore['kinship']>,
              props.photosA,
              props.photosB,
              s.pairs,
            )}
          </p>
        </>
      )}
      {mode === 'no-head' && (
        <>
          <p className="result-headline" data-testid={`no-head-${s.encoderId}`}>
            No kinship model for this encoder yet —{' '}
            <button type="button" className="link-button" onClick={props.onTrain}>
              train one in Fine-tune
            </button>
          </p>
          {same && (
            <p className="small">
              The face descriptor finds these the same person (similarity {same.cosine.toFixed(2)}).
            </p>
          )}
        </>
      )}
      <p className="muted small" data-testid={`similarity-${s.encoderId}`}>
        Face similarity {s.cosine.toFixed(3)} (cosine of the embeddings, not kinship)
        {s.ms >= 0.5 ? ` · ${s.ms.toFixed(0)} ms` : ''}
      </p>
      {s.kinship && (
        <p className="small provenance" data-testid={`provenance-${s.encoderId}`}>
          {provenanceLine(s.kinship.provenance)} <HeadSwitch s={s} onChoose={props.onChooseHead} />
        </p>
      )}
      {r && (
        <p className="muted small" data-testid="reliability">
          Last comparison: AUC {(s.kinship ? r.auc : r.cosineAuc).toFixed(3)}
          {s.kinship
            ? ` [${r.lower.toFixed(3)}, ${r.upper.toFixed(3)}]`
            : ' as plain similarity'} ·{' '}
          <button type="button" className="link-button" onClick={props.onReliability}>
            how reliable is this encoder?
          </button>
        </p>
      )}
    </article>
  );
}

interface CardsProps {
  result: GroupScores;
  photosA: number;
  photosB: number;
  reliability: Partial<Record<string, Reliability>>;
  onReliability: () => void;
  onTrain: () => void;
  onChooseHead: (id: EncoderId, source: HeadSource) => void;
}

/** One card per encoder: the kinship reading (or why there is none) and where it comes from. */
export function ResultCards(props: CardsProps) {
  return (
    <div className="result-cards" data-testid="result-cards">
      {props.result.scores.map((s) => (
        <Card key={s.encoderId} s={s} props={props} />
      ))}
    </div>
  );
}
