/**
 * The encoders the worker can run right now, and the trained heads that go with them. The
 * built-in face descriptor is always there; faceres, faceres-deep and the face ensemble join once
 * loaded (builtins.ts); ResNet50 encoders join when their weights are installed.
 */
import { createFaceDescriptorEncoder } from '../ml/encoders/face-descriptor';
import type { Encoder, EncoderId, EncoderInfo } from '../ml/encoders/types';
import { loadFaceModels } from '../ml/face/models';
import type { PairHead } from '../ml/pair/score';
import type { ProgressFn } from '../lib/abort';

const encoders = new Map<EncoderId, Encoder>();
const heads = new Map<EncoderId, PairHead>();

export function infoOf(e: Encoder): EncoderInfo {
  const { id, label, dim, inputSize, crop, identity, builtIn } = e;
  return { id, label, dim, inputSize, crop, identity, builtIn };
}

/** Loads the face-api nets (detector, landmarks, descriptor) from our origin, once. */
export async function ensureFaceStack(
  baseUrl: string,
  signal?: AbortSignal,
  onProgress?: ProgressFn,
): Promise<void> {
  await loadFaceModels(
    { baseUrl: new URL('models/face-api/', baseUrl).href },
    { ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}) },
  );
  if (!encoders.has('face-descriptor'))
    encoders.set('face-descriptor', createFaceDescriptorEncoder());
}

export function availableEncoders(): Encoder[] {
  const order: EncoderId[] = [
    'face-descriptor',
    'faceres',
    'faceres-deep',
    'face-ensemble',
    'resnet50-vggface',
    'resnet50-imagenet',
  ];
  return order.map((id) => encoders.get(id)).filter((e): e is Encoder => e !== undefined);
}

export function setEncoder(encoder: Encoder): void {
  encoders.get(encoder.id)?.dispose();
  encoders.set(encoder.id, encoder);
}

export function removeEncoder(id: EncoderId): void {
  encoders.get(id)?.dispose();
  encoders.delete(id);
  heads.delete(id);
}

export function encoderById(id: EncoderId): Encoder | undefined {
  return encoders.get(id);
}

export function setHead(id: EncoderId, head: PairHead | null): void {
  if (head) heads.set(id, head);
  else heads.delete(id);
}

export function currentHeads(): Partial<Record<EncoderId, PairHead>> {
  return Object.fromEntries(heads.entries());
}
