import { useMemo } from 'react';
import { HEAD_PRESETS } from '../../ml/head/config';
import { useAppState } from '../../store';
import { LineChart, type Series } from '../charts/LineChart';
import { ReasonButton } from '../common/ReasonButton';
import { EnsemblePicker, SplitPicker } from './SplitPicker';

type NumericOption =
  'learningRate' | 'batchSize' | 'epochs' | 'stepsPerEpoch' | 'patience' | 'hardNegativeFraction';

const NUMERIC: Array<{ key: NumericOption; label: string; step: string; min: number }> = [
  { key: 'learningRate', label: 'Learning rate', step: 'any', min: 0 },
  { key: 'batchSize', label: 'Batch size', step: '1', min: 2 },
  { key: 'epochs', label: 'Epochs', step: '1', min: 1 },
  { key: 'stepsPerEpoch', label: 'Steps per epoch', step: '1', min: 1 },
  { key: 'patience', label: 'Early stopping patience (0 = off)', step: '1', min: 0 },
  {
    key: 'hardNegativeFraction',
    label: 'Hard negatives (share, same family)',
    step: '0.05',
    min: 0,
  },
];

export function TrainCharts() {
  const { history, ensemble } = useAppState((s) => ({
    history: s.trainHistory,
    ensemble: s.trainMember !== null,
  }));
  // An ensemble's heads train in turn, each from epoch 1: plot them one after another.
  const x = useMemo(() => history.map((h, i) => (ensemble ? i + 1 : h.epoch)), [history, ensemble]);
  const xLabel = ensemble ? 'Epoch (the heads one after another)' : 'Epoch';
  const lossSeries: Series[] = useMemo(
    () => [
      { label: 'loss', values: history.map((h) => h.loss), color: '#b3261e' },
      {
        label: 'train accuracy',
        values: history.map((h) => h.accuracy),
        color: '#1d7a46',
        rightAxis: true,
      },
    ],
    [history],
  );
  const aucSeries: Series[] = useMemo(
    () => [
      {
        label: 'val AUC (image pairs)',
        values: history.map((h) => h.valImageAuc),
        color: '#2f5fd0',
      },
      {
        label: 'val AUC (member pairs)',
        values: history.map((h) => h.valMemberAuc),
        color: '#7a3fb0',
        dash: [6, 4],
      },
    ],
    [history],
  );
  if (history.length === 0) return null;
  return (
    <div className="chart-row">
      <LineChart
        title="Training loss and accuracy"
        x={x}
        xLabel={xLabel}
        yLabel="Loss"
        y2Label="Train accuracy"
        series={lossSeries}
        testId="chart-loss"
      />
      <LineChart
        title="Validation ROC AUC"
        x={x}
        xLabel={xLabel}
        yLabel="ROC AUC"
        series={aucSeries}
        testId="chart-auc"
      />
    </div>
  );
}

export function TrainSection() {
  const s = useAppState((st) => ({
    preset: st.preset,
    setPreset: st.setPreset,
    options: st.trainOptions,
    setOption: st.setTrainOption,
    status: st.trainStatus,
    history: st.trainHistory,
    error: st.trainError,
    train: st.trainHead,
    stop: st.stopTraining,
    encoded: st.encodeResult !== null,
    flipsCached: st.cacheFlips,
    member: st.trainMember,
    ensemble: st.ensembleSize > 1,
  }));
  const running = s.status === 'running';
  const base = HEAD_PRESETS[s.preset];
  const last = s.history.at(-1);

  return (
    <section className="subsection" aria-labelledby="train-title">
      <h3 id="train-title">3 · Train a kinship model</h3>
      <p className="muted small">
        The model (a small “head” on top of the encoder) learns from pairs of photos: the relatives
        listed in the CSV against random pairs of people who are not related. The held-out families
        are never trained on, so the result says how well it does on people it has not seen.
        Training runs in the background on the encoded photos; Stop keeps the best epoch so far.
      </p>
      <details className="how-it-works" data-testid="how-it-works">
        <summary>How the model works</summary>
        <p className="muted small">
          Each pair of embeddings x₁, x₂ is combined into x₁⊙x₂ ‖ (x₁−x₂)² ‖ x₁²−x₂², their
          element-wise product, squared difference and difference of squares side by side, and fed
          to Dense(100, relu) → Dropout(0.01) → Dense(1, sigmoid), which gives the probability that
          the two are related. Binary cross-entropy, Adam; every batch is half listed kin pairs,
          half random non-kin pairs; the epoch with the best validation AUC is kept. The original
          Kaggle recipe had no x₁²−x₂² block (its settings are the second recipe); that block,
          rotating the held-out prefix and flip augmentation are ideas from later competition
          entries. A member pair’s validation score is the mean over all photo pairs of the two
          people (up to 3 × 3).
        </p>
      </details>
      <SplitPicker />
      <EnsemblePicker />
      <div className="field-row">
        <label htmlFor="preset">Recipe</label>
        <select
          id="preset"
          value={s.preset}
          disabled={running}
          onChange={(e) => s.setPreset(e.target.value === 'seed' ? 'seed' : 'default')}
        >
          <option value="default">
            Recommended (x₁²−x₂² block, Adam 1e-3, batches of 128, stops when validation stalls)
          </option>
          <option value="seed">
            The original recipe’s settings (Adam 1e-5, batches of 16, runs until validation stops
            improving)
          </option>
        </select>
      </div>
      <div className="options-grid">
        {NUMERIC.map((o) => (
          <label key={o.key}>
            <span>{o.label}</span>
            <input
              type="number"
              step={o.step}
              min={o.min}
              data-testid={`opt-${o.key}`}
              disabled={running}
              value={String(s.options[o.key] ?? base[o.key])}
              onChange={(e) =>
                s.setOption(o.key, e.target.value === '' ? undefined : Number(e.target.value))
              }
            />
          </label>
        ))}
        <label className="check">
          <input
            type="checkbox"
            disabled={running}
            checked={s.options.diffSquares ?? base.diffSquares}
            onChange={(e) => s.setOption('diffSquares', e.target.checked)}
          />
          Add the x₁²−x₂² block
        </label>
        <label className="check">
          <input
            type="checkbox"
            disabled={running || !s.flipsCached}
            checked={s.options.flipAugmentation ?? base.flipAugmentation}
            onChange={(e) => s.setOption('flipAugmentation', e.target.checked)}
          />
          Flip augmentation {s.flipsCached ? '' : '(embed mirrored images first)'}
        </label>
        <label className="check">
          <input
            type="checkbox"
            disabled={running || !s.flipsCached}
            checked={s.options.flipTta ?? base.flipTta}
            onChange={(e) => s.setOption('flipTta', e.target.checked)}
            data-testid="opt-flipTta"
          />
          Validate on mirrored photos too (flip TTA){' '}
          {s.flipsCached ? '' : '(embed mirrored images first)'}
        </label>
      </div>
      <div className="field-row">
        <ReasonButton
          className="primary"
          testId="train"
          reason={s.encoded ? null : 'Encode the photos first'}
          busy={running}
          onClick={() => void s.train()}
        >
          Train
        </ReasonButton>
        {running && (
          <button type="button" onClick={s.stop} data-testid="train-stop">
            {s.ensemble
              ? 'Stop (keeps the finished heads, if 2 or more)'
              : 'Stop (keeps the best epoch)'}
          </button>
        )}
        {running && (
          <span className="muted small" role="status" data-testid="train-status">
            <span className="spinner" aria-hidden="true" />{' '}
            {s.member
              ? `head ${s.member.index + 1} of ${s.member.count} (${s.member.heldOut}) · `
              : ''}
            {last
              ? `epoch ${last.epoch}/${last.epochs} · val AUC ${last.valImageAuc.toFixed(3)} · ${Math.round(last.pairsPerSecond)} pairs/s`
              : 'starting…'}
          </span>
        )}
      </div>
      {s.error && (
        <p className="error-text" role="alert" data-testid="train-error">
          {s.error}
        </p>
      )}
      <TrainCharts />
    </section>
  );
}
