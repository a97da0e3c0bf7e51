import { useEffect } from 'react';
import type { EncoderId } from '../../ml/encoders/types';
import { useAppState } from '../../store';
import { ProgressBar } from '../common/ProgressBar';
import { ReasonButton } from '../common/ReasonButton';
import type { CropAlignSummary } from '../../finetune/encode-result';
import { formatBytes } from '../../lib/format';

export function EncodeSection() {
  const s = useAppState((st) => ({
    report: st.datasetReport,
    encoders: st.encoderInfos,
    trainEncoder: st.trainEncoder,
    setTrainEncoder: st.setTrainEncoder,
    detect: st.detectFacesInDataset,
    setDetect: st.setDetectFacesInDataset,
    flips: st.cacheFlips,
    setFlips: st.setCacheFlips,
    status: st.encodeStatus,
    progress: st.encodeProgress,
    result: st.encodeResult,
    error: st.encodeError,
    encode: st.encodeDataset,
    cancel: st.cancelEncode,
    cacheStats: st.cacheStats,
    refreshCacheStats: st.refreshCacheStats,
    clearCache: st.clearCache,
    faceStackReady: st.faceStack.status === 'ready',
  }));
  const { refreshCacheStats } = s;
  useEffect(() => {
    if (s.faceStackReady) void refreshCacheStats();
  }, [s.faceStackReady, refreshCacheStats]);

  const running = s.status === 'running';
  const encoder = s.encoders.find((e) => e.id === s.trainEncoder);
  const cacheBytes = s.cacheStats.reduce((n, c) => n + c.approxBytes, 0);
  const cacheCount = s.cacheStats.reduce((n, c) => n + c.count, 0);

  return (
    <section className="subsection" aria-labelledby="encode-title">
      <h3 id="encode-title">2 · Encode the photos (once; cached)</h3>
      <p className="muted small">
        The encoder turns every training photo into a short list of numbers (an embedding) that the
        model learns from. It runs once per encoder: the results stay in this browser, so later runs
        and reloads start at once. The test/ images are encoded only when you ask for a submission.
      </p>
      <div className="field-row">
        <label htmlFor="train-encoder">Encoder</label>
        <select
          id="train-encoder"
          data-testid="train-encoder"
          value={s.trainEncoder}
          disabled={running}
          onChange={(e) => s.setTrainEncoder(e.target.value as EncoderId)}
        >
          {s.encoders.map((e) => (
            <option key={e.id} value={e.id}>
              {e.label} · {e.dim}-d
            </option>
          ))}
        </select>
        <label className="check">
          <input
            type="checkbox"
            checked={s.detect}
            disabled={running}
            onChange={(e) => s.setDetect(e.target.checked)}
          />
          Detect and align faces (face crops: eyes found by the landmark net, larger photos: by the
          face detector; off: each image is used as the face)
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={s.flips}
            disabled={running}
            onChange={(e) => s.setFlips(e.target.checked)}
          />
          Also embed mirrored images (for flip augmentation)
        </label>
      </div>
      <div className="field-row">
        <ReasonButton
          className="primary"
          testId="encode"
          reason={
            !s.report ? 'Import a dataset first' : !encoder ? 'Wait for the encoders to load' : null
          }
          busy={running}
          onClick={() => void s.encode()}
        >
          {s.result ? 'Encode again (uses the cache)' : 'Encode the photos'}
        </ReasonButton>
        {running && (
          <button type="button" onClick={s.cancel} data-testid="encode-cancel">
            Cancel
          </button>
        )}
        <span className="muted small" data-testid="cache-size">
          Cache: {cacheCount} embeddings, {formatBytes(cacheBytes)}
        </span>
        {cacheCount > 0 && !running && (
          <>
            {encoder && (
              <button type="button" onClick={() => void s.clearCache(encoder.identity)}>
                Clear this encoder’s cache
              </button>
            )}
            <button type="button" onClick={() => void s.clearCache(null)}>
              Clear all
            </button>
          </>
        )}
      </div>
      {running && <ProgressBar progress={s.progress} label="Encoding photos" />}
      {s.error && (
        <p className="error-text" role="alert">
          {s.error}
        </p>
      )}
      {s.result && (
        <p
          className="ok-text"
          data-testid="encode-result"
          data-from-cache={s.result.fromCache}
          data-encoded={s.result.encoded}
          data-model-seconds={s.result.timing.modelSeconds.toFixed(3)}
          data-input-wait-seconds={s.result.timing.inputWaitSeconds.toFixed(3)}
          data-encode-seconds={s.result.timing.encodeSeconds.toFixed(3)}
        >
          {s.result.total} images ready: {s.result.fromCache} from the cache, {s.result.encoded}{' '}
          encoded
          {s.result.encoded > 0 ? ` at ${s.result.imagesPerSecond.toFixed(1)} images/s` : ''}
          {s.result.identicalFiles
            ? `, ${s.result.identicalFiles} identical file${s.result.identicalFiles === 1 ? '' : 's'} encoded once`
            : ''}
          {s.result.failed.length ? `, ${s.result.failed.length} failed` : ''} (
          {s.result.seconds.toFixed(1)} s).
        </p>
      )}
      {s.result?.alignment && s.result.alignment.total > 0 && (
        <AlignmentSummary summary={s.result.alignment} />
      )}
      {s.result?.notSaved && (
        <p className="warning-text" role="status" data-testid="encode-not-saved">
          {s.result.notSaved.message}
        </p>
      )}
      {s.result && s.result.failed.length > 0 && (
        <details className="report-details">
          <summary>Images that could not be encoded</summary>
          <ul>
            {s.result.failed.slice(0, 50).map((f) => (
              <li key={f.path} className="small">
                {f.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** How the newly encoded images were aligned, with each fallback counted. */
function AlignmentSummary({ summary }: { summary: CropAlignSummary }) {
  const { total, byLandmarks, byDetector, wholeImage, reasons } = summary;
  const percent = (n: number): string => `${Math.round((100 * n) / Math.max(total, 1))} %`;
  return (
    <div
      className="small"
      data-testid="encode-alignment"
      data-by-landmarks={byLandmarks}
      data-by-detector={byDetector}
      data-whole-image={wholeImage}
    >
      <p>
        Aligned {total} image{total === 1 ? '' : 's'}: {byLandmarks} by their landmarks (
        {percent(byLandmarks)}), {byDetector} with the face detector, {wholeImage} used whole.
      </p>
      {reasons.length > 0 && (
        <details className="report-details">
          <summary>Why {total - byLandmarks} were not aligned by their landmarks</summary>
          <ul>
            {reasons.map((r) => (
              <li key={r.reason} className="small">
                {r.count} × {r.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
