/**
 * A tf.io load handler for a model.json on disk, doing what tfjs's http handler does for a URL:
 * read model.json, then every shard named in its weightsManifest relative to its folder. Lets
 * tests feed converted models to stock `tf.loadLayersModel`.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tf } from '../ml/tf';

export function fileHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          for (const path of group.paths) {
            const bytes = await readFile(join(dirname(modelJsonPath), path));
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
          }
        }
        return [tf.io.getWeightSpecs(manifest), tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}
