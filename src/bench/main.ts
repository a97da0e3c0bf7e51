/**
 * The benchmark page: the same ML worker as the app, driven by cli/bench.ts through
 * `window.kinlensBench(backend, spec)`. Not linked from the app.
 */
import { callback, job, mlWorker, unwrap } from '../worker/client';
import type { BackendPreference, BackendReport } from '../ml/backend/types';
import type { BenchResult, BenchSpec } from '../worker/bench';

const log = document.getElementById('log');

async function kinlensBench(
  backend: BackendPreference,
  spec: Omit<BenchSpec, 'jpegs' | 'faceCrops'> & { jpegs: string[]; faceCrops?: string[] },
): Promise<{ report: BackendReport; result: BenchResult }> {
  const worker = mlWorker();
  await worker.configure({ baseUrl: new URL('../../', location.href).href });
  const report = unwrap(await worker.initBackend(backend));
  const toBlob = (b64: string): Blob =>
    new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/jpeg' });
  const jpegs = spec.jpegs.map(toBlob);
  const faceCrops = (spec.faceCrops ?? []).map(toBlob);
  const result = await job((id) =>
    worker.benchmark(
      id,
      callback((line: string) => {
        if (log) log.textContent += `${line}\n`;
      }),
      { ...spec, jpegs, faceCrops },
    ),
  );
  return { report, result };
}

Object.assign(window, { kinlensBench });
