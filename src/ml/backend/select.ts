import { setThreadsCount, setWasmPaths, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../tf';
import { backendAttemptOrder } from './rank';
import { probeBackends } from './probe';
import type { BackendName, BackendPreference, BackendProbe, BackendReport } from './types';
import { desiredWasmThreads, withReportedCores } from './wasm-threads';

export interface SelectBackendOptions {
  preference: BackendPreference;
  /** URL folder (ending in '/') on our own origin that serves the tfjs-backend-wasm .wasm files. */
  wasmBaseUrl: string;
  /** Inject a probe (tests); defaults to probing this context. */
  probe?: BackendProbe;
}

let wasmPathsSet = false;

async function initBackend(name: BackendName, opts: SelectBackendOptions): Promise<void> {
  if (name === 'wasm') {
    if (!wasmPathsSet) {
      setWasmPaths(opts.wasmBaseUrl);
      wasmPathsSet = true;
    }
    const threads = desiredWasmThreads(globalThis.navigator?.hardwareConcurrency ?? 1);
    setThreadsCount(threads);
    const ok = await withReportedCores(threads * 2, () => tf.setBackend('wasm'));
    if (!ok) throw new Error('tf.setBackend("wasm") returned false');
    return;
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend("${name}") returned false`);
}

/** A tiny computation that proves the backend really runs kernels, not only that it registered. */
async function smokeTest(): Promise<void> {
  const out = tf.tidy(() =>
    tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])),
  );
  const values = await out.data();
  out.dispose();
  const expected = [19, 22, 43, 50];
  if (!expected.every((v, i) => Math.abs((values[i] ?? NaN) - v) < 1e-4)) {
    throw new Error(
      `smoke test gave [${Array.from(values).join(', ')}], expected [19, 22, 43, 50]`,
    );
  }
}

/**
 * Picks and initialises a backend: the forced one (if any) or the automatic order, falling back
 * to the next candidate whenever one fails to initialise or to compute correctly.
 */
export async function selectBackend(opts: SelectBackendOptions): Promise<BackendReport> {
  const started = performance.now();
  const probe = opts.probe ?? (await probeBackends());
  const order = backendAttemptOrder(probe, opts.preference);
  const failures: BackendReport['failures'] = [];

  for (const candidate of order) {
    try {
      await initBackend(candidate.name, opts);
      await smokeTest();
      const isWasm = candidate.name === 'wasm';
      return {
        active: candidate.name,
        preference: opts.preference,
        reason: failures.length
          ? `${candidate.reason} (after ${failures.map((f) => f.name).join(', ')} failed)`
          : candidate.reason,
        probe,
        failures,
        wasmThreads: isWasm ? getThreadsCount() : null,
        wasmSimd: isWasm ? probe.wasm.simd : null,
        initMs: Math.round(performance.now() - started),
        tfjsVersion: tf.version.tfjs,
      };
    } catch (e) {
      failures.push({ name: candidate.name, error: e instanceof Error ? e.message : String(e) });
    }
  }
  throw new Error(
    `No tfjs backend could be initialised: ${failures.map((f) => `${f.name}: ${f.error}`).join('; ')}`,
  );
}
