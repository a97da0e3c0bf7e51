/**
 * A tiny real encoder for pipeline tests: the per-channel mean and spread of the crop (6-d),
 * computed from the pixels it is given, with a count of the images it embedded. It lets tests
 * of caching, fusing and batching run in milliseconds and check exact values.
 */
import type { CropKind, Encoder, EncoderId } from '../ml/encoders/types';
import type { PixelImage } from '../ml/face/pixels';

export interface CountingEncoder extends Encoder {
  /** Images embedded so far. */
  embedded: number;
}

export function channelStats(crop: PixelImage): Float32Array {
  const c = crop.channels;
  const n = crop.width * crop.height;
  const out = new Float32Array(6);
  for (let k = 0; k < 3; k++) {
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const v = crop.data[i * c + k] ?? 0;
      sum += v;
      sq += v * v;
    }
    const mean = sum / n;
    out[k] = mean;
    out[k + 3] = Math.sqrt(Math.max(0, sq / n - mean * mean));
  }
  return out;
}

export function createChannelMeanEncoder(
  id: EncoderId,
  crop: CropKind,
  inputSize: number,
): CountingEncoder {
  const encoder: CountingEncoder = {
    id,
    label: `channel stats as ${id}`,
    dim: 6,
    inputSize,
    crop,
    identity: `test-channel-stats/${id}/${crop}${inputSize}`,
    builtIn: false,
    embedded: 0,
    embed: (crops) => {
      for (const c of crops) {
        if (c.width !== inputSize || c.height !== inputSize)
          throw new RangeError(`${id}: expected ${inputSize}² crops, got ${c.width}×${c.height}`);
      }
      encoder.embedded += crops.length;
      return Promise.resolve(crops.map(channelStats));
    },
    dispose: () => undefined,
  };
  return encoder;
}
