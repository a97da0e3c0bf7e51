/**
 * tfjs's cpu backend prints "Hi, looks like you are running TensorFlow.js in Node.js…" once per
 * process, which is once per test file under vitest. Node tests use the cpu/wasm backends on
 * purpose, so the unit-test setup drops exactly that message; every other warning still shows.
 */
export const TFJS_NODE_BANNER = 'Hi, looks like you are running TensorFlow.js in Node.js.';

export function isTfjsNodeBanner(args: readonly unknown[]): boolean {
  return args.length === 1 && typeof args[0] === 'string' && args[0].includes(TFJS_NODE_BANNER);
}

/** Makes `target.warn` skip the banner; returns a function that puts the old `warn` back. */
export function dropTfjsNodeBanner(target: Pick<Console, 'warn'>): () => void {
  const warn = target.warn;
  target.warn = (...args: unknown[]): void => {
    if (!isTfjsNodeBanner(args)) warn.apply(target, args);
  };
  return () => {
    target.warn = warn;
  };
}
