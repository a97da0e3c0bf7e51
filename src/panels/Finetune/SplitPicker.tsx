import { useEffect, useState } from 'react';
import { useAppState } from '../../store';

/** Which families validation holds out, or how many heads an ensemble trains. */
export function SplitPicker() {
  const { split, setSplit, disabled, ensemble } = useAppState((s) => ({
    split: s.split,
    setSplit: s.setSplit,
    disabled: s.trainStatus === 'running' || s.ensembleSize > 1,
    ensemble: s.ensembleSize > 1,
  }));
  const value = split.kind === 'prefix' ? split.prefix.toUpperCase() : 'random';
  return (
    <div className="field-row">
      <label htmlFor="split">Held-out families</label>
      <select
        id="split"
        data-testid="split"
        value={value}
        disabled={disabled}
        onChange={(e) => {
          const v = e.target.value;
          setSplit(
            v === 'random'
              ? { kind: 'random', fraction: 0.2, seed: 1 }
              : { kind: 'prefix', prefix: v },
          );
        }}
      >
        {Array.from({ length: 10 }, (_, i) => `F0${i}`).map((p) => (
          <option key={p} value={p}>
            Hold out families whose id starts with {p}
            {p === 'F09' ? ' (the original recipe’s split)' : ''}
          </option>
        ))}
        <option value="random">Hold out a random share of families</option>
      </select>
      {ensemble && (
        <span className="muted small" data-testid="split-by-ensemble">
          (not used: the ensemble holds out every family once)
        </span>
      )}
      {split.kind === 'random' && (
        <>
          <label>
            share{' '}
            <input
              type="number"
              min={0.05}
              max={0.9}
              step={0.05}
              value={split.fraction}
              disabled={disabled}
              onChange={(e) => setSplit({ ...split, fraction: Number(e.target.value) })}
            />
          </label>
          <label>
            seed{' '}
            <input
              type="number"
              step={1}
              value={split.seed}
              disabled={disabled}
              onChange={(e) => setSplit({ ...split, seed: Math.trunc(Number(e.target.value)) })}
            />
          </label>
        </>
      )}
    </div>
  );
}

const ENSEMBLE_MAX = 20;

/**
 * How many heads to train: 1 is a single head on the split above; N ≥ 2 trains N heads, each
 * holding out other families, and averages them.
 */
export function EnsemblePicker() {
  const { size, setSize, disabled } = useAppState((s) => ({
    size: s.ensembleSize,
    setSize: s.setEnsembleSize,
    disabled: s.trainStatus === 'running',
  }));
  // The typed text, so clearing the field to type another number does not snap back to 1.
  const [draft, setDraft] = useState(String(size));
  useEffect(() => setDraft(String(size)), [size]);
  return (
    <div className="field-row">
      <label htmlFor="ensemble-size">
        Ensemble: train N heads on rotating held-out families (F00…F09), average them
      </label>
      <input
        id="ensemble-size"
        data-testid="ensemble-size"
        type="number"
        min={1}
        max={ENSEMBLE_MAX}
        step={1}
        value={draft}
        disabled={disabled}
        aria-describedby="ensemble-hint"
        onChange={(e) => {
          setDraft(e.target.value);
          const n = Number(e.target.value);
          if (e.target.value !== '' && Number.isInteger(n) && n >= 1 && n <= ENSEMBLE_MAX)
            setSize(n);
        }}
        onBlur={() => setDraft(String(size))}
      />
      <span id="ensemble-hint" className="muted small">
        {size > 1
          ? `${size} heads, each trained on all families but one held-out group (${size === 10 ? 'F00…F09 when every prefix has families, else ' : ''}seeded family folds). The result is out-of-fold: every pair is scored by the head that never saw its family. Takes about ${size}× as long.`
          : '1 = a single head on the held-out families above (try 5 or 10).'}
      </span>
    </div>
  );
}
