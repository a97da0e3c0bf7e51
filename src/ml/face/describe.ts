/**
 * The built-in face encoder: face-api's faceRecognitionNet, a port of dlib's ResNet-34 face
 * descriptor (128-d, 150×150 RGB 0–255 input), run from its weights as fused ops
 * (descriptor-net.ts). Descriptors are returned L2-normalised, so the cosine similarity of two
 * faces is their dot product.
 */
import { throwIfAborted } from '../../lib/abort';
import { tf, type Tensor, type Tensor4D } from '../tf';
import { assertFaceModelsLoaded, fusedDescriptorNet } from './models';
import { pixelsToBatch, type PixelImage } from './pixels';

export const DESCRIPTOR_SIZE = 128;
export const DESCRIPTOR_INPUT_SIZE = 150;

export interface DescribeOptions {
  /** Average with the descriptor of the mirrored crop (test-time augmentation). Default false. */
  flipTTA?: boolean;
  signal?: AbortSignal;
}

/** Crops per forward pass: bounds peak memory on large batches. */
const CHUNK = 16;

/**
 * 128-d unit descriptors, one per crop. Crops are 150×150 RGB 0–255: a batch tensor (not
 * disposed here) or pixel images (e.g. from `alignFace(…, DESCRIPTOR_TEMPLATE)`).
 */
export async function describeFaces(
  crops: Tensor4D | readonly PixelImage[],
  options: DescribeOptions = {},
): Promise<Float32Array[]> {
  assertFaceModelsLoaded();
  const { flipTTA = false, signal } = options;
  throwIfAborted(signal);
  const given = crops instanceof tf.Tensor ? crops : null;
  const images = crops instanceof tf.Tensor ? [] : crops;
  if (!given && images.length === 0) return [];
  const batch = given ?? pixelsToBatch(images);
  try {
    const [n, height, width, channels] = batch.shape;
    if (height !== DESCRIPTOR_INPUT_SIZE || width !== DESCRIPTOR_INPUT_SIZE || channels !== 3) {
      throw new RangeError(
        `describeFaces: expected crops of ${DESCRIPTOR_INPUT_SIZE}×${DESCRIPTOR_INPUT_SIZE}×3, got ${height}×${width}×${channels}`,
      );
    }
    const out: Float32Array[] = [];
    for (let start = 0; start < n; start += CHUNK) {
      throwIfAborted(signal);
      const chunk = tf.slice(batch, start, Math.min(CHUNK, n - start));
      try {
        const data = await describeChunk(chunk, flipTTA);
        for (let i = 0; i < chunk.shape[0]; i++) {
          out.push(data.slice(i * DESCRIPTOR_SIZE, (i + 1) * DESCRIPTOR_SIZE));
        }
      } finally {
        chunk.dispose();
      }
    }
    return out;
  } finally {
    if (!given) batch.dispose();
  }
}

async function describeChunk(chunk: Tensor4D, flipTTA: boolean): Promise<Float32Array> {
  const owned: Tensor[] = [];
  try {
    const net = fusedDescriptorNet();
    const raw = net.forward(chunk);
    owned.push(raw);
    let summed = raw;
    if (flipTTA) {
      const mirrored = tf.reverse(chunk, 2);
      owned.push(mirrored);
      const rawMirrored = net.forward(mirrored);
      owned.push(rawMirrored);
      summed = tf.add(raw, rawMirrored);
      owned.push(summed);
    }
    const unit = tf.tidy(() => tf.div(summed, tf.norm(summed, 'euclidean', 1, true)));
    owned.push(unit);
    return (await unit.data()) as Float32Array;
  } finally {
    tf.dispose(owned);
  }
}

/** Cosine similarity in [−1, 1]; for unit descriptors, their dot product. */
export { cosineSimilarity } from '../metrics/similarity';
