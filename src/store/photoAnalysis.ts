/**
 * Photos as the Pair and Family views use them: a dropped file analysed in the worker (decoded,
 * faces found, crops cut) and released when it leaves the page.
 */
import type { DetectorKind } from '../ml/face/detect';
import { job, mlWorker } from '../worker/client';
import type { PhotoAnalysis } from '../worker/photos';

/** `onStep` hears each step ("reading the photo", "finding faces", …) as it starts. */
export function analyzeFile(
  file: File,
  detector: DetectorKind,
  onStep?: (phase: string) => void,
): Promise<PhotoAnalysis> {
  return job(
    (id, p) => mlWorker().analyzePhoto(id, p, file, file.name || 'pasted image', detector),
    onStep ? { onProgress: (p) => p.phase && onStep(p.phase) } : {},
  );
}

/** Frees the preview bitmap and the worker's crops and embeddings of this photo. */
export function releaseAnalysis(analysis: PhotoAnalysis): void {
  analysis.preview.close();
  void mlWorker().releasePhoto(analysis.photoId);
}

export function noFaceMessage(name: string): string {
  return `No face found in ${name}. If it is already a face crop, use the whole image as the face.`;
}
