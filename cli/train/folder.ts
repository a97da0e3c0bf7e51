/** A dataset folder on disk as the fine-tuning core takes it: relative paths + lazy Blobs. */
import { openAsBlob } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { KinshipError } from '../../src/lib/errors';
import type { DatasetFile } from '../../src/finetune/types';

/**
 * Every file under `folder`, with paths that start with the folder's name — as a browser gives
 * a dropped folder (webkitRelativePath), so the dataset and its heads get the same name.
 */
export async function readDatasetFolder(folder: string): Promise<DatasetFile[]> {
  const root = resolve(folder);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) {
    throw new KinshipError('DATASET_FORMAT', 'is not a folder', { file: folder });
  }
  const parent = resolve(root, '..');
  const out: DatasetFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) {
        out.push({
          path: relative(parent, full).split(sep).join('/'),
          file: await openAsBlob(full),
        });
      }
    }
  };
  await walk(root);
  if (out.length === 0)
    throw new KinshipError('DATASET_FORMAT', 'the folder is empty', { file: basename(root) });
  return out;
}
