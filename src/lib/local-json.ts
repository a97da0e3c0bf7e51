/**
 * Small JSON values in localStorage (settings, cached probe results, the last comparison).
 * Storage can be disabled, full or hold garbage: reads then give null and writes do nothing,
 * so callers treat it as a cache that may be empty.
 */

/** localStorage's two methods (lib also builds for the worker, which has no localStorage). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function defaultStore(): KeyValueStore | undefined {
  return (globalThis as { localStorage?: KeyValueStore }).localStorage;
}

export function readJson(key: string, store: KeyValueStore | undefined = defaultStore()): unknown {
  try {
    const text = store?.getItem(key);
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

export function writeJson(
  key: string,
  value: unknown,
  store: KeyValueStore | undefined = defaultStore(),
): void {
  try {
    store?.setItem(key, JSON.stringify(value));
  } catch {
    // Disabled or full: the value simply is not remembered.
  }
}
