/// <reference types="@webgpu/types" />
import type { BackendProbe, WasmProbe, WebGlProbe, WebGpuProbe } from './types';

// Runs in the worker (or any context with navigator): learns what each backend would run on,
// without initialising tfjs. Never throws: every failure becomes a field the UI can show.

const UNAVAILABLE_GPU: WebGpuProbe = {
  available: false,
  vendor: '',
  architecture: '',
  device: '',
  description: '',
  isFallbackAdapter: false,
};

export async function probeWebGpu(): Promise<WebGpuProbe> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { ...UNAVAILABLE_GPU, error: 'navigator.gpu is missing (WebGPU not supported)' };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { ...UNAVAILABLE_GPU, error: 'no WebGPU adapter' };
    const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    const legacyFallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean })
      .isFallbackAdapter;
    return {
      available: true,
      vendor: info?.vendor ?? '',
      architecture: info?.architecture ?? '',
      device: info?.device ?? '',
      description: info?.description ?? '',
      isFallbackAdapter: Boolean(info?.isFallbackAdapter ?? legacyFallback),
    };
  } catch (e) {
    return { ...UNAVAILABLE_GPU, error: e instanceof Error ? e.message : String(e) };
  }
}

type GlContext = WebGL2RenderingContext | WebGLRenderingContext;

function rendererOf(gl: GlContext): { vendor: string; renderer: string } {
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  if (ext) {
    return {
      vendor: String(gl.getParameter(ext.UNMASKED_VENDOR_WEBGL) ?? ''),
      renderer: String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) ?? ''),
    };
  }
  return {
    vendor: String(gl.getParameter(gl.VENDOR) ?? ''),
    renderer: String(gl.getParameter(gl.RENDERER) ?? ''),
  };
}

function releaseContext(gl: GlContext): void {
  gl.getExtension('WEBGL_lose_context')?.loseContext();
}

export function probeWebGl(): WebGlProbe {
  const none: WebGlProbe = {
    available: false,
    version: 0,
    vendor: '',
    renderer: '',
    majorPerformanceCaveat: false,
  };
  if (typeof OffscreenCanvas === 'undefined') return { ...none, error: 'OffscreenCanvas missing' };
  try {
    const strict = new OffscreenCanvas(1, 1).getContext('webgl2', {
      failIfMajorPerformanceCaveat: true,
    });
    if (strict) {
      const r = rendererOf(strict);
      releaseContext(strict);
      return { available: true, version: 2, ...r, majorPerformanceCaveat: false };
    }
    const lax = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (lax) {
      const r = rendererOf(lax);
      releaseContext(lax);
      return { available: true, version: 2, ...r, majorPerformanceCaveat: true };
    }
    const gl1 = new OffscreenCanvas(1, 1).getContext('webgl');
    if (gl1) {
      const r = rendererOf(gl1);
      releaseContext(gl1);
      return { available: true, version: 1, ...r, majorPerformanceCaveat: false };
    }
    return { ...none, error: 'no WebGL context' };
  } catch (e) {
    return { ...none, error: e instanceof Error ? e.message : String(e) };
  }
}

// The smallest module using a SIMD instruction (i8x16.splat etc.); validates only where SIMD is on.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15,
  253, 98, 11,
]);

export function probeWasm(): WasmProbe {
  let simd = false;
  try {
    simd = WebAssembly.validate(SIMD_PROBE);
  } catch {
    simd = false;
  }
  const isolated = Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated);
  return {
    simd,
    threadsSupported: isolated && typeof SharedArrayBuffer !== 'undefined',
    crossOriginIsolated: isolated,
    hardwareConcurrency: globalThis.navigator?.hardwareConcurrency ?? 1,
  };
}

export async function probeBackends(): Promise<BackendProbe> {
  const [webgpu, webgl, wasm] = await Promise.all([
    probeWebGpu(),
    Promise.resolve(probeWebGl()),
    Promise.resolve(probeWasm()),
  ]);
  return { webgpu, webgl, wasm };
}
