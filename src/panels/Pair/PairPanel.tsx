import { useMemo } from 'react';
import { useAppState } from '../../store';
import type { SlotId } from '../../store/pairSlice';
import { FileName } from '../common/FileName';
import { FacePicker } from './FacePicker';
import { PhotoDrop } from './PhotoDrop';
import { PhotoPreview } from './PhotoPreview';
import { ResultCards, type Reliability } from './ResultCards';

function SlotView({ slot, label }: { slot: SlotId; label: string }) {
  const { state, setPhoto, chooseFace, stackReady } = useAppState((s) => ({
    state: s.slots[slot],
    setPhoto: s.setPhoto,
    chooseFace: s.chooseFace,
    stackReady: s.faceStack.status === 'ready',
  }));
  const testId = `photo-${slot}`;
  const busy = state.status === 'analyzing';
  return (
    <div className="slot">
      <h3 className="slot-title">{label}</h3>
      <PhotoDrop
        label={label}
        testId={`drop-${slot}`}
        onFile={(f) => void setPhoto(slot, f)}
        busy={busy}
      >
        {state.analysis ? (
          <PhotoPreview analysis={state.analysis} choice={state.choice} />
        ) : (
          <div className="dropzone-empty">
            <strong>Drop a photo here</strong>
            <span className="muted">or click to choose · paste with Ctrl+V</span>
          </div>
        )}
        {busy && (
          <div className="dropzone-overlay" role="status">
            <span className="spinner" aria-hidden="true" />{' '}
            {stackReady ? 'Finding faces' : 'Loading face models'} in{' '}
            <FileName name={state.fileName ?? ''} />…
          </div>
        )}
      </PhotoDrop>
      {state.error && (
        <p className="error-text slot-error" role="alert" data-testid={`${testId}-error`}>
          {state.error}
        </p>
      )}
      {state.analysis && (
        <>
          <p className="muted small" data-testid={`${testId}-info`}>
            <FileName name={state.analysis.name} testId={`${testId}-name`} /> ·{' '}
            {state.analysis.width}×{state.analysis.height} ·{' '}
            <span data-testid={`${testId}-face-count`}>{state.analysis.faces.length}</span> face
            {state.analysis.faces.length === 1 ? '' : 's'} · {state.analysis.ms.toFixed(0)} ms
            {state.analysis.notes.length ? ` · ${state.analysis.notes.join('; ')}` : ''}
          </p>
          <FacePicker
            slotLabel={label}
            testId={`${testId}-faces`}
            faces={state.analysis.faces}
            choice={state.choice}
            onChoose={(c) => chooseFace(slot, c)}
          />
        </>
      )}
    </div>
  );
}

export function PairPanel() {
  const { scoring, tta, setTta, detector, setDetector, faceStack, comparison, setActiveTab } =
    useAppState((s) => ({
      scoring: s.scoring,
      tta: s.tta,
      setTta: s.setTta,
      detector: s.detector,
      setDetector: s.setDetector,
      faceStack: s.faceStack,
      comparison: s.comparison,
      setActiveTab: s.setActiveTab,
    }));
  const reliability = useMemo(() => {
    const out: Partial<Record<string, Reliability>> = {};
    for (const r of comparison?.results ?? []) {
      out[r.encoderId] = {
        auc: r.auc.auc,
        lower: r.auc.lower,
        upper: r.auc.upper,
        threshold: r.threshold,
        cosineAuc: r.cosineAuc.auc,
      };
    }
    return out;
  }, [comparison]);

  return (
    <section className="panel" aria-labelledby="pair-title">
      <header className="panel-header">
        <h2 id="pair-title">Score a pair</h2>
        <p className="muted">
          Drop a photo of each person. Faces are found and aligned on this device; each encoder
          scores the pair.
        </p>
      </header>
      <div className="slots">
        <SlotView slot="a" label="Person A" />
        <SlotView slot="b" label="Person B" />
      </div>
      <div className="field-row options-row">
        <label className="check">
          <input
            type="checkbox"
            checked={tta}
            onChange={(e) => setTta(e.target.checked)}
            data-testid="tta"
          />
          Also score the mirrored faces (test-time augmentation)
        </label>
        <label htmlFor="detector">Face detector</label>
        <select
          id="detector"
          value={detector}
          onChange={(e) => setDetector(e.target.value === 'tiny' ? 'tiny' : 'ssd')}
        >
          <option value="ssd">SSD MobileNet (accurate)</option>
          <option value="tiny">Tiny face detector (fast)</option>
        </select>
        {faceStack.status === 'loading' && (
          <span className="muted" role="status">
            <span className="spinner" aria-hidden="true" /> Loading face models…
          </span>
        )}
      </div>
      <div aria-live="polite">
        {scoring.status === 'scoring' && (
          <p className="muted" role="status">
            <span className="spinner" aria-hidden="true" /> Scoring…
          </p>
        )}
        {scoring.status === 'error' && (
          <p className="error-text" role="alert" data-testid="score-error">
            {scoring.error}
          </p>
        )}
        {scoring.scores.length > 0 && (
          <>
            <ResultCards
              scores={scoring.scores}
              reliability={reliability}
              onReliability={() => setActiveTab('compare')}
            />
            {scoring.ms !== null && (
              <p className="muted small" data-testid="score-time">
                Scored in {scoring.ms.toFixed(0)} ms
              </p>
            )}
          </>
        )}
      </div>
    </section>
  );
}
