/**
 * Trained heads saved per encoder in IndexedDB, so a reload keeps them. One record per encoder
 * id; saving a new head for an encoder replaces the old one.
 */
import { openDatabase, requestToPromise, transactionDone } from './idb';

export const HEAD_DB_NAME = 'kinlens-heads';
const STORE = 'heads';

export interface StoredHead {
  /** Encoder id ('face-descriptor', 'resnet50-vggface', …). */
  encoderId: string;
  /** model.json text, weights.bin bytes and meta.json text, as exported. */
  modelJson: string;
  weightsBin: ArrayBuffer;
  metaJson: string;
  savedAt: string;
}

export class HeadStore {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(factory?: IDBFactory, name = HEAD_DB_NAME): Promise<HeadStore> {
    const db = await openDatabase(
      name,
      1,
      (d) => {
        if (!d.objectStoreNames.contains(STORE))
          d.createObjectStore(STORE, { keyPath: 'encoderId' });
      },
      factory,
    );
    return new HeadStore(db);
  }

  async put(head: StoredHead): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(head);
    await transactionDone(tx, `the trained head for ${head.encoderId}`);
  }

  async get(encoderId: string): Promise<StoredHead | undefined> {
    const tx = this.db.transaction(STORE, 'readonly');
    return requestToPromise(
      tx.objectStore(STORE).get(encoderId) as IDBRequest<StoredHead | undefined>,
      'read a head',
    );
  }

  async list(): Promise<StoredHead[]> {
    const tx = this.db.transaction(STORE, 'readonly');
    return requestToPromise(
      tx.objectStore(STORE).getAll() as IDBRequest<StoredHead[]>,
      'list heads',
    );
  }

  async delete(encoderId: string): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).delete(encoderId);
    await transactionDone(tx, `remove the head for ${encoderId}`);
  }

  close(): void {
    this.db.close();
  }
}
