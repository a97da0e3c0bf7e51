import type { BackendName, BackendPreference, BackendProbe, RankedBackend } from './types';

// Names that identify a software rasteriser or a CPU-emulated GPU. Such an adapter is correct
// but one to two orders of magnitude slower than WASM for ResNet50, so it is never chosen
// automatically ahead of WASM.
const SOFTWARE_MARKERS = [
  'swiftshader',
  'llvmpipe',
  'lavapipe',
  'softpipe',
  'microsoft basic render driver',
  'software',
  'subzero',
];

export function looksLikeSoftware(...labels: string[]): boolean {
  const text = labels.join(' ').toLowerCase();
  return SOFTWARE_MARKERS.some((m) => text.includes(m));
}

export function isSoftwareWebGpu(p: BackendProbe['webgpu']): boolean {
  return (
    p.isFallbackAdapter || looksLikeSoftware(p.vendor, p.architecture, p.device, p.description)
  );
}

export function isSoftwareWebGl(p: BackendProbe['webgl']): boolean {
  return p.majorPerformanceCaveat || looksLikeSoftware(p.vendor, p.renderer);
}

function describeAdapter(p: BackendProbe['webgpu']): string {
  const parts = [p.vendor, p.architecture, p.device || p.description].filter(Boolean);
  return parts.length ? parts.join(' / ') : 'unnamed adapter';
}

/**
 * Orders the backends for automatic selection: hardware WebGPU, hardware WebGL, WASM, then the
 * software GPU paths (kept only as last resorts before cpu), then cpu. Pure function of the probe.
 */
export function rankBackends(probe: BackendProbe): RankedBackend[] {
  const hardware: RankedBackend[] = [];
  const software: RankedBackend[] = [];
  const { webgpu, webgl, wasm } = probe;

  if (webgpu.available) {
    if (isSoftwareWebGpu(webgpu)) {
      software.push({
        name: 'webgpu',
        reason: `WebGPU adapter is a software renderer (${describeAdapter(webgpu)}); slower than WASM`,
      });
    } else {
      hardware.push({
        name: 'webgpu',
        reason: `hardware WebGPU adapter (${describeAdapter(webgpu)})`,
      });
    }
  }
  if (webgl.available) {
    const label = webgl.renderer || webgl.vendor || 'unknown renderer';
    if (isSoftwareWebGl(webgl)) {
      software.push({
        name: 'webgl',
        reason: `WebGL renderer is software (${label}); slower than WASM`,
      });
    } else {
      hardware.push({ name: 'webgl', reason: `hardware WebGL${webgl.version} (${label})` });
    }
  }

  const skipped = software.map((b) => (b.name === 'webgpu' ? 'WebGPU' : 'WebGL')).join(' and ');
  const wasmReason = [
    hardware.length === 0
      ? `no hardware GPU found${skipped ? ` (${skipped} only on a software renderer)` : ''}`
      : 'after the hardware GPU backends',
    `WASM with SIMD ${wasm.simd ? 'on' : 'off'}`,
    wasm.threadsSupported ? 'threads available' : 'single thread (page not cross-origin isolated)',
  ].join('; ');

  return [
    ...hardware,
    { name: 'wasm', reason: wasmReason },
    ...software,
    { name: 'cpu', reason: 'plain JavaScript fallback (slowest)' },
  ];
}

/**
 * The order in which to try backends for a given user preference: a forced backend first, then
 * the automatic order as fallbacks so that a failing backend never leaves the app without one.
 */
export function backendAttemptOrder(
  probe: BackendProbe,
  preference: BackendPreference,
): RankedBackend[] {
  const auto = rankBackends(probe);
  if (preference === 'auto') return auto;
  const forced: RankedBackend = { name: preference, reason: `forced by the user (${preference})` };
  return [forced, ...auto.filter((b) => b.name !== preference)];
}

export function isBackendName(value: unknown): value is BackendName {
  return value === 'webgpu' || value === 'webgl' || value === 'wasm' || value === 'cpu';
}

export function parsePreference(value: unknown): BackendPreference {
  return value === 'auto' || isBackendName(value) ? value : 'auto';
}
