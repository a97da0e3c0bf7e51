/**
 * Runs a CLI's main when the module is the one Node was started with (not when a test imports
 * it): errors are printed as one plain line and set exit code 1.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage } from '../src/lib/errors';

export function runIfMain(moduleUrl: string, main: () => Promise<void>): void {
  const started = process.argv[1];
  if (!started || moduleUrl !== pathToFileURL(resolve(started)).href) return;
  main().catch((e: unknown) => {
    console.error(errorMessage(e));
    process.exitCode = 1;
  });
}
