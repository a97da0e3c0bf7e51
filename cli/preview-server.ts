/**
 * `vite preview` of dist/ for CLI tools: on a free port, in its own process group (so the whole
 * tree can be killed), with a per-run token that proves we measure our own server, and stopped on
 * every way out of the process (normal end, thrown error, Ctrl-C, SIGTERM).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePortSync } from './free-port';
import { assertOurServer, newRunToken, RUN_TOKEN_ENV } from './run-token';

export interface PreviewServer {
  url: string;
  pid: number;
  /** Kills the server's process group; safe to call more than once. */
  stop: () => void;
}

const viteBin = (): string =>
  join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');

export async function startPreviewServer(
  options: { port?: number; timeoutMs?: number } = {},
): Promise<PreviewServer> {
  const port = options.port ?? freePortSync();
  const token = newRunToken();
  const url = `http://127.0.0.1:${port}/`;
  const child = spawn(
    process.execPath,
    [viteBin(), 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, [RUN_TOKEN_ENV]: token },
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('vite preview did not start');
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));

  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  // A signal would end the process without running `finally` blocks: stop first, then exit with
  // the signal's usual status.
  const onSignal = (signal: NodeJS.Signals): void => {
    stop();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', stop);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const exited = new Promise<never>((_, fail) =>
    child.once('exit', (code, signal) => {
      if (!stopped)
        fail(
          new Error(`vite preview on port ${port} exited (${signal ?? code}): ${stderr.trim()}`),
        );
    }),
  );
  exited.catch(() => undefined); // observed below; never an unhandled rejection
  try {
    await Promise.race([waitForOurServer(url, token, options.timeoutMs ?? 30_000), exited]);
  } catch (e) {
    stop();
    throw e;
  }
  return { url, pid, stop };
}

/** Polls until `url` answers, then insists that the answer carries our token. */
async function waitForOurServer(url: string, token: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    let answered = false;
    try {
      const response = await fetch(url, { cache: 'no-store' });
      await response.body?.cancel();
      answered = true;
    } catch {
      // not up yet
    }
    if (answered) return assertOurServer(url, token);
    if (Date.now() > end) throw new Error(`vite preview did not answer at ${url} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
