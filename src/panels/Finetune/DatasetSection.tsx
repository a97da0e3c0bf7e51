import { SKIP_REASON_TEXT, type DatasetReport, type SkipReason } from '../../data/dataset';
import { useAppState } from '../../store';
import { DropZone } from '../common/DropZone';
import { FileName } from '../common/FileName';
import { ProgressBar } from '../common/ProgressBar';
import { entriesFromDataTransfer, entriesFromFileList, folderNameOf } from './readDroppedFolder';

function ReportView({ report }: { report: DatasetReport }) {
  const skipped = Object.entries(report.skippedByReason) as Array<[SkipReason, number]>;
  const unclosed = report.csvProblems.filter((p) => p.kind === 'unclosed-quote');
  return (
    <div className="report" data-testid="import-report">
      <dl className="stats-grid">
        <div>
          <dt>Families</dt>
          <dd data-testid="report-families">{report.families}</dd>
        </div>
        <div>
          <dt>Members</dt>
          <dd data-testid="report-members">{report.members}</dd>
        </div>
        <div>
          <dt>Photos</dt>
          <dd data-testid="report-photos">{report.photos}</dd>
        </div>
        <div>
          <dt>Kin pairs usable</dt>
          <dd data-testid="report-kin-pairs">{report.kinPairsUsable}</dd>
        </div>
        <div>
          <dt>Pairs naming members without photos</dt>
          <dd data-testid="report-pairs-without-photos">{report.pairsWithoutPhotos.length}</dd>
        </div>
        <div>
          <dt>Test pairs</dt>
          <dd data-testid="report-test-pairs">{report.testPairs}</dd>
        </div>
      </dl>
      <p className="muted small">
        Relationships from{' '}
        <code>
          <FileName name={report.relationshipsCsv} />
        </code>
        {report.submissionCsv ? (
          <>
            {' '}
            · test pairs from{' '}
            <code>
              <FileName name={report.submissionCsv} />
            </code>{' '}
            ({report.testImages} test images)
          </>
        ) : null}
        . Only listed blood relatives count as kin; everyone else (spouses included) is a non-kin
        pair.
      </p>
      {/* A broken quote changes how the whole file reads: said up front, not in the list. */}
      {unclosed.map((p) => (
        <p
          key={`${p.file}:${p.line}`}
          className="warning-text small"
          data-testid="report-unclosed-quote"
        >
          <FileName name={p.file} /> line {p.line}: {p.message}
        </p>
      ))}
      {(skipped.length > 0 ||
        report.csvProblems.length > 0 ||
        report.testPairsMissingImages.length > 0 ||
        report.warnings.length > 0) && (
        <details className="report-details" data-testid="report-skipped">
          <summary>
            {report.skipped.length} file{report.skipped.length === 1 ? '' : 's'} skipped
            {report.csvProblems.length ? `, ${report.csvProblems.length} CSV row problem(s)` : ''}
            {report.testPairsMissingImages.length
              ? `, ${report.testPairsMissingImages.length} test pair(s) without images`
              : ''}
            {report.warnings.length ? `, ${report.warnings.length} warning(s)` : ''}
          </summary>
          <ul>
            {skipped.map(([reason, n]) => (
              <li key={reason}>
                {n} × {SKIP_REASON_TEXT[reason]}
              </li>
            ))}
            {report.skipped.slice(0, 20).map((s) => (
              <li key={s.path} className="muted small">
                <FileName name={s.path} />: {SKIP_REASON_TEXT[s.reason]}
              </li>
            ))}
            {report.csvProblems.slice(0, 20).map((p, i) => (
              <li key={i} className="small">
                <FileName name={p.file} /> line {p.line}: {p.message}
              </li>
            ))}
            {report.testPairsMissingImages.slice(0, 20).map((p) => (
              <li key={p.line} className="small">
                {report.submissionCsv ? <FileName name={report.submissionCsv} /> : null} line{' '}
                {p.line}: no image{p.missing.length === 1 ? '' : 's'}{' '}
                {p.missing.map((m, i) => (
                  <span key={m}>
                    {i > 0 ? ', ' : ''}
                    <FileName name={m} />
                  </span>
                ))}{' '}
                in {report.testDir ?? 'test'}/
              </li>
            ))}
            {report.pairsWithoutPhotos.slice(0, 20).map((p) => (
              <li key={`${p.a}-${p.b}`} className="small">
                {p.a} – {p.b}: no photos of {p.missing.join(', ')}
              </li>
            ))}
            {report.warnings.map((w) => (
              <li key={w} className="small">
                {w}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

export function DatasetSection() {
  const { status, report, error, progress, name, importDataset, cancelImport } = useAppState(
    (s) => ({
      status: s.datasetStatus,
      report: s.datasetReport,
      error: s.datasetError,
      progress: s.datasetProgress,
      name: s.datasetName,
      importDataset: s.importDataset,
      cancelImport: s.cancelImport,
    }),
  );

  return (
    <section className="subsection" aria-labelledby="dataset-title">
      <h3 id="dataset-title">1 · Drop your Families-in-the-Wild folder</h3>
      <p className="muted small">
        The Kaggle “Recognizing Faces in the Wild” download, or any folder in its layout. You get a
        report of the families, photos and kin pairs found, and of anything skipped.
      </p>
      <DropZone
        testId="dataset"
        label="Drop a Families-in-the-Wild folder, or press Enter to choose one"
        className="dropzone-folder"
        directory
        multiple
        onDrop={(data) =>
          void entriesFromDataTransfer(data.items).then((entries) =>
            importDataset(folderNameOf(entries), entries),
          )
        }
        onPick={(files) => {
          const entries = entriesFromFileList(files);
          void importDataset(folderNameOf(entries), entries);
        }}
      >
        <div className="dropzone-empty">
          <strong>Drop a Families-in-the-Wild folder here</strong>
          <span className="muted">
            Kaggle layout: <code>train/F0001/MID1/*.jpg</code> +{' '}
            <code>train_relationships.csv</code>, optionally <code>test/</code> +{' '}
            <code>sample_submission.csv</code> — or click to choose the folder
          </span>
        </div>
      </DropZone>
      {status === 'running' && (
        <div className="field-row" role="status">
          <ProgressBar progress={progress} label={`Importing ${name ?? 'the folder'}`} />
          <button type="button" onClick={cancelImport}>
            Cancel
          </button>
        </div>
      )}
      {status === 'error' && (
        <p className="error-text" role="alert" data-testid="dataset-error">
          {error}
        </p>
      )}
      {report && <ReportView report={report} />}
    </section>
  );
}
