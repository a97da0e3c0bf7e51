/**
 * Aligned face crops. A crop template fixes where the two eye centres land in the output; the
 * similarity transform that puts them there (rotation, uniform scale, shift) is sampled from
 * the full-resolution pixels.
 */
import {
  eyeAlignmentTransform,
  fitSquareTransform,
  type Box,
  type EyePair,
  type EyeTemplate,
} from './geometry';
import { assertPixelImage, type PixelImage } from './pixels';
import { warpAffine } from './resample';

export interface CropTemplate {
  /** Default output side in pixels (the encoder's input size). */
  size: number;
  /** Eye centres as fractions of the output side. */
  eyes: EyeTemplate;
}

/**
 * For the built-in descriptor (dlib ResNet-34, 150×150 face chips). dlib's own chips put the eye
 * centres about 0.35 of the side apart, at (0.318, 0.314) and (0.669, 0.314). Of the placements
 * tried on face-api's sample photos (eye distance 0.30–0.40, height 0.25–0.36), this one — dlib's
 * spacing, eyes a little higher, so more chin — separated the repeated person from different
 * people best; a wider, lower placement (0.40 apart at 0.36) was the worst. The differences
 * were small (see face.test.ts for the similarities it prints).
 */
export const DESCRIPTOR_TEMPLATE: CropTemplate = {
  size: 150,
  eyes: { left: { x: 0.325, y: 0.28 }, right: { x: 0.675, y: 0.28 } },
};

/** The same crop centre with `factor` times the field of view: more margin around the face. */
export function zoomOutTemplate(
  template: CropTemplate,
  factor: number,
  size: number,
): CropTemplate {
  const toward = (p: { x: number; y: number }): { x: number; y: number } => ({
    x: 0.5 + (p.x - 0.5) / factor,
    y: 0.5 + (p.y - 0.5) / factor,
  });
  return { size, eyes: { left: toward(template.eyes.left), right: toward(template.eyes.right) } };
}

/**
 * For the ResNet50 encoders (224×224): the looser, VGGFace2-style crop — the descriptor chip's
 * region enlarged 1.3× about its centre (VGGFace2 enlarges the face box by 30%). Eyes land at
 * about (0.365, 0.331) and (0.635, 0.331): whole face, chin and some hair and background.
 */
export const RESNET_TEMPLATE: CropTemplate = zoomOutTemplate(DESCRIPTOR_TEMPLATE, 1.3, 224);

/** Rotated, scaled and shifted so the eyes land on the template; RGB, `size`×`size`. */
export function alignFace(
  image: PixelImage,
  eyes: EyePair,
  template: CropTemplate,
  size: number = template.size,
): PixelImage {
  assertPixelImage(image);
  return warpAffine(image, eyeAlignmentTransform(eyes, template.eyes, size), size, size);
}

/**
 * A square crop around a detector box, not rotated: the framing of datasets whose images are
 * detector crops (Families in the Wild's 224×224 faces). The square's side is `scale` × the
 * box's longer side, centred on the box; `size`×`size` out.
 */
export function faceBoxCrop(image: PixelImage, box: Box, size: number, scale: number): PixelImage {
  assertPixelImage(image);
  const side = Math.max(box.width, box.height) * scale;
  const k = size / side;
  const left = box.x + box.width / 2 - side / 2;
  const top = box.y + box.height / 2 - side / 2;
  return warpAffine(image, { a: k, b: 0, c: 0, d: k, e: -left * k, f: -top * k }, size, size);
}

/**
 * "Use the whole image as the face": the image scaled into a `size`×`size` square, centred,
 * aspect kept. 'crop' (default) fills the square and cuts the longer side evenly, the way
 * VGGFace2 preprocesses (shorter side fit, centre crop); 'pad' keeps everything and fills the
 * rest with black.
 */
export function wholeImageCrop(
  image: PixelImage,
  size: number,
  fit: 'crop' | 'pad' = 'crop',
): PixelImage {
  return warpAffine(image, fitSquareTransform(image.width, image.height, size, fit), size, size);
}

/** The inputs for every encoder from one face (or the whole image when `eyes` is null). */
export function encoderCrops(
  image: PixelImage,
  eyes: EyePair | null,
  fit: 'crop' | 'pad' = 'crop',
): { descriptor: PixelImage; resnet: PixelImage } {
  if (!eyes) {
    return {
      descriptor: wholeImageCrop(image, DESCRIPTOR_TEMPLATE.size, fit),
      resnet: wholeImageCrop(image, RESNET_TEMPLATE.size, fit),
    };
  }
  return {
    descriptor: alignFace(image, eyes, DESCRIPTOR_TEMPLATE),
    resnet: alignFace(image, eyes, RESNET_TEMPLATE),
  };
}
