/**
 * h5wasm, loaded once and lazily (it is ~4 MB of wasm), through its ESM entry. That entry embeds
 * the wasm binary and uses the in-memory emscripten FS, so the same code path runs in the
 * browser worker, in Node tests and in the CLI.
 *
 * Memory: the file's bytes are handed to the emscripten FS without a copy (`canOwn`), datasets are
 * read one at a time, and the FS entry is unlinked afterwards. In a worker, a Blob (a dropped
 * File) is mounted through WORKERFS instead, which reads lazily and never holds the whole file.
 */
import { KinshipError } from '../../lib/errors';
import type { File as H5File, Group as H5Group, Dataset as H5Dataset } from 'h5wasm';

export type { H5File, H5Group, H5Dataset };

type H5wasmModule = typeof import('h5wasm');

/** The part of the emscripten FS API used here (its bundled typings omit `canOwn`). */
interface EmscriptenFs {
  writeFile(path: string, data: Uint8Array, opts?: { canOwn?: boolean }): void;
  readFile(path: string): Uint8Array;
  unlink(path: string): void;
  lookupPath(path: string): { node: object };
  mkdir(path: string): void;
  rmdir(path: string): void;
  mount(type: unknown, opts: { blobs: { name: string; data: Blob }[] }, mountpoint: string): void;
  unmount(mountpoint: string): void;
  filesystems: { WORKERFS: unknown };
}

export interface H5Runtime {
  h5: H5wasmModule['default'];
  fs: EmscriptenFs;
}

let runtime: Promise<H5Runtime> | null = null;

/** Lines of HDF5's C error stack ("HDF5-DIAG: Error detected…", "  #003: …", "    major: …"). */
const HDF5_DIAG = /^(HDF5-DIAG|\s+#\d{3}:|\s+(major|minor):)/;

/**
 * HDF5 prints its whole error stack to stderr whenever a file cannot be opened; our loader throws
 * its own message for that, so those lines would only be noise in the console. Emscripten binds
 * its stderr to `console.error` when the module is created, so a filter installed around the
 * import applies for the module's lifetime and passes every other message through.
 */
async function importQuietly(): Promise<H5wasmModule> {
  const original = console.error;
  console.error = (...args: unknown[]): void => {
    if (HDF5_DIAG.test(String(args[0] ?? ''))) return;
    original(...args);
  };
  try {
    return await import('h5wasm');
  } finally {
    console.error = original;
  }
}

export function getH5Runtime(): Promise<H5Runtime> {
  runtime ??= (async () => {
    const mod = await importQuietly();
    const h5 = mod.default;
    const module = await h5.ready;
    return { h5, fs: module.FS as unknown as EmscriptenFs };
  })();
  return runtime;
}

export type H5Source = ArrayBuffer | Uint8Array | Blob;

let fileCounter = 0;

function hasFileReaderSync(): boolean {
  return typeof (globalThis as { FileReaderSync?: unknown }).FileReaderSync === 'function';
}

/**
 * Opens `source` read-only, runs `fn`, then closes the file and removes it from the emscripten
 * FS, also on error. `source` bytes are owned by the FS while `fn` runs: do not modify them.
 */
export async function withH5File<T>(
  source: H5Source,
  fn: (file: H5File, rt: H5Runtime) => Promise<T>,
): Promise<T> {
  const rt = await getH5Runtime();
  const id = ++fileCounter;
  let path: string;
  let cleanup: () => void;
  if (source instanceof Blob && hasFileReaderSync()) {
    const dir = `/kinlens-h5-mount-${id}`;
    rt.fs.mkdir(dir);
    rt.fs.mount(rt.fs.filesystems.WORKERFS, { blobs: [{ name: 'weights.h5', data: source }] }, dir);
    path = `${dir}/weights.h5`;
    cleanup = () => {
      rt.fs.unmount(dir);
      rt.fs.rmdir(dir);
    };
  } else {
    const bytes =
      source instanceof Blob
        ? new Uint8Array(await source.arrayBuffer())
        : source instanceof Uint8Array
          ? source
          : new Uint8Array(source);
    path = `/kinlens-h5-${id}.h5`;
    rt.fs.writeFile(path, bytes, { canOwn: true });
    cleanup = () => rt.fs.unlink(path);
  }
  try {
    const file = openReadOnly(rt, path);
    try {
      return await fn(file, rt);
    } finally {
      file.close();
    }
  } finally {
    cleanup();
  }
}

/** h5wasm signals a file HDF5 cannot open with a negative id rather than by throwing. */
function openReadOnly(rt: H5Runtime, path: string): H5File {
  let file: H5File | null = null;
  let cause: unknown;
  try {
    file = new rt.h5.File(path, 'r');
  } catch (e) {
    cause = e;
  }
  if (file && file.file_id >= 0n) return file;
  throw new KinshipError('WEIGHTS_FORMAT', 'not an HDF5 file (.h5), or the file is damaged', {
    cause,
  });
}

/**
 * Creates an HDF5 file in memory, lets `fn` fill it, and returns its bytes. `sizeHint` (bytes)
 * reserves room up front: MEMFS grows a file by only 12.5 % per step above 1 MiB, which makes
 * writing a 94 MB file several times slower (see reserveCapacity).
 */
export async function createH5Bytes(
  fn: (file: H5File, rt: H5Runtime) => void,
  sizeHint = 0,
): Promise<Uint8Array> {
  const rt = await getH5Runtime();
  const path = `/kinlens-h5-new-${++fileCounter}.h5`;
  const file = new rt.h5.File(path, 'w');
  try {
    try {
      reserveCapacity(rt, path, sizeHint);
      fn(file, rt);
    } finally {
      file.close();
    }
    return rt.fs.readFile(path);
  } finally {
    rt.fs.unlink(path);
  }
}

/** Opens a copy of `bytes` for writing, lets `fn` change it, and returns the new bytes. */
export async function editH5Bytes(
  bytes: Uint8Array,
  fn: (file: H5File, rt: H5Runtime) => void,
): Promise<Uint8Array> {
  const rt = await getH5Runtime();
  const path = `/kinlens-h5-edit-${++fileCounter}.h5`;
  rt.fs.writeFile(path, bytes);
  try {
    const file = new rt.h5.File(path, 'a');
    try {
      fn(file, rt);
    } finally {
      file.close();
    }
    return rt.fs.readFile(path);
  } finally {
    rt.fs.unlink(path);
  }
}

/**
 * Gives a MEMFS file a larger backing array without changing its size (MEMFS keeps `contents`
 * with spare capacity and `usedBytes` as the size). Skipped if the node does not look like that.
 */
function reserveCapacity(rt: H5Runtime, path: string, bytes: number): void {
  const node = rt.fs.lookupPath(path).node as { contents?: unknown; usedBytes?: unknown };
  const { contents, usedBytes } = node;
  if (!ArrayBuffer.isView(contents) || typeof usedBytes !== 'number') return;
  if (bytes <= contents.byteLength) return;
  const grown = new Uint8Array(bytes);
  grown.set(new Uint8Array(contents.buffer, contents.byteOffset, usedBytes));
  node.contents = grown;
}

/** Whether `entity` is an HDF5 group (h5wasm returns Group, Dataset, links or null). */
export function isH5Group(rt: H5Runtime, entity: unknown): entity is H5Group {
  return entity instanceof rt.h5.Group;
}

export function isH5Dataset(rt: H5Runtime, entity: unknown): entity is H5Dataset {
  return entity instanceof rt.h5.Dataset;
}
