/**
 * Finds a Python that can import torch, for `npm run bench -- --native`. `python3` on PATH may be
 * a shim (pyenv, a venv) without torch while the system one has it, or the other way round:
 * $KINLENS_PYTHON first when set, then `python3`, then `/usr/bin/python3`.
 */
import { spawnSync } from 'node:child_process';

export interface PythonRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started at all (e.g. ENOENT). */
  error?: Error;
}

export type RunPython = (python: string, args: string[]) => PythonRun;

export interface TorchPython {
  /** The first candidate that imports torch; null when none does. */
  python: string | null;
  /** e.g. "Python 3.12.3, torch 2.5.1" for the one found. */
  versions: string | null;
  /** Every candidate tried, with why it was not used (null for the one used). */
  tried: { python: string; problem: string | null }[];
}

const PROBE =
  'import sys, torch; print(f"Python {sys.version.split()[0]}, torch {torch.__version__}")';

export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const list = [env.KINLENS_PYTHON, 'python3', '/usr/bin/python3'].filter(
    (p): p is string => typeof p === 'string' && p.trim() !== '',
  );
  return [...new Set(list)];
}

export const runPython: RunPython = (python, args) => {
  const r = spawnSync(python, args, { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
};

export function findTorchPython(
  candidates: readonly string[] = pythonCandidates(),
  run: RunPython = runPython,
): TorchPython {
  const tried: TorchPython['tried'] = [];
  for (const python of candidates) {
    const r = run(python, ['-c', PROBE]);
    if (!r.error && r.status === 0) {
      tried.push({ python, problem: null });
      return { python, versions: r.stdout.trim() || null, tried };
    }
    tried.push({ python, problem: whyNot(r) });
  }
  return { python: null, versions: null, tried };
}

function whyNot(r: PythonRun): string {
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'not found' : r.error.message;
  }
  // Python's last stderr line is the exception ("ModuleNotFoundError: No module named 'torch'").
  const last = r.stderr.trim().split('\n').pop()?.trim();
  return last || `exited with status ${r.status}`;
}

/** One line for the bench output: which Python was used, or which were tried and why not. */
export function describeTorchPython(found: TorchPython): string {
  const failed = found.tried
    .filter((t) => t.problem !== null)
    .map((t) => `${t.python}: ${t.problem}`);
  if (found.python) {
    const skipped = failed.length > 0 ? `; skipped ${failed.join('; ')}` : '';
    return `native: ${found.python} (${found.versions ?? 'torch'})${skipped}`;
  }
  return `native: skipped, no Python with torch (tried ${failed.join('; ') || 'nothing'}; set KINLENS_PYTHON)`;
}
