import { useEffect, useMemo, useRef, useState } from 'react';
import { describeSplit } from '../../data/splits';
import type { EncoderId } from '../../ml/encoders/types';
import { useAppState } from '../../store';
import { saveFile } from '../../store/finetuneSlice';
import { mlWorker } from '../../worker/client';
import type { ComparisonReport } from '../../worker/compare';
import { LineChart } from '../charts/LineChart';
import { rocSeries } from '../charts/rocSeries';
import { ReasonButton } from '../common/ReasonButton';
import { reportJson, tableCsv, tableRows } from './reportTable';

const COLORS = ['#2f5fd0', '#c2410c', '#1d7a46', '#7a3fb0'];

function fmt(v: number | null, digits = 3): string {
  return v === null || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

function rocChart(report: ComparisonReport): ReturnType<typeof rocSeries> {
  return rocSeries(
    report.results.map((r, i) => ({
      label: `${r.label} (AUC ${r.auc.auc.toFixed(3)})`,
      color: COLORS[i % COLORS.length] as string,
      points: r.roc,
    })),
  );
}

function Thumb({ image }: { image: ImageData | null }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || !image) return;
    el.width = image.width;
    el.height = image.height;
    el.getContext('2d')?.putImageData(image, 0, 0);
  }, [image]);
  return image ? (
    <canvas ref={ref} className="face-thumb" />
  ) : (
    <span className="face-thumb muted">?</span>
  );
}

function Disagreements({ report }: { report: ComparisonReport }) {
  const [thumbs, setThumbs] = useState<Map<string, ImageData | null>>(new Map());
  const paths = useMemo(
    () => [...new Set(report.disagreements.flatMap((d) => [d.left, d.right]))],
    [report],
  );
  useEffect(() => {
    let live = true;
    void mlWorker()
      .datasetThumbnails(paths, 64)
      .then((r) => {
        if (live && r.ok) setThumbs(new Map(paths.map((p, i) => [p, r.value[i] ?? null])));
      });
    return () => {
      live = false;
    };
  }, [paths]);
  if (report.disagreements.length === 0) return null;
  return (
    <div className="disagreements" data-testid="disagreements">
      <h3>Where the encoders disagree most</h3>
      <p className="muted small">
        Validation pairs ranked by how differently the encoders place them (scores as percentile
        ranks within each encoder). Probabilities shown are each trained head’s.
      </p>
      <ul>
        {report.disagreements.map((d) => (
          <li key={`${d.left}|${d.right}`} className="disagreement">
            <Thumb image={thumbs.get(d.left) ?? null} />
            <Thumb image={thumbs.get(d.right) ?? null} />
            <div className="small">
              <strong>{d.label === 1 ? 'kin' : 'not kin'}</strong>
              <div className="muted">
                {d.left.split('/').slice(-3, -1).join('/')} ·{' '}
                {d.right.split('/').slice(-3, -1).join('/')}
              </div>
              {report.results.map((r, i) => (
                <div key={r.encoderId}>
                  {r.label}: {((d.scores[i] ?? NaN) * 100).toFixed(0)}%
                </div>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ComparePanel() {
  const s = useAppState((st) => ({
    encoders: st.encoderInfos,
    selection: st.compareSelection,
    setSelection: st.setCompareSelection,
    status: st.compareStatus,
    progress: st.compareProgress,
    error: st.compareError,
    report: st.comparison,
    run: st.runComparison,
    cancel: st.cancelComparison,
    dataset: st.datasetReport,
    split: st.split,
    iterations: st.bootstrapIterations,
    seed: st.bootstrapSeed,
    setBootstrap: st.setBootstrap,
  }));
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const selected = s.selection ?? s.encoders.map((e) => e.id);
  const running = s.status === 'running';
  const chart = useMemo(() => (s.report ? rocChart(s.report) : null), [s.report]);
  const rows = useMemo(() => (s.report ? tableRows(s.report) : []), [s.report]);

  const toggle = (id: EncoderId, on: boolean): void =>
    s.setSelection(on ? [...selected, id] : selected.filter((x) => x !== id));

  const exportPng = (): void => {
    const src = canvas.current;
    if (!src || !s.report) return;
    // The chart canvas plus a title and legend, since uPlot draws its legend in HTML.
    const legend = s.report.results.map((r) => `${r.label}: AUC ${r.auc.auc.toFixed(3)}`);
    const out = document.createElement('canvas');
    out.width = src.width;
    out.height = src.height + 30 + legend.length * 20;
    const ctx = out.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = '#1c2330';
    ctx.font = '16px sans-serif';
    ctx.fillText('Validation ROC — KinLens comparison', 10, 20);
    ctx.drawImage(src, 0, 30);
    legend.forEach((line, i) => {
      ctx.fillStyle = COLORS[i % COLORS.length] as string;
      ctx.fillText(line, 10, src.height + 50 + i * 20);
    });
    out.toBlob((blob) => blob && saveFile('kinlens-roc.png', blob, 'image/png'), 'image/png');
  };

  return (
    <section className="panel" aria-labelledby="compare-title">
      <header className="panel-header">
        <h2 id="compare-title">Compare encoders</h2>
        <p className="muted">
          Same families, same validation pairs, same head recipe and seed for every encoder. Uses
          the dataset and split of the Fine-tune tab ({describeSplit(s.split)}); cached embeddings
          are reused.
        </p>
      </header>
      <div className="field-row">
        {s.encoders.map((e) => (
          <label key={e.id} className="check">
            <input
              type="checkbox"
              checked={selected.includes(e.id)}
              disabled={running}
              data-testid={`compare-${e.id}`}
              onChange={(ev) => toggle(e.id, ev.target.checked)}
            />
            {e.label}
          </label>
        ))}
      </div>
      <div className="field-row">
        <label>
          Bootstrap resamples{' '}
          <input
            type="number"
            min={1000}
            step={500}
            value={s.iterations}
            disabled={running}
            onChange={(e) => s.setBootstrap(Number(e.target.value), s.seed)}
          />
        </label>
        <label>
          seed{' '}
          <input
            type="number"
            step={1}
            value={s.seed}
            disabled={running}
            onChange={(e) => s.setBootstrap(s.iterations, Number(e.target.value))}
          />
        </label>
        <ReasonButton
          className="primary"
          testId="compare-run"
          reason={
            !s.dataset
              ? 'Import a dataset in the Fine-tune tab first'
              : selected.length === 0
                ? 'Pick at least one encoder'
                : null
          }
          busy={running}
          onClick={() => void s.run()}
        >
          Run comparison
        </ReasonButton>
        {running && (
          <button type="button" onClick={s.cancel} data-testid="compare-cancel">
            Cancel
          </button>
        )}
      </div>
      {running && (
        <ul className="compare-progress" role="status">
          {selected.map((id) => {
            const p = s.progress[id];
            return (
              <li key={id}>
                <span>{s.encoders.find((e) => e.id === id)?.label}</span>
                <span className="muted small">
                  {p ? `${p.stage} ${p.total ? `${p.done}/${p.total}` : ''}` : 'waiting'}
                </span>
                <progress max={p?.total || 1} value={p ? (p.stage === 'done' ? 1 : p.done) : 0} />
              </li>
            );
          })}
        </ul>
      )}
      {s.error && (
        <p className="error-text" role="alert">
          {s.error}
        </p>
      )}
      {s.report && chart && (
        <>
          <p className="muted small" data-testid="compare-summary">
            {s.report.validationPairs} validation image pairs ({s.report.kinPairs} kin) ·{' '}
            {describeSplit(s.report.settings.split)} · {s.report.seconds.toFixed(1)} s ·{' '}
            {new Date(s.report.createdAt).toLocaleString()}
          </p>
          <LineChart
            title="Validation ROC curves"
            x={chart.x}
            xLabel="False positive rate"
            yLabel="True positive rate"
            series={chart.series}
            yRange={[0, 1]}
            points={false}
            height={300}
            testId="compare-roc"
            onCanvas={(c) => (canvas.current = c)}
          />
          <div className="table-wrap">
            <table className="compare-table" data-testid="compare-table">
              <thead>
                <tr>
                  <th>Encoder</th>
                  <th>Method</th>
                  <th>AUC [95% CI]</th>
                  <th>Member AUC</th>
                  <th>Accuracy @ threshold</th>
                  <th>TPR @ FPR 10%</th>
                  <th>Dim</th>
                  <th>Encode img/s</th>
                  <th>Train s</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr
                    key={`${r.encoderId}-${r.method}`}
                    data-testid={`row-${r.encoderId}-${r.method === 'trained head' ? 'head' : 'cosine'}`}
                  >
                    <td>{r.label}</td>
                    <td>{r.method}</td>
                    <td data-auc={r.auc}>
                      {fmt(r.auc)} [{fmt(r.aucLower)}, {fmt(r.aucUpper)}]
                    </td>
                    <td>{fmt(r.memberAuc)}</td>
                    <td>
                      {r.accuracy !== null
                        ? `${(r.accuracy * 100).toFixed(1)}% @ ${fmt(r.threshold, 2)}`
                        : '—'}
                    </td>
                    <td>{fmt(r.tprAt10)}</td>
                    <td>{r.dim}</td>
                    <td>{fmt(r.imagesPerSecond, 1)}</td>
                    <td>{fmt(r.trainSeconds, 1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="button-row">
            <button
              type="button"
              data-testid="export-csv"
              onClick={() =>
                s.report && saveFile('kinlens-comparison.csv', tableCsv(s.report), 'text/csv')
              }
            >
              Table as CSV
            </button>
            <button type="button" data-testid="export-png" onClick={exportPng}>
              ROC chart as PNG
            </button>
            <button
              type="button"
              data-testid="export-json"
              onClick={() =>
                s.report &&
                saveFile('kinlens-comparison.json', reportJson(s.report), 'application/json')
              }
            >
              Report as JSON
            </button>
          </div>
          <Disagreements report={s.report} />
        </>
      )}
    </section>
  );
}
