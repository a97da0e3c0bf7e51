import { describe, expect, it } from 'vitest';
import { deviceFingerprint, pickWinner, selfCheckCandidates } from './self-check';
import type { BackendProbe, RankedBackend } from './types';

const ranked = (...names: RankedBackend['name'][]): RankedBackend[] =>
  names.map((name) => ({ name, reason: name }));

describe('backend self-check', () => {
  it('times only the backends up to wasm, never software renderers or cpu', () => {
    expect(
      selfCheckCandidates(ranked('webgpu', 'webgl', 'wasm', 'cpu')).map((b) => b.name),
    ).toEqual(['webgpu', 'webgl', 'wasm']);
    // Software WebGPU ranks after wasm, so it is not a candidate.
    expect(selfCheckCandidates(ranked('wasm', 'webgpu', 'cpu')).map((b) => b.name)).toEqual([
      'wasm',
    ]);
  });

  it('picks the fastest, needs a clear (5%) margin to overturn the ranked order, skips failures', () => {
    const order = ranked('webgpu', 'webgl', 'wasm');
    expect(
      pickWinner(order, [
        { name: 'webgpu', ms: 40 },
        { name: 'webgl', ms: 30 },
        { name: 'wasm', ms: 12 },
      ]),
    ).toBe('wasm');
    expect(
      pickWinner(order, [
        { name: 'webgpu', ms: 10 },
        { name: 'wasm', ms: 9.8 },
      ]),
    ).toBe('webgpu');
    expect(
      pickWinner(order, [
        { name: 'webgpu', ms: null, error: 'lost device' },
        { name: 'wasm', ms: 20 },
      ]),
    ).toBe('wasm');
    expect(pickWinner(order, [])).toBe('webgpu');
  });

  it('fingerprints the hardware, not the browser patch version', () => {
    const probe: BackendProbe = {
      webgpu: {
        available: true,
        vendor: 'nvidia',
        architecture: 'hopper',
        device: '',
        description: '',
        isFallbackAdapter: false,
      },
      webgl: {
        available: false,
        version: 0,
        vendor: '',
        renderer: '',
        majorPerformanceCaveat: false,
      },
      wasm: {
        simd: true,
        threadsSupported: true,
        crossOriginIsolated: true,
        hardwareConcurrency: 16,
      },
    };
    const a = deviceFingerprint(probe, 'Chrome/156.0.8078.73');
    expect(deviceFingerprint(probe, 'Chrome/156.0.8078.99')).toBe(a);
    expect(
      deviceFingerprint(
        { ...probe, wasm: { ...probe.wasm, hardwareConcurrency: 8 } },
        'Chrome/156.0.8078.73',
      ),
    ).not.toBe(a);
  });
});
