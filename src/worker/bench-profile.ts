/**
 * Per-kernel time of one piece of work (tf.profile), summed by kernel name: where a ResNet50 pass
 * or a head-training epoch spends its time on the active backend. Used by the benchmark page
 * when the spec asks for `profile`.
 */
import { tf } from '../ml/tf';

export interface KernelTime {
  kernel: string;
  calls: number;
  ms: number;
}

export interface BenchProfile {
  what: string;
  /** Wall time of the profiled call (includes host work between kernels). */
  wallMs: number;
  /** Sum of the kernels' own times. */
  kernelMs: number;
  kernels: KernelTime[];
}

export async function profileKernels(
  what: string,
  work: () => Promise<void>,
): Promise<BenchProfile> {
  const t0 = performance.now();
  const info = await tf.profile(work);
  const wallMs = performance.now() - t0;
  const byName = new Map<string, KernelTime>();
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const entry = byName.get(k.name) ?? { kernel: k.name, calls: 0, ms: 0 };
    entry.calls++;
    entry.ms += ms;
    byName.set(k.name, entry);
  }
  const kernels = [...byName.values()].sort((a, b) => b.ms - a.ms);
  return { what, wallMs, kernelMs: kernels.reduce((s, k) => s + k.ms, 0), kernels };
}

/** "Conv2D 61 % (53×), …": the kernels that make up `share` of the kernel time. */
export function describeProfile(p: BenchProfile, share = 0.97): string {
  const parts: string[] = [];
  let acc = 0;
  for (const k of p.kernels) {
    if (acc >= share * p.kernelMs) break;
    acc += k.ms;
    parts.push(`${k.kernel} ${((100 * k.ms) / p.kernelMs).toFixed(1)} % (${k.calls}×)`);
  }
  return `${p.what}: wall ${p.wallMs.toFixed(0)} ms, kernels ${p.kernelMs.toFixed(0)} ms — ${parts.join(', ')}`;
}
