import { setThreadsCount, setWasmPaths, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../tf';
import { backendAttemptOrder } from './rank';
import { probeBackends } from './probe';
import type { BackendName, BackendPreference, BackendProbe, BackendReport } from './types';
import { desiredWasmThreads, withReportedCores } from './wasm-threads';
import {
  deviceFingerprint,
  pickWinner,
  selfCheckCandidates,
  type SelfCheckResult,
  type SelfCheckTiming,
} from './self-check';

export interface SelectBackendOptions {
  preference: BackendPreference;
  /** URL folder (ending in '/') on our own origin that serves the tfjs-backend-wasm .wasm files. */
  wasmBaseUrl: string;
  /** Inject a probe (tests); defaults to probing this context. */
  probe?: BackendProbe;
  /** A self-check measured earlier on this device (cached by the UI); reused when it matches. */
  cachedSelfCheck?: SelfCheckResult | null;
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

/** A conv + matmul workload shaped like a ResNet stage, small enough to run in well under a second. */
async function timeWorkload(): Promise<number> {
  const run = async (): Promise<void> => {
    const out = tf.tidy(() => {
      const x = tf.randomNormal([1, 28, 28, 128], 0, 1, 'float32', 1) as tf.Tensor4D;
      const k = tf.randomNormal([3, 3, 128, 128], 0, 0.05, 'float32', 2) as tf.Tensor4D;
      const y = tf.relu(tf.conv2d(x, k, 1, 'same'));
      return tf
        .matMul(y.reshape([784, 128]), tf.randomNormal([128, 256], 0, 0.05, 'float32', 3))
        .sum();
    });
    await out.data();
    out.dispose();
  };
  await run(); // compile shaders / warm caches
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[1] as number;
}

async function runSelfCheck(
  probe: BackendProbe,
  ranked: ReturnType<typeof backendAttemptOrder>,
  opts: SelectBackendOptions,
): Promise<SelfCheckResult> {
  const timings: SelfCheckTiming[] = [];
  for (const c of selfCheckCandidates(ranked)) {
    try {
      await initBackend(c.name, opts);
      await smokeTest();
      timings.push({ name: c.name, ms: await timeWorkload() });
    } catch (e) {
      timings.push({ name: c.name, ms: null, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return {
    fingerprint: deviceFingerprint(probe, globalThis.navigator?.userAgent ?? ''),
    timings,
    winner: pickWinner(ranked, timings),
    measuredAt: new Date().toISOString(),
  };
}

/**
 * Picks and initialises a backend: the forced one (if any) or the automatic order, falling back
 * to the next candidate whenever one fails to initialise or to compute correctly.
 */
export async function selectBackend(opts: SelectBackendOptions): Promise<BackendReport> {
  const started = performance.now();
  const probe = opts.probe ?? (await probeBackends());
  let order = backendAttemptOrder(probe, opts.preference);
  const failures: BackendReport['failures'] = [];
  let selfCheck: SelfCheckResult | null = null;
  if (opts.preference === 'auto') {
    const fingerprint = deviceFingerprint(probe, globalThis.navigator?.userAgent ?? '');
    selfCheck =
      opts.cachedSelfCheck?.fingerprint === fingerprint
        ? opts.cachedSelfCheck
        : await runSelfCheck(probe, order, opts);
    const winner = selfCheck.winner;
    const w = order.find((b) => b.name === winner);
    if (w && order[0]?.name !== winner) {
      const ms = selfCheck.timings
        .map((t) => `${t.name} ${t.ms === null ? 'failed' : `${t.ms.toFixed(1)} ms`}`)
        .join(', ');
      order = [
        { name: winner, reason: `fastest in this device's self-check (${ms})` },
        ...order.filter((b) => b !== w),
      ];
    }
  }

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
        selfCheck,
      };
    } catch (e) {
      failures.push({ name: candidate.name, error: e instanceof Error ? e.message : String(e) });
    }
  }
  throw new Error(
    `No tfjs backend could be initialised: ${failures.map((f) => `${f.name}: ${f.error}`).join('; ')}`,
  );
}
