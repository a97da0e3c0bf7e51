/**
 * The encoders the worker can run right now, and the kinship heads that go with them. The
 * built-in face descriptor is always there; faceres, faceres-deep and the face ensemble join once
 * loaded (builtins.ts); ResNet50 encoders join when their weights are installed. Each encoder may
 * have a built-in head (shipped with the app) and a user head (trained or imported); the user's
 * choice between them arrives from the UI thread.
 */
import { createFaceDescriptorEncoder } from '../ml/encoders/face-descriptor';
import type { Encoder, EncoderId, EncoderInfo } from '../ml/encoders/types';
import { loadFaceModels } from '../ml/face/models';
import {
  chooseHead,
  type HeadSource,
  type PairHead,
  type ResolvedHead,
} from '../ml/pair/head-choice';
import type { ProgressFn } from '../lib/abort';

const encoders = new Map<EncoderId, Encoder>();
const userHeads = new Map<EncoderId, PairHead>();
const builtInHeads = new Map<EncoderId, PairHead>();
const preferences = new Map<EncoderId, HeadSource>();

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
  userHeads.delete(id);
}

export function encoderById(id: EncoderId): Encoder | undefined {
  return encoders.get(id);
}

/** The user's own head for an encoder (trained, imported or restored), or none. */
export function setHead(id: EncoderId, head: PairHead | null): void {
  if (head) userHeads.set(id, head);
  else userHeads.delete(id);
}

export function setBuiltInHead(id: EncoderId, head: PairHead): void {
  builtInHeads.set(id, head);
}

export function hasBuiltInHead(id: EncoderId): boolean {
  return builtInHeads.has(id);
}

/** The user's choice per encoder; encoders not listed use their user head when they have one. */
export function setHeadPreferences(choice: Partial<Record<EncoderId, HeadSource>>): void {
  preferences.clear();
  for (const [id, source] of Object.entries(choice) as [EncoderId, HeadSource][]) {
    if (source === 'built-in' || source === 'user') preferences.set(id, source);
  }
}

/** The head that scores each encoder now, with its provenance. */
export function currentHeads(): Partial<Record<EncoderId, ResolvedHead>> {
  const out: Partial<Record<EncoderId, ResolvedHead>> = {};
  for (const id of new Set([...userHeads.keys(), ...builtInHeads.keys()])) {
    const resolved = chooseHead(
      { builtIn: builtInHeads.get(id) ?? null, user: userHeads.get(id) ?? null },
      preferences.get(id) ?? null,
    );
    if (resolved) out[id] = resolved;
  }
  return out;
}
