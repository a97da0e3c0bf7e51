/**
 * The automatic choice between real candidates (hardware GPU backends and WASM) is decided by a
 * short timed probe on first run per device, then cached: ranking by kind alone can be wrong
 * (a weak integrated GPU can lose to 8 WASM threads). Software renderers are never candidates.
 */
import type { BackendName, BackendProbe, RankedBackend } from './types';

export interface SelfCheckTiming {
  name: BackendName;
  /** Median ms of the probe workload; null when the backend failed to start or compute. */
  ms: number | null;
  error?: string;
}

export interface SelfCheckResult {
  fingerprint: string;
  timings: SelfCheckTiming[];
  winner: BackendName;
  measuredAt: string;
}

/** What identifies "this device" for the cache: the hardware the backends would run on. */
export function deviceFingerprint(probe: BackendProbe, userAgent: string): string {
  const { webgpu, webgl, wasm } = probe;
  return JSON.stringify([
    webgpu.available
      ? [webgpu.vendor, webgpu.architecture, webgpu.device, webgpu.description]
      : null,
    webgl.available ? [webgl.vendor, webgl.renderer] : null,
    [wasm.simd, wasm.threadsSupported, wasm.hardwareConcurrency],
    userAgent.replace(/\d+\.\d+\.\d+\.\d+/g, ''),
  ]);
}

/** Backends worth timing: the automatic order up to and including wasm (never software or cpu). */
export function selfCheckCandidates(ranked: readonly RankedBackend[]): RankedBackend[] {
  const wasmAt = ranked.findIndex((b) => b.name === 'wasm');
  return wasmAt < 0 ? ranked.slice(0, 1) : ranked.slice(0, wasmAt + 1);
}

/** Fastest successful timing; ties and failures fall back to the ranked order. */
export function pickWinner(
  ranked: readonly RankedBackend[],
  timings: readonly SelfCheckTiming[],
): BackendName {
  let best: SelfCheckTiming | null = null;
  for (const candidate of ranked) {
    const t = timings.find((x) => x.name === candidate.name);
    if (t?.ms === null || t?.ms === undefined) continue;
    if (!best || (best.ms !== null && t.ms < best.ms * 0.95)) best = t;
  }
  return best?.name ?? ranked[0]?.name ?? 'cpu';
}
