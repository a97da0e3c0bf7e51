/**
 * The single tfjs import seam. ML code imports `tf` from here so the same modules run in the
 * browser worker, in Node unit tests (cpu backend) and in the CLI.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type { Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Rank } from '@tensorflow/tfjs';
