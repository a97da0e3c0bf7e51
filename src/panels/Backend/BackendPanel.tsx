import { useState } from 'react';
import type { BackendPreference } from '../../ml/backend/types';
import { useAppState } from '../../store';
import { job, mlWorker } from '../../worker/client';
import type { ComputeCheck, MemoryInfo } from '../../worker/api';
import { formatBytes } from '../../lib/format';

const CHOICES: Array<{ value: BackendPreference; label: string }> = [
  { value: 'auto', label: 'Automatic (recommended)' },
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'webgl', label: 'WebGL' },
  { value: 'wasm', label: 'WebAssembly (CPU, SIMD + threads)' },
  { value: 'cpu', label: 'Plain JavaScript (slowest)' },
];

function Row({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="kv-row">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

export function BackendPanel() {
  const { status, report, error, preference, startBackend } = useAppState((s) => ({
    status: s.backendStatus,
    report: s.backendReport,
    error: s.backendError,
    preference: s.backendPreference,
    startBackend: s.startBackend,
  }));
  const [check, setCheck] = useState<ComputeCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);
  const [memory, setMemory] = useState<MemoryInfo | null>(null);
  const refreshMemory = async (): Promise<void> => setMemory(await mlWorker().memory());

  const runCheck = async (): Promise<void> => {
    setChecking(true);
    setCheckError(null);
    try {
      setCheck(await job((id, p) => mlWorker().computeCheck(id, p)));
    } catch (e) {
      setCheckError(e instanceof Error ? e.message : String(e));
    } finally {
      setChecking(false);
    }
  };

  const gpu = report?.probe.webgpu;
  const gl = report?.probe.webgl;
  const wasm = report?.probe.wasm;

  return (
    <section className="panel" aria-labelledby="backend-title">
      <header className="panel-header">
        <h2 id="backend-title">Compute backend</h2>
        <p className="muted">
          All computation runs in a background worker on this device. Nothing leaves your browser.
        </p>
      </header>

      <div className="field-row">
        <label htmlFor="backend-choice">Backend</label>
        <select
          id="backend-choice"
          data-testid="backend-choice"
          value={preference}
          disabled={status === 'starting'}
          onChange={(e) => {
            setCheck(null);
            void startBackend(e.target.value as BackendPreference);
          }}
        >
          {CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          onClick={() => void runCheck()}
          disabled={status !== 'ready' || checking}
        >
          {checking ? 'Checking…' : 'Run a test computation'}
        </button>
      </div>

      {status === 'starting' && (
        <p role="status" className="muted">
          <span className="spinner" aria-hidden="true" /> Starting the backend…
        </p>
      )}
      {status === 'error' && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}

      {report && (
        <dl className="kv" data-testid="backend-details">
          <Row label="In use" value={report.active} testId="backend-active" />
          <Row label="Why" value={report.reason} testId="backend-reason" />
          <Row
            label="WebGPU adapter"
            value={
              gpu?.available
                ? `${[gpu.vendor, gpu.architecture].filter(Boolean).join(' / ') || 'unnamed'}${gpu.isFallbackAdapter ? ' (fallback adapter)' : ''}${gpu.description ? ` — ${gpu.description}` : ''}`
                : `unavailable${gpu?.error ? ` (${gpu.error})` : ''}`
            }
            testId="backend-webgpu"
          />
          <Row
            label="WebGL"
            value={
              gl?.available
                ? `WebGL${gl.version}: ${gl.renderer || gl.vendor}${gl.majorPerformanceCaveat ? ' (software)' : ''}`
                : `unavailable${gl?.error ? ` (${gl.error})` : ''}`
            }
            testId="backend-webgl"
          />
          <Row label="WASM SIMD" value={wasm?.simd ? 'yes' : 'no'} testId="backend-wasm-simd" />
          <Row
            label="WASM threads"
            value={
              report.wasmThreads !== null
                ? String(report.wasmThreads)
                : `not in use (${wasm?.hardwareConcurrency ?? '?'} cores available)`
            }
            testId="backend-wasm-threads"
          />
          <Row
            label="Cross-origin isolated"
            value={wasm?.crossOriginIsolated ? 'yes' : 'no'}
            testId="backend-isolated"
          />
          {report.selfCheck && (
            <Row
              label="Self-check"
              testId="backend-self-check"
              value={`${report.selfCheck.timings
                .map(
                  (t) =>
                    `${t.name} ${t.ms === null ? `failed (${t.error ?? ''})` : `${t.ms.toFixed(1)} ms`}`,
                )
                .join(
                  ' · ',
                )} → ${report.selfCheck.winner} (measured ${new Date(report.selfCheck.measuredAt).toLocaleString()}, cached for this device)`}
            />
          )}
          <Row label="Start-up" value={`${report.initMs} ms`} />
          <Row label="TensorFlow.js" value={report.tfjsVersion} />
          <div className="kv-row">
            <dt>Tensor memory</dt>
            <dd>
              <span data-testid="tensor-count">{memory ? memory.numTensors : '—'}</span> tensors
              {memory ? ` · ${formatBytes(memory.numBytes)}` : ''}
              {memory?.wasmHeapBytes
                ? ` · WASM heap ${formatBytes(memory.wasmHeapBytes)}`
                : ''}{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => void refreshMemory()}
                data-testid="refresh-memory"
              >
                refresh
              </button>
            </dd>
          </div>
          {report.failures.map((f) => (
            <Row key={f.name} label={`${f.name} failed`} value={f.error} />
          ))}
        </dl>
      )}

      {checkError && (
        <p role="alert" className="error-text">
          {checkError}
        </p>
      )}
      {check && (
        <p
          data-testid="compute-check"
          data-ok={check.ok}
          data-backend={check.backend}
          className={check.ok ? 'ok-text' : 'error-text'}
        >
          {check.ok ? '✓' : '✗'} 16×16 matmul + relu + row sums on {check.backend}:{' '}
          {check.ok ? 'matches the JavaScript reference' : 'DIFFERS from the JavaScript reference'}{' '}
          ({check.ms.toFixed(0)} ms). First values:{' '}
          <span data-testid="compute-check-values">
            {check.values
              .slice(0, 3)
              .map((v) => v.toFixed(4))
              .join(', ')}
          </span>
        </p>
      )}
    </section>
  );
}
