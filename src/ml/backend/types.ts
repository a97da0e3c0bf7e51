export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** What the worker found out about the WebGPU adapter (null fields when unknown). */
export interface WebGpuProbe {
  available: boolean;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  /** Why WebGPU is unavailable, when it is. */
  error?: string;
}

export interface WebGlProbe {
  available: boolean;
  version: 1 | 2 | 0;
  vendor: string;
  renderer: string;
  /** True when the context could only be created with a major performance caveat. */
  majorPerformanceCaveat: boolean;
  error?: string;
}

export interface WasmProbe {
  simd: boolean;
  /** Threads are possible only with SharedArrayBuffer, i.e. cross-origin isolation. */
  threadsSupported: boolean;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

export interface BackendProbe {
  webgpu: WebGpuProbe;
  webgl: WebGlProbe;
  wasm: WasmProbe;
}

export interface RankedBackend {
  name: BackendName;
  /** One sentence saying why this backend sits at this place. */
  reason: string;
}

/** What the UI shows in the backend panel. */
export interface BackendReport {
  active: BackendName;
  preference: BackendPreference;
  reason: string;
  probe: BackendProbe;
  /** Backends tried before `active` that failed to initialise, with the error. */
  failures: Array<{ name: BackendName; error: string }>;
  wasmThreads: number | null;
  wasmSimd: boolean | null;
  initMs: number;
  tfjsVersion: string;
  /** The timed probe behind the automatic choice (null when a backend was forced). */
  selfCheck: import('./self-check').SelfCheckResult | null;
}
