import type { DatasetEntry } from '../../worker/finetune';

/**
 * Turns a dropped folder (DataTransferItem directory entries) or a webkitdirectory file list into
 * `{path, file}` entries with paths relative to the dropped/picked folder's parent.
 */
export async function entriesFromDataTransfer(
  items: DataTransferItemList,
): Promise<DatasetEntry[]> {
  const roots: FileSystemEntry[] = [];
  for (const item of Array.from(items)) {
    const entry = item.kind === 'file' ? item.webkitGetAsEntry() : null;
    if (entry) roots.push(entry);
  }
  const out: DatasetEntry[] = [];
  for (const root of roots) await walk(root, out);
  return out;
}

async function walk(entry: FileSystemEntry, out: DatasetEntry[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    out.push({ path: entry.fullPath.replace(/^\//, ''), file });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most ~100 entries per call: keep reading until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, out);
  }
}

export function entriesFromFileList(files: FileList): DatasetEntry[] {
  return Array.from(files).map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** The top folder's name, for display. */
export function folderNameOf(entries: readonly DatasetEntry[]): string {
  const first = entries[0]?.path ?? '';
  return first.includes('/') ? (first.split('/')[0] ?? 'folder') : 'dropped files';
}
