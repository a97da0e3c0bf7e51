import { describe, expect, it } from 'vitest';
import { backendAttemptOrder, isSoftwareWebGpu, parsePreference, rankBackends } from './rank';
import type { BackendProbe } from './types';

function probe(overrides: {
  webgpu?: Partial<BackendProbe['webgpu']>;
  webgl?: Partial<BackendProbe['webgl']>;
  wasm?: Partial<BackendProbe['wasm']>;
}): BackendProbe {
  return {
    webgpu: {
      available: false,
      vendor: '',
      architecture: '',
      device: '',
      description: '',
      isFallbackAdapter: false,
      ...overrides.webgpu,
    },
    webgl: {
      available: false,
      version: 0,
      vendor: '',
      renderer: '',
      majorPerformanceCaveat: false,
      ...overrides.webgl,
    },
    wasm: {
      simd: true,
      threadsSupported: true,
      crossOriginIsolated: true,
      hardwareConcurrency: 2,
      ...overrides.wasm,
    },
  };
}

const names = (p: BackendProbe): string[] => rankBackends(p).map((b) => b.name);

describe('rankBackends', () => {
  it('puts a hardware WebGPU adapter first, then hardware WebGL, then wasm, cpu last', () => {
    const p = probe({
      webgpu: { available: true, vendor: 'nvidia', architecture: 'hopper' },
      webgl: { available: true, version: 2, renderer: 'ANGLE (NVIDIA, NVIDIA H200 Direct3D11)' },
    });
    expect(names(p)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  });

  it('never ranks a SwiftShader WebGPU adapter ahead of wasm (this CI machine)', () => {
    const p = probe({
      webgpu: {
        available: true,
        vendor: 'google',
        architecture: 'swiftshader',
        description: 'SwiftShader Device (Subzero)',
      },
      webgl: {
        available: true,
        version: 2,
        renderer:
          'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      },
    });
    const order = names(p);
    expect(order[0]).toBe('wasm');
    expect(order.indexOf('webgpu')).toBeGreaterThan(order.indexOf('wasm'));
    expect(order.indexOf('webgl')).toBeGreaterThan(order.indexOf('wasm'));
    expect(order.at(-1)).toBe('cpu');
  });

  it.each([
    ['llvmpipe', { vendor: 'mesa', device: 'llvmpipe (LLVM 15.0.6, 256 bits)' }],
    ['Microsoft Basic Render Driver', { description: 'Microsoft Basic Render Driver' }],
    ['isFallbackAdapter', { vendor: 'intel', isFallbackAdapter: true }],
    ['lavapipe', { description: 'lavapipe' }],
  ])('treats %s as software', (_label, gpu) => {
    const p = probe({ webgpu: { available: true, ...gpu } });
    expect(isSoftwareWebGpu(p.webgpu)).toBe(true);
    expect(names(p)[0]).toBe('wasm');
  });

  it('treats a WebGL context created only with a major performance caveat as software', () => {
    const p = probe({
      webgl: { available: true, version: 2, renderer: 'Some GPU', majorPerformanceCaveat: true },
    });
    expect(names(p)).toEqual(['wasm', 'webgl', 'cpu']);
  });

  it('falls back to wasm then cpu when there is no GPU at all', () => {
    const order = rankBackends(probe({}));
    expect(order.map((b) => b.name)).toEqual(['wasm', 'cpu']);
    expect(order[0]?.reason).toMatch(/no hardware GPU/);
  });

  it('explains single-threaded wasm when the page is not cross-origin isolated', () => {
    const order = rankBackends(
      probe({ wasm: { threadsSupported: false, crossOriginIsolated: false } }),
    );
    expect(order[0]?.reason).toMatch(/single thread/);
  });
});

describe('backendAttemptOrder', () => {
  it('tries a forced backend first and keeps the automatic order as fallbacks', () => {
    const p = probe({ webgpu: { available: true, vendor: 'google', architecture: 'swiftshader' } });
    const order = backendAttemptOrder(p, 'webgpu').map((b) => b.name);
    expect(order).toEqual(['webgpu', 'wasm', 'cpu']);
  });

  it('returns the automatic order for auto', () => {
    const p = probe({});
    expect(backendAttemptOrder(p, 'auto')).toEqual(rankBackends(p));
  });
});

describe('parsePreference', () => {
  it('accepts known values and defaults to auto', () => {
    expect(parsePreference('wasm')).toBe('wasm');
    expect(parsePreference('auto')).toBe('auto');
    expect(parsePreference('metal')).toBe('auto');
    expect(parsePreference(null)).toBe('auto');
  });
});
