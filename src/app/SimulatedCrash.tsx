/**
 * `?simulate-crash` in the address makes the app throw while rendering, so anyone (and the e2e
 * tests) can see the recovery screen without a real bug. It only reads the URL; nothing else
 * changes.
 */
export const SIMULATE_CRASH_PARAM = 'simulate-crash';

export function crashRequested(search: string = location.search): boolean {
  return new URLSearchParams(search).has(SIMULATE_CRASH_PARAM);
}

export function SimulatedCrash(): never {
  throw new Error(`Simulated crash (?${SIMULATE_CRASH_PARAM} in the address)`);
}
