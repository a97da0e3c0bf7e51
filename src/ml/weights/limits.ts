import { KinshipError } from '../../lib/errors';

/** Weight files above this are refused before any byte is read (a notop ResNet50 is ~94 MB). */
export const MAX_WEIGHTS_FILE_BYTES = 1024 ** 3;

export function assertWeightsFileSize(byteLength: number, file?: string): void {
  if (byteLength > MAX_WEIGHTS_FILE_BYTES) {
    const mb = (byteLength / 1024 ** 2).toFixed(0);
    throw new KinshipError(
      'FILE_TOO_LARGE',
      `${mb} MB is more than the 1 GB a weight file may have; a ResNet50 notop file is about 94 MB`,
      file ? { file } : {},
    );
  }
}

export function byteLengthOf(source: ArrayBuffer | ArrayBufferView | Blob): number {
  return source instanceof Blob ? source.size : source.byteLength;
}
