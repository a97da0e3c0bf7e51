/**
 * tfjs-backend-wasm 4.22 computes its thread cap once, when the module instantiates, as
 * `navigator.hardwareConcurrency / 2` (backend.cc: "many x86-64 processors have 2 threads per
 * core"), and clamps `setThreadsCount(n)` to it: on a 2-core machine that is one thread, even
 * though two threads measure ~1.8× faster for ResNet50. We want `threads` workers, so for the
 * duration of the backend's initialisation we report twice that many logical cores, then
 * restore the real value. The pool itself holds 8 pre-created workers, the library's maximum.
 */
export const WASM_MAX_THREADS = 8;

export function desiredWasmThreads(hardwareConcurrency: number): number {
  return Math.max(1, Math.min(WASM_MAX_THREADS, Math.floor(hardwareConcurrency)));
}

export async function withReportedCores<T>(cores: number, init: () => Promise<T>): Promise<T> {
  const nav = globalThis.navigator as Navigator | undefined;
  if (!nav) return init();
  const own = Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency');
  Object.defineProperty(nav, 'hardwareConcurrency', { configurable: true, get: () => cores });
  try {
    return await init();
  } finally {
    if (own) Object.defineProperty(nav, 'hardwareConcurrency', own);
    else delete (nav as unknown as Record<string, unknown>)['hardwareConcurrency'];
  }
}
