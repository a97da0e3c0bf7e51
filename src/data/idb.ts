/**
 * Small promise helpers over the plain IndexedDB API (works in the worker and, with
 * fake-indexeddb, in Node tests). Quota errors become STORAGE_QUOTA with what was not saved.
 */
import { KinshipError } from '../lib/errors';

export function requestToPromise<T>(request: IDBRequest<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(storageError(request.error, what));
  });
}

export function transactionDone(tx: IDBTransaction, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(storageError(tx.error, what));
    tx.onabort = () => reject(storageError(tx.error, what));
  });
}

export function storageError(error: DOMException | null, what: string): KinshipError {
  if (error?.name === 'QuotaExceededError') {
    return new KinshipError(
      'STORAGE_QUOTA',
      `The browser's storage is full, so ${what} was not saved. Free space by clearing cached embeddings or removing encoders.`,
      { cause: error },
    );
  }
  return new KinshipError(
    'STORAGE',
    `Could not ${what}: ${error?.message ?? 'unknown IndexedDB error'}`,
    {
      cause: error,
    },
  );
}

export function openDatabase(
  name: string,
  version: number,
  upgrade: (db: IDBDatabase) => void,
  factory: IDBFactory | undefined = globalThis.indexedDB,
): Promise<IDBDatabase> {
  if (!factory) throw new KinshipError('STORAGE', 'IndexedDB is not available in this browser');
  const request = factory.open(name, version);
  request.onupgradeneeded = () => upgrade(request.result);
  return requestToPromise(request, `open the ${name} database`).then((db) => {
    db.onversionchange = () => db.close();
    return db;
  });
}
