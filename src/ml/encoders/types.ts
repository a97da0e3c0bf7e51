import type { PixelImage } from '../face/pixels';

export type EncoderId =
  | 'face-descriptor'
  | 'resnet50-vggface'
  | 'resnet50-imagenet'
  | 'faceres'
  | 'faceres-deep'
  | 'face-ensemble';

/** Which aligned crop an encoder takes: the tight 150-px descriptor chip or the loose 224-px crop. */
export type CropKind = 'descriptor' | 'resnet';

/** What the UI needs to know about an encoder (plain data, crosses the worker boundary). */
export interface EncoderInfo {
  id: EncoderId;
  label: string;
  /** Embedding length the head sees. */
  dim: number;
  inputSize: number;
  crop: CropKind;
  /**
   * Identity of the features: architecture variant, weights hash and preprocessing version.
   * Cached embeddings and trained heads are keyed by it, so new weights never reuse old ones.
   */
  identity: string;
  builtIn: boolean;
}

export interface EmbedOptions {
  /** Average with the embedding of the horizontally flipped crop. */
  tta?: boolean;
  signal?: AbortSignal;
}

/**
 * How a fused encoder builds its vector from its parts' vectors (each part embeds its own crop
 * kind and is cached under its own identity, so cached parts make the fused vector free).
 */
export interface FusedParts {
  parts: readonly Encoder[];
  /** One vector from one vector per part, in `parts` order. */
  fuse(partVectors: readonly Float32Array[]): Float32Array;
}

/**
 * A loaded encoder. `embed` takes crops of `inputSize`² (RGB or RGBA, 0–255). A fused encoder
 * (`fused` set) has no crop of its own: callers embed each part with its crop and call `fuse`.
 */
export interface Encoder extends EncoderInfo {
  embed(crops: readonly PixelImage[], opts?: EmbedOptions): Promise<Float32Array[]>;
  fused?: FusedParts;
  dispose(): void;
}

export const ENCODER_LABELS: Record<EncoderId, string> = {
  'face-descriptor': 'Face descriptor (dlib ResNet-34)',
  'resnet50-vggface': 'ResNet50 · VGGFace2',
  'resnet50-imagenet': 'ResNet50 · ImageNet',
  faceres: 'FaceRes (MobileNet v1)',
  'faceres-deep': 'FaceRes deep (MobileNet v1)',
  'face-ensemble': 'Face ensemble (descriptor + faceres + faceres-deep)',
};
