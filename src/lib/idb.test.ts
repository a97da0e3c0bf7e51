import 'fake-indexeddb/auto';
import { forceCloseDatabase } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { KinshipError } from './errors';
import { Database, deleteDatabases, onStorageLost, toStorageError } from './idb';

const STORE = 'things';

/** A factory that hands the test every raw connection it opens. */
function spyingFactory(): { factory: IDBFactory; connections: IDBDatabase[] } {
  const connections: IDBDatabase[] = [];
  const factory = {
    open(name: string, version?: number) {
      const request = indexedDB.open(name, version);
      request.addEventListener('success', () => connections.push(request.result));
      return request;
    },
    deleteDatabase: (name: string) => indexedDB.deleteDatabase(name),
    databases: () => indexedDB.databases(),
    cmp: (a: unknown, b: unknown) => indexedDB.cmp(a, b),
  } as IDBFactory;
  return { factory, connections };
}

async function openTestDb(factory?: IDBFactory): Promise<Database> {
  return Database.open({
    name: `idb-test-${Math.random()}`,
    version: 1,
    factory,
    upgrade: (db) => {
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE);
    },
  });
}

const put = (db: Database, key: string, value: string): Promise<IDBRequest> =>
  db.run(STORE, 'readwrite', `the thing ${key}`, (tx) => tx.objectStore(STORE).put(value, key));
const get = async (db: Database, key: string): Promise<unknown> =>
  (await db.run(STORE, 'readonly', 'things', (tx) => tx.objectStore(STORE).get(key))).result;

describe('Database', () => {
  it('returns request results after the transaction commits', async () => {
    const db = await openTestDb();
    await put(db, 'a', 'apple');
    expect(await get(db, 'a')).toBe('apple');
    expect(await get(db, 'missing')).toBeUndefined();
    db.close();
  });

  it('reopens after the browser closes the connection by force and tells listeners', async () => {
    const { factory, connections } = spyingFactory();
    const db = await openTestDb(factory);
    await put(db, 'a', 'apple');
    const lost: string[] = [];
    const unsubscribe = onStorageLost((name) => lost.push(name));
    // What Chromium does when the user clears site data: close, then a "close" event.
    // (fake-indexeddb's types ask for the class where it takes a connection.)
    forceCloseDatabase(connections[0] as unknown as typeof IDBDatabase);
    expect(lost).toEqual([db.name]);
    expect(await get(db, 'a')).toBe('apple');
    await put(db, 'b', 'banana');
    expect(connections).toHaveLength(2);
    unsubscribe();
    db.close();
  });

  it('reopens when the close event has not arrived yet (InvalidStateError)', async () => {
    const { factory, connections } = spyingFactory();
    const db = await openTestDb(factory);
    (connections[0] as IDBDatabase).close();
    await put(db, 'a', 'apple');
    expect(await get(db, 'a')).toBe('apple');
    expect(connections).toHaveLength(2);
    db.close();
  });

  it('lets a deletion through and recreates empty stores on next use', async () => {
    const db = await openTestDb();
    await put(db, 'a', 'apple');
    expect(await deleteDatabases(db.name)).toEqual([db.name]);
    expect(await get(db, 'a')).toBeUndefined();
    await put(db, 'a', 'avocado');
    expect(await get(db, 'a')).toBe('avocado');
    db.close();
  });

  it('aborts the transaction when the body throws, keeping earlier data', async () => {
    const db = await openTestDb();
    await put(db, 'a', 'apple');
    const failing = db.run(STORE, 'readwrite', 'the thing b', (tx) => {
      tx.objectStore(STORE).put('banana', 'b');
      throw new DOMException('disk full', 'QuotaExceededError');
    });
    await expect(failing).rejects.toMatchObject({ code: 'STORAGE_QUOTA' });
    expect(await get(db, 'b')).toBeUndefined();
    expect(await get(db, 'a')).toBe('apple');
    db.close();
  });
});

describe('toStorageError', () => {
  it('says what was not saved when the quota is full, and how to free space', () => {
    const e = toStorageError(new DOMException('x', 'QuotaExceededError'), 'the head', true);
    expect(e.code).toBe('STORAGE_QUOTA');
    expect(e.message).toBe(
      "The browser's storage for this site is full, so the head was not saved. Free space by " +
        'clearing cached embeddings (Fine-tune tab) or removing an encoder (Encoders tab).',
    );
  });

  it('names the action for other failures and keeps KinshipErrors as they are', () => {
    expect(toStorageError(new DOMException('gone', 'UnknownError'), 'the head', true).message).toBe(
      'Could not update the head in browser storage: gone',
    );
    expect(toStorageError(new Error('io'), 'saved heads', false).message).toBe(
      'Could not read saved heads from browser storage: io',
    );
    const original = new KinshipError('STORAGE', 'kept');
    expect(toStorageError(original, 'x', true)).toBe(original);
  });
});
