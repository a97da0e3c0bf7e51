/**
 * How one dataset file becomes the crop an encoder reads. Dataset images are usually face crops
 * already: the whole image is the face unless `detect` asks for the largest face to be found
 * and eye-aligned. (The fast face-crop aligner plugs in here.)
 */
import type { CropKind } from '../ml/encoders/types';
import { alignFace, DESCRIPTOR_TEMPLATE, RESNET_TEMPLATE, wholeImageCrop } from '../ml/face/align';
import { detectFaces } from '../ml/face/detect';
import type { PixelImage } from '../ml/face/pixels';
import type { DecodeImage } from './types';

export async function cropForDataset(
  file: Blob,
  path: string,
  encoder: { crop: CropKind; inputSize: number },
  detect: boolean,
  decode: DecodeImage,
  signal: AbortSignal,
): Promise<PixelImage> {
  const template = encoder.crop === 'descriptor' ? DESCRIPTOR_TEMPLATE : RESNET_TEMPLATE;
  // Dataset images are small face crops; decoding at 2× the encoder input keeps resampling sharp.
  const image = await decode(file, path, { maxSide: detect ? 1024 : encoder.inputSize * 2 });
  if (detect) {
    const faces = await detectFaces(image, { signal, thumbnailSize: 0 });
    const face = faces[0];
    if (face) return alignFace(image, face.eyes, template);
  }
  return wholeImageCrop(image, encoder.inputSize);
}
