/**
 * The one IndexedDB layer of the app (encoders, embedding cache, trained heads), on the plain
 * API so it works on the main thread, in the worker and, with fake-indexeddb, in Node tests.
 *
 * - Errors become KinshipErrors: a full quota is STORAGE_QUOTA naming what was not saved.
 * - A connection the browser closes by force (the user cleared site data, storage was evicted)
 *   is reopened on next use, recreating empty stores, and reported to `onStorageLost`
 *   listeners so the app can say what is no longer saved.
 */
import { KinshipError } from './errors';

/** Every database the app keeps, under one prefix so "clear all local data" finds them. */
export const DB_PREFIX = 'kinlens';
export const DB_NAMES = {
  encoders: `${DB_PREFIX}-encoders`,
  embeddings: `${DB_PREFIX}-embeddings`,
  heads: `${DB_PREFIX}-heads`,
} as const;

export interface DatabaseSpec {
  name: string;
  version: number;
  /** Creates the object stores; runs on first open and after the database was deleted. */
  upgrade: (db: IDBDatabase) => void;
  /** Defaults to the global `indexedDB`. */
  factory?: IDBFactory | undefined;
}

type StorageLostListener = (databaseName: string) => void;
const storageLostListeners = new Set<StorageLostListener>();

/** Called when the browser closes one of our databases by force; returns an unsubscribe. */
export function onStorageLost(listener: StorageLostListener): () => void {
  storageLostListeners.add(listener);
  return () => storageLostListeners.delete(listener);
}

export class Database {
  private connection: Promise<IDBDatabase> | null = null;

  private constructor(private readonly spec: DatabaseSpec) {}

  /** Opens at once, so a browser without usable IndexedDB fails here rather than later. */
  static async open(spec: DatabaseSpec): Promise<Database> {
    const db = new Database(spec);
    await db.connect();
    return db;
  }

  get name(): string {
    return this.spec.name;
  }

  /**
   * Runs `body` synchronously in a new transaction and resolves with what it returned once the
   * transaction has committed (read request results from it then). Rejects with a KinshipError
   * saying what could not be done: `what` names the data, e.g. "the trained head for X".
   */
  async run<R>(
    stores: string | string[],
    mode: IDBTransactionMode,
    what: string,
    body: (tx: IDBTransaction) => R,
  ): Promise<R> {
    const tx = await this.transaction(stores, mode);
    const finished = transactionDone(tx, what, mode === 'readwrite');
    let value: R;
    try {
      value = body(tx);
    } catch (e) {
      tx.abort();
      void finished.catch(() => undefined);
      throw toStorageError(e, what, mode === 'readwrite');
    }
    await finished;
    return value;
  }

  close(): void {
    const connection = this.connection;
    this.connection = null;
    void connection?.then((db) => db.close()).catch(() => undefined);
  }

  private async transaction(
    stores: string | string[],
    mode: IDBTransactionMode,
  ): Promise<IDBTransaction> {
    const db = await this.connect();
    try {
      return db.transaction(stores, mode);
    } catch (e) {
      // The browser closed the connection and its close event has not reached us yet.
      if (!(e instanceof DOMException) || e.name !== 'InvalidStateError') throw e;
      this.connection = null;
      return (await this.connect()).transaction(stores, mode);
    }
  }

  private connect(): Promise<IDBDatabase> {
    this.connection ??= openConnection(this.spec, () => {
      this.connection = null;
    }).catch((e: unknown) => {
      this.connection = null;
      throw e;
    });
    return this.connection;
  }
}

function openConnection(spec: DatabaseSpec, forget: () => void): Promise<IDBDatabase> {
  const factory = spec.factory ?? globalThis.indexedDB;
  if (!factory) {
    return Promise.reject(
      new KinshipError(
        'STORAGE',
        'IndexedDB is not available in this browser, so nothing is saved',
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const request = factory.open(spec.name, spec.version);
    request.onupgradeneeded = () => spec.upgrade(request.result);
    request.onerror = () =>
      reject(toStorageError(request.error, `the ${spec.name} database`, false));
    request.onblocked = () => undefined; // Resolves once the other tab lets go.
    request.onsuccess = () => {
      const db = request.result;
      // Another tab (or our own "clear all data") wants to upgrade or delete: let it.
      db.onversionchange = () => {
        db.close();
        forget();
      };
      // Only fired when the browser closes the connection by force.
      db.onclose = () => {
        forget();
        for (const listener of storageLostListeners) listener(spec.name);
      };
      resolve(db);
    };
  });
}

/**
 * Resolves when the transaction commits. A failed request aborts its transaction, so rejection
 * happens once, in onabort (a full quota often only shows at commit).
 */
function transactionDone(tx: IDBTransaction, what: string, saving = true): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () =>
      reject(toStorageError(tx.error ?? 'the transaction was aborted', what, saving));
  });
}

export function isQuotaError(e: unknown): boolean {
  if (e instanceof KinshipError) return e.code === 'STORAGE_QUOTA';
  if (typeof e !== 'object' || e === null) return false;
  const name = (e as { name?: unknown }).name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/** `what` names the data: "the trained head for X", "cached embeddings". */
export function toStorageError(e: unknown, what: string, saving: boolean): KinshipError {
  if (e instanceof KinshipError) return e;
  if (isQuotaError(e)) {
    return new KinshipError(
      'STORAGE_QUOTA',
      `The browser's storage for this site is full, so ${what} was not saved. Free space by ` +
        'clearing cached embeddings (Fine-tune tab) or removing an encoder (Encoders tab).',
      { cause: e },
    );
  }
  const detail = e instanceof Error || e instanceof DOMException ? e.message : String(e);
  const action = saving ? `update ${what} in` : `read ${what} from`;
  return new KinshipError('STORAGE', `Could not ${action} browser storage: ${detail}`, {
    cause: e,
  });
}

/** Deletes every database whose name starts with `prefix` (e.g. "kinlens"). */
export async function deleteDatabases(
  prefix: string,
  factory: IDBFactory = globalThis.indexedDB,
): Promise<string[]> {
  const names = ((await factory.databases?.()) ?? [])
    .map((d) => d.name ?? '')
    .filter((name) => name.startsWith(prefix));
  await Promise.all(
    names.map(
      (name) =>
        new Promise<void>((resolve) => {
          const req = factory.deleteDatabase(name);
          req.onsuccess = req.onerror = req.onblocked = () => resolve();
        }),
    ),
  );
  return names;
}
