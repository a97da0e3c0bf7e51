import { useEffect, useMemo } from 'react';
import { useAppState } from '../../store';
import { FamilyView } from './FamilyView';
import { ResultCards, type Reliability } from './ResultCards';
import { SideView } from './SideView';
import './pair.css';

/** Paste anywhere on the tab (not into a text field) adds the image to the open view. */
function usePasteAnywhere(onImage: (file: File) => void): void {
  useEffect(() => {
    const onPaste = (e: ClipboardEvent): void => {
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, textarea, [contenteditable="true"]')) return;
      const file = Array.from(e.clipboardData?.files ?? []).find((f) =>
        f.type.startsWith('image/'),
      );
      if (!file) return;
      e.preventDefault();
      onImage(file);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [onImage]);
}

/** Person A and person B, each with one or more photos, and the cards of every encoder. */
function TwoPeople() {
  const s = useAppState((st) => ({
    scoring: st.scoring,
    comparison: st.comparison,
    setActiveTab: st.setActiveTab,
    swap: st.swapSides,
    photosA: st.sides.a.filter((p) => p.choice !== null).length,
    photosB: st.sides.b.filter((p) => p.choice !== null).length,
    anyPhotos: st.sides.a.length + st.sides.b.length > 0,
    chooseHead: st.chooseHeadSource,
  }));
  const reliability = useMemo(() => {
    const out: Partial<Record<string, Reliability>> = {};
    for (const r of s.comparison?.results ?? []) {
      out[r.encoderId] = {
        auc: r.auc.auc,
        lower: r.auc.lower,
        upper: r.auc.upper,
        threshold: r.threshold,
        cosineAuc: r.cosineAuc.auc,
      };
    }
    return out;
  }, [s.comparison]);
  const { scoring } = s;
  return (
    <>
      <div className="sides">
        <SideView side="a" label="Person A" />
        <div className="sides-swap">
          <button
            type="button"
            className="small-button"
            onClick={s.swap}
            disabled={!s.anyPhotos}
            title={s.anyPhotos ? 'Swap person A and person B' : 'Add photos first'}
            data-testid="swap-sides"
          >
            ⇄ Swap
          </button>
        </div>
        <SideView side="b" label="Person B" />
      </div>
      <div
        aria-live="polite"
        className={scoring.status === 'scoring' && !scoring.partial ? 'results-updating' : ''}
      >
        {scoring.status === 'scoring' && !scoring.result && (
          <p className="muted" role="status" data-testid="scoring">
            <span className="spinner" aria-hidden="true" /> Scoring…
          </p>
        )}
        {scoring.status === 'error' && (
          <p className="error-text" role="alert" data-testid="score-error">
            {scoring.error}
          </p>
        )}
        {scoring.result && (
          <>
            {scoring.status === 'scoring' && !scoring.partial && (
              <p className="muted small" role="status" data-testid="rescoring">
                <span className="spinner" aria-hidden="true" /> Updating…
              </p>
            )}
            <ResultCards
              result={scoring.result}
              photosA={s.photosA}
              photosB={s.photosB}
              reliability={reliability}
              onReliability={() => s.setActiveTab('compare')}
              onTrain={() => s.setActiveTab('finetune')}
              onChooseHead={(id, source) => void s.chooseHead(id, source)}
            />
            {scoring.partial && (
              <p className="muted small" role="status" data-testid="scoring-more">
                <span className="spinner" aria-hidden="true" /> Scoring with the other encoders…
              </p>
            )}
            {scoring.ms !== null && scoring.status === 'done' && (
              <p className="muted small" data-testid="score-time">
                Scored in {scoring.ms.toFixed(0)} ms
              </p>
            )}
          </>
        )}
      </div>
    </>
  );
}

export function PairPanel() {
  const s = useAppState((st) => ({
    tta: st.tta,
    setTta: st.setTta,
    detector: st.detector,
    setDetector: st.setDetector,
    faceStack: st.faceStack,
    paste: st.pastePhoto,
    headsLoading: st.builtInHeadsLoading,
    mode: st.pairMode,
    setMode: st.setPairMode,
    addFamily: st.addFamilyPhotos,
  }));
  const { paste, mode, addFamily } = s;
  usePasteAnywhere(
    useMemo(
      () => (file: File) => void (mode === 'family' ? addFamily([file]) : paste(file)),
      [paste, mode, addFamily],
    ),
  );

  return (
    <section className="panel" aria-labelledby="pair-title">
      <header className="panel-header pair-header">
        <div>
          <h2 id="pair-title">Are these two people related?</h2>
          <p className="muted">
            {mode === 'family'
              ? 'Drop a family photo: every face becomes a person and every pair is scored.'
              : 'Add one or more photos of each person.'}{' '}
            Faces are found and compared on this device; nothing is uploaded.
          </p>
        </div>
        <div className="segmented" role="radiogroup" aria-label="What to compare">
          {(
            [
              ['two', 'Two people'],
              ['family', 'Family photo'],
            ] as const
          ).map(([id, text]) => (
            <button
              key={id}
              type="button"
              role="radio"
              aria-checked={mode === id}
              onClick={() => s.setMode(id)}
              data-testid={`mode-${id}`}
            >
              {text}
            </button>
          ))}
        </div>
      </header>
      {mode === 'family' ? <FamilyView /> : <TwoPeople />}
      <div className="field-row options-row">
        <label className="check">
          <input
            type="checkbox"
            checked={s.tta}
            onChange={(e) => s.setTta(e.target.checked)}
            data-testid="tta"
          />
          Also score the mirrored faces
        </label>
        <label htmlFor="detector">Face detector</label>
        <select
          id="detector"
          value={s.detector}
          onChange={(e) => void s.setDetector(e.target.value === 'tiny' ? 'tiny' : 'ssd')}
          data-testid="detector"
        >
          <option value="ssd">SSD MobileNet (accurate)</option>
          <option value="tiny">Tiny face detector (fast)</option>
        </select>
        {mode === 'family' && (
          <span className="muted small">applies to family photos added after a change</span>
        )}
        {(s.faceStack.status === 'loading' || s.headsLoading) && (
          <span className="muted" role="status" data-testid="models-loading">
            <span className="spinner" aria-hidden="true" />{' '}
            {s.faceStack.status === 'loading'
              ? 'Loading the face models…'
              : 'Loading the kinship model…'}
          </span>
        )}
      </div>
    </section>
  );
}
