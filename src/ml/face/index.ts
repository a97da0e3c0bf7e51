/**
 * The face stack: find faces in a photo, align them, and describe them.
 *
 *   loadFaceModels({ baseUrl })             once; face-api's SSD / Tiny detectors, 68-point
 *                                           landmarks and the dlib ResNet-34 descriptor
 *   PixelImage (RGB/RGBA bytes, upright)    from createImageBitmap + OffscreenCanvas, or a
 *                                           Node decoder plus lib/exif's applyOrientation
 *   detectFaces(image)                      detector on an antialiased copy at its input size,
 *                                           landmarks from full-resolution crops; boxes,
 *                                           landmarks, eye centres in original coordinates,
 *                                           largest face first, a 96-px RGBA thumbnail each
 *   encoderCrops(image, face.eyes | null)   similarity-aligned crops sampled from the original
 *                                           pixels: 150 px tight (descriptor), 224 px loose
 *                                           (ResNet50); null = the whole image, centre-cropped
 *   alignFaceCrops(images, templates)       for images that already are face crops (datasets):
 *                                           batched landmarks on each whole crop, no detector;
 *                                           per-image fallbacks with counted reasons
 *   describeFaces(crops, { flipTTA })       128-d unit descriptors; cosine = dot product
 *
 * Images and crops are plain byte buffers: only the nets' own inputs become tensors, and every
 * call disposes what it creates (countLeakedTensors checks it in tests).
 */
export {
  loadFaceModels,
  faceModelsLoaded,
  type FaceModelSource,
  type LoadFaceModelsOptions,
} from './models';
export { setFaceApiBuild, FACE_NET_FILES } from './faceApi';
export { detectFaces, type DetectedFace, type DetectOptions, type DetectorKind } from './detect';
export {
  alignFace,
  encoderCrops,
  wholeImageCrop,
  zoomOutTemplate,
  DESCRIPTOR_TEMPLATE,
  RESNET_TEMPLATE,
  type CropTemplate,
} from './align';
export {
  alignFaceCrops,
  summarizeCropAlignment,
  type AlignedFaceCrop,
  type AlignFaceCropsOptions,
  type CropAlignMethod,
  type CropAlignSummary,
} from './crop-align';
export {
  describeFaces,
  cosineSimilarity,
  DESCRIPTOR_SIZE,
  DESCRIPTOR_INPUT_SIZE,
  type DescribeOptions,
} from './describe';
export {
  assertImageSize,
  assertPixelImage,
  pixelsToBatch,
  pixelsToTensor,
  toRgba,
  MAX_IMAGE_PIXELS,
  type PixelImage,
} from './pixels';
export type { Box, EyePair, Point } from './geometry';
export { countLeakedTensors } from './leaks';
