/**
 * Photos as the Pair and Family views use them: a dropped file analysed in the worker (decoded,
 * faces found, crops cut) and released when it leaves the page.
 */
import type { DetectorKind } from '../ml/face/detect';
import { job, mlWorker } from '../worker/client';
import type { PhotoAnalysis } from '../worker/photos';

export function analyzeFile(file: File, detector: DetectorKind): Promise<PhotoAnalysis> {
  return job((id, p) =>
    mlWorker().analyzePhoto(id, p, file, file.name || 'pasted image', detector),
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
