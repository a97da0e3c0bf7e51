/**
 * The CLI's embedding cache on disk, keyed exactly as the browser's IndexedDB cache: the
 * feature identity (encoder identity + crop mode, e.g. "face-descriptor/face-api-1.7.15/pre1/crop")
 * and the SHA-256 of the image file. One folder per identity (named by the identity's hash, the
 * identity itself in identity.txt), one little-endian float32 file per image.
 */
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256HexSync } from '../../src/lib/hash';
import type { CachedEmbedding } from '../../src/data/embedding-cache';
import type { EmbeddingStore } from '../../src/finetune/types';

export class DiskEmbeddingStore implements EmbeddingStore {
  constructor(readonly root: string) {}

  private dirOf(identity: string): string {
    return join(this.root, sha256HexSync(new TextEncoder().encode(identity)).slice(0, 32));
  }

  async getMany(
    identity: string,
    hashes: readonly string[],
  ): Promise<(Float32Array | undefined)[]> {
    const dir = this.dirOf(identity);
    return Promise.all(
      hashes.map(async (hash) => {
        try {
          const bytes = await readFile(join(dir, `${hash}.f32`));
          if (bytes.byteLength === 0 || bytes.byteLength % 4 !== 0) return undefined;
          return new Float32Array(
            bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
          );
        } catch {
          return undefined; // not cached
        }
      }),
    );
  }

  async putMany(identity: string, records: CachedEmbedding[]): Promise<void> {
    const dir = this.dirOf(identity);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'identity.txt'), `${identity}\n`);
    for (const { hash, vector } of records) {
      const target = join(dir, `${hash}.f32`);
      // Written whole, then renamed: an interrupted run never leaves a truncated vector.
      await writeFile(
        `${target}.tmp`,
        new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength),
      );
      await rename(`${target}.tmp`, target);
    }
  }
}
