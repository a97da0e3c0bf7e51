import { describeFaces, DESCRIPTOR_INPUT_SIZE, DESCRIPTOR_SIZE } from '../face/describe';
import { ENCODER_LABELS, type Encoder, type EmbedOptions } from './types';
import type { PixelImage } from '../face/pixels';

/** Bump when the crop template or pixel handling changes: cached embeddings then re-encode. */
export const FACE_DESCRIPTOR_PREPROCESSING_VERSION = 1;

/** The built-in encoder: face-api's 128-d face-recognition descriptor, weights shipped with the app. */
export function createFaceDescriptorEncoder(): Encoder {
  return {
    id: 'face-descriptor',
    label: ENCODER_LABELS['face-descriptor'],
    dim: DESCRIPTOR_SIZE,
    inputSize: DESCRIPTOR_INPUT_SIZE,
    crop: 'descriptor',
    identity: `face-descriptor/face-api-1.7.15/pre${FACE_DESCRIPTOR_PREPROCESSING_VERSION}`,
    builtIn: true,
    embed: (crops: readonly PixelImage[], opts: EmbedOptions = {}) =>
      describeFaces(crops, {
        flipTTA: opts.tta ?? false,
        ...(opts.signal ? { signal: opts.signal } : {}),
      }),
    dispose: () => {
      // The face nets are shared with detection and live for the worker's lifetime.
    },
  };
}
