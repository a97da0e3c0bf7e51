import { describe, expect, it } from 'vitest';
import {
  describeTorchPython,
  findTorchPython,
  pythonCandidates,
  runPython,
  type PythonRun,
  type RunPython,
} from './torch-python';

/** Pythons by name: what each answers to the torch probe. */
function machine(answers: Record<string, PythonRun>): { run: RunPython; calls: string[] } {
  const calls: string[] = [];
  const run: RunPython = (python) => {
    calls.push(python);
    return (
      answers[python] ?? {
        status: null,
        stdout: '',
        stderr: '',
        error: Object.assign(new Error(`spawnSync ${python} ENOENT`), { code: 'ENOENT' }),
      }
    );
  };
  return { run, calls };
}

const NO_TORCH: PythonRun = {
  status: 1,
  stdout: '',
  stderr:
    'Traceback (most recent call last):\n  File "<string>", line 1, in <module>\n' +
    "ModuleNotFoundError: No module named 'torch'\n",
};
const WITH_TORCH: PythonRun = { status: 0, stdout: 'Python 3.12.3, torch 2.5.1\n', stderr: '' };

describe('findTorchPython', () => {
  it('tries KINLENS_PYTHON, then python3, then /usr/bin/python3, without repeats', () => {
    expect(pythonCandidates({})).toEqual(['python3', '/usr/bin/python3']);
    expect(pythonCandidates({ KINLENS_PYTHON: '/opt/venv/bin/python' })).toEqual([
      '/opt/venv/bin/python',
      'python3',
      '/usr/bin/python3',
    ]);
    expect(pythonCandidates({ KINLENS_PYTHON: 'python3' })).toEqual([
      'python3',
      '/usr/bin/python3',
    ]);
  });

  it('skips a python3 shim without torch and uses the system Python, saying why', () => {
    const { run, calls } = machine({ python3: NO_TORCH, '/usr/bin/python3': WITH_TORCH });
    const found = findTorchPython(['python3', '/usr/bin/python3'], run);
    expect(found.python).toBe('/usr/bin/python3');
    expect(calls).toEqual(['python3', '/usr/bin/python3']);
    expect(describeTorchPython(found)).toBe(
      "native: /usr/bin/python3 (Python 3.12.3, torch 2.5.1); skipped python3: ModuleNotFoundError: No module named 'torch'",
    );
  });

  it('stops at the first Python that has torch', () => {
    const { run, calls } = machine({ '/opt/py': WITH_TORCH, python3: WITH_TORCH });
    expect(findTorchPython(['/opt/py', 'python3'], run).python).toBe('/opt/py');
    expect(calls).toEqual(['/opt/py']);
  });

  it('lists every candidate and its problem when none has torch', () => {
    const { run } = machine({ python3: NO_TORCH });
    const found = findTorchPython(['/missing/python', 'python3'], run);
    expect(found.python).toBeNull();
    expect(describeTorchPython(found)).toBe(
      'native: skipped, no Python with torch (tried /missing/python: not found; ' +
        "python3: ModuleNotFoundError: No module named 'torch'; set KINLENS_PYTHON)",
    );
  });

  it('really runs a program: a missing one is "not found", node as "python" fails the probe', () => {
    const missing = runPython('/nonexistent/kinlens-python', ['-c', 'pass']);
    expect((missing.error as NodeJS.ErrnoException).code).toBe('ENOENT');
    const found = findTorchPython(['/nonexistent/kinlens-python', process.execPath]);
    expect(found.python).toBeNull();
    expect(found.tried.map((t) => t.python)).toEqual([
      '/nonexistent/kinlens-python',
      process.execPath,
    ]);
    expect(found.tried[0]?.problem).toBe('not found');
    // Node exits non-zero on Python code: the last stderr line is the reason given.
    expect(found.tried[1]?.problem).toMatch(/\S/);
    expect(found.tried[1]?.problem).not.toBe('not found');
  });
});
