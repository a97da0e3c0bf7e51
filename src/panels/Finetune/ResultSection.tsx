import { useMemo, useRef } from 'react';
import { errorMessage } from '../../lib/errors';
import { headDownloads, pickHeadFiles } from '../../ml/head/file-names';
import { useAppState } from '../../store';
import { saveFile } from '../../store/finetuneSlice';
import { mlWorker, unwrap } from '../../worker/client';
import { LineChart } from '../charts/LineChart';
import { rocSeries } from '../charts/rocSeries';
import { ReasonButton } from '../common/ReasonButton';
import { ProgressBar } from '../common/ProgressBar';
import { EnsembleMembers } from './EnsembleMembers';

export function ResultSection() {
  const s = useAppState((st) => ({
    summary: st.trainSummary,
    report: st.datasetReport,
    encoder: st.trainEncoder,
    downloadSubmission: st.downloadSubmission,
    submissionStatus: st.submissionStatus,
    submissionProgress: st.submissionProgress,
    savedHeads: st.savedHeads,
    refreshSavedHeads: st.refreshSavedHeads,
    chooseHeadSource: st.chooseHeadSource,
    notify: st.notify,
  }));
  const importInput = useRef<HTMLInputElement>(null);
  const summary = s.summary;
  const roc = useMemo(
    () =>
      summary
        ? rocSeries([
            {
              label: `image pairs (AUC ${summary.valImageAuc.toFixed(3)})`,
              color: '#2f5fd0',
              points: summary.roc,
            },
            {
              label: `member pairs (AUC ${summary.valMemberAuc.toFixed(3)})`,
              color: '#7a3fb0',
              points: summary.memberRoc,
            },
          ])
        : null,
    [summary],
  );
  const saved = s.savedHeads.find((h) => h.encoderId === s.encoder && h.matchesEncoder);
  const ensemble = summary?.ensemble ?? null;
  // An ensemble's figures are out-of-fold; a single head's are on its held-out families.
  const aucLabel = ensemble ? 'Out-of-fold AUC' : 'Validation AUC';

  const exportHead = async (): Promise<void> => {
    try {
      const { files } = unwrap(await mlWorker().exportHead(s.encoder));
      for (const file of headDownloads(s.encoder, files)) saveFile(file.name, file.data, file.type);
    } catch (e) {
      s.notify('error', `Export failed: ${errorMessage(e)}`);
    }
  };

  const importHead = async (files: FileList): Promise<void> => {
    try {
      const picked = await pickHeadFiles(Array.from(files), s.encoder);
      const info = unwrap(
        await mlWorker().importHead(
          s.encoder,
          picked.modelText,
          await picked.weights.arrayBuffer(),
          await picked.meta.text(),
        ),
      );
      await s.chooseHeadSource(s.encoder, 'user');
      await s.refreshSavedHeads();
      s.notify(
        'success',
        `Head imported for ${info.encoderId} (threshold ${(info.threshold * 100).toFixed(0)}%).`,
      );
      if (info.notSaved) s.notify('warning', info.notSaved.message);
    } catch (e) {
      s.notify('error', errorMessage(e));
    }
  };

  return (
    <section className="subsection" aria-labelledby="result-title">
      <h3 id="result-title">4 · Result</h3>
      {!summary && saved && (
        <p data-testid="saved-head">
          {saved.ensembleMembers !== null
            ? `A trained ensemble of ${saved.ensembleMembers} heads for this encoder is saved in this browser (out-of-fold AUC `
            : 'A trained head for this encoder is saved in this browser (validation AUC '}
          {saved.valImageAuc !== null ? saved.valImageAuc.toFixed(3) : '—'}, threshold{' '}
          {(saved.threshold * 100).toFixed(0)}%, {new Date(saved.createdAt).toLocaleString()}). The
          Pair panel uses it.
        </p>
      )}
      {!summary && !saved && (
        <p className="muted small">
          After training: how well the model tells relatives from strangers in the held-out
          families, the trained head to export, and a Kaggle submission.
        </p>
      )}
      {summary?.notSaved && (
        <p className="warning-text" role="status" data-testid="head-not-saved">
          {summary.notSaved.message}
        </p>
      )}
      {summary && roc && (
        <>
          <dl className="stats-grid" data-testid="train-summary">
            <div>
              <dt>{aucLabel} (image pairs)</dt>
              <dd data-testid="val-auc">{summary.valImageAuc.toFixed(3)}</dd>
            </div>
            <div>
              <dt>{aucLabel} (member pairs)</dt>
              <dd data-testid="val-member-auc">{summary.valMemberAuc.toFixed(3)}</dd>
            </div>
            <div>
              <dt>Accuracy at threshold</dt>
              <dd>
                {(summary.valAccuracy * 100).toFixed(1)}% at {(summary.threshold * 100).toFixed(1)}%
              </dd>
            </div>
            <div>
              <dt>Best epoch</dt>
              <dd>
                {ensemble
                  ? `per head (${summary.stopReason})`
                  : `${summary.bestEpoch} of ${summary.history.length} (${summary.stopReason})`}
              </dd>
            </div>
            <div>
              <dt>Split</dt>
              <dd data-testid="train-split">
                {ensemble
                  ? `${ensemble.members.length} heads, out-of-fold`
                  : `${summary.trainFamilies} train / ${summary.validationFamilies} validation families`}
                {ensemble && (
                  <span className="muted small stat-detail">
                    {summary.validationFamilies} of {summary.trainFamilies} families, each held out
                    by one head
                  </span>
                )}
              </dd>
            </div>
            <div>
              <dt>Head</dt>
              <dd>
                {summary.parameterCount.toLocaleString()} parameters · {summary.seconds.toFixed(1)}{' '}
                s
              </dd>
            </div>
          </dl>
          {ensemble && <EnsembleMembers ensemble={ensemble} />}
          <LineChart
            title={ensemble ? 'Out-of-fold ROC curve' : 'Validation ROC curve'}
            x={roc.x}
            xLabel="False positive rate"
            yLabel="True positive rate"
            series={roc.series}
            yRange={[0, 1]}
            points={false}
            testId="chart-roc"
          />
        </>
      )}
      <div className="field-row">
        <ReasonButton
          onClick={() => void exportHead()}
          reason={summary || saved ? null : 'Train a model first'}
          testId="export-head"
        >
          Export head (TF.js model)
        </ReasonButton>
        <button type="button" onClick={() => importInput.current?.click()}>
          Import a head…
        </button>
        <input
          ref={importInput}
          data-testid="import-head-input"
          type="file"
          multiple
          hidden
          accept=".json,.bin"
          onChange={(e) => {
            if (e.target.files) void importHead(e.target.files);
            e.target.value = '';
          }}
        />
        {s.report && s.report.testPairs > 0 && (
          <ReasonButton
            className="primary"
            testId="submission"
            reason={summary || saved ? null : 'Train a model first'}
            busy={s.submissionStatus === 'running'}
            onClick={() => void s.downloadSubmission()}
          >
            {s.submissionStatus === 'running'
              ? 'Scoring test pairs…'
              : `Download submission.csv (${s.report.testPairs} pairs)`}
          </ReasonButton>
        )}
        {s.submissionStatus === 'running' &&
          s.submissionProgress?.phase === 'encoding test images' && (
            <ProgressBar progress={s.submissionProgress} label="Encoding test images" />
          )}
      </div>
    </section>
  );
}
