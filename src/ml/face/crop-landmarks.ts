/**
 * The landmark stage of fast crop alignment: the 68-point net run on many images in one forward
 * pass, each seen through its own framing (image → 112×112 net input), points mapped back to
 * image coordinates.
 */
import { tf, type Tensor3D } from '../tf';
import { faceNet } from './faceApi';
import { applyAffine, invertAffine, type Affine, type EyeTemplate, type Point } from './geometry';
import { pixelsToTensor, type PixelImage } from './pixels';
import { warpAffine } from './resample';

/** Input side of the 68-point landmark net. */
export const LANDMARK_INPUT_SIZE = 112;

/**
 * Image → landmark-net input with the whole image as the face box: the square of its longer
 * side around its centre (as detect.ts frames a box), so a non-square crop is not squeezed.
 */
export function wholeImageFraming(image: PixelImage): Affine {
  return centredFraming(image, 1);
}

/**
 * Image → landmark-net input framed on the central square of `fraction` × the longer side: a
 * closer look at a loosely cropped face (one that fills only the middle of its image).
 */
export function centredFraming(image: PixelImage, fraction: number): Affine {
  const side = Math.max(image.width, image.height) * fraction;
  const k = LANDMARK_INPUT_SIZE / side;
  return {
    a: k,
    b: 0,
    c: 0,
    d: k,
    e: ((side - image.width) / 2) * k,
    f: ((side - image.height) / 2) * k,
  };
}

/**
 * Where the landmark net's input has the eyes when it is framed from a detector box (the square
 * of the box's longer side, as detect.ts crops): the mean over the 19 faces of face-api's demo
 * photos the SSD detector is sure of (score ≥ 0.85), eye distance 0.326 ± 0.024 of the side.
 * The refining pass frames each face this way, upright, as the net was trained to see faces.
 */
export const LANDMARK_FRAMING: EyeTemplate = {
  left: { x: 0.325, y: 0.435 },
  right: { x: 0.651, y: 0.435 },
};

/**
 * 68 landmarks per image (image coordinates), each image seen through `framings[i]` (image →
 * 112×112 net input): one forward pass and one read-back for all.
 */
export async function landmarksThrough(
  images: readonly PixelImage[],
  framings: readonly Affine[],
): Promise<Point[][]> {
  const inputs: Tensor3D[] = images.map((image, i) =>
    pixelsToTensor(
      warpAffine(image, framings[i] as Affine, LANDMARK_INPUT_SIZE, LANDMARK_INPUT_SIZE),
    ),
  );
  let output: tf.Tensor | null = null;
  try {
    output = await faceNet('faceLandmark68Net').forward(inputs);
    const values = await output.data();
    return images.map((_, i) => {
      const toImage = invertAffine(framings[i] as Affine);
      // Outputs are fractions of the square net input.
      return Array.from({ length: 68 }, (_, k) =>
        applyAffine(toImage, {
          x: (values[i * 136 + 2 * k] as number) * LANDMARK_INPUT_SIZE,
          y: (values[i * 136 + 2 * k + 1] as number) * LANDMARK_INPUT_SIZE,
        }),
      );
    });
  } finally {
    tf.dispose(inputs);
    if (output) output.dispose();
  }
}
