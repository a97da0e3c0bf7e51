/**
 * Trained heads saved per encoder in IndexedDB, so a reload keeps them. One record per encoder
 * id; saving a new head for an encoder replaces the old one.
 */
import { Database, DB_NAMES } from '../lib/idb';

export const HEAD_DB_NAME = DB_NAMES.heads;
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
  private constructor(private readonly db: Database) {}

  static async open(factory?: IDBFactory, name: string = HEAD_DB_NAME): Promise<HeadStore> {
    const db = await Database.open({
      name,
      version: 1,
      factory,
      upgrade: (d) => {
        if (!d.objectStoreNames.contains(STORE))
          d.createObjectStore(STORE, { keyPath: 'encoderId' });
      },
    });
    return new HeadStore(db);
  }

  async put(head: StoredHead): Promise<void> {
    await this.db.run(STORE, 'readwrite', `the trained head for ${head.encoderId}`, (tx) =>
      tx.objectStore(STORE).put(head),
    );
  }

  async get(encoderId: string): Promise<StoredHead | undefined> {
    const req = await this.db.run(STORE, 'readonly', 'saved heads', (tx) =>
      tx.objectStore(STORE).get(encoderId),
    );
    return req.result as StoredHead | undefined;
  }

  async list(): Promise<StoredHead[]> {
    const req = await this.db.run(STORE, 'readonly', 'saved heads', (tx) =>
      tx.objectStore(STORE).getAll(),
    );
    return req.result as StoredHead[];
  }

  /** Encoder ids with a saved head, without reading the heads themselves. */
  async ids(): Promise<string[]> {
    const req = await this.db.run(STORE, 'readonly', 'saved heads', (tx) =>
      tx.objectStore(STORE).getAllKeys(),
    );
    return req.result.map(String);
  }

  async delete(encoderId: string): Promise<void> {
    await this.db.run(STORE, 'readwrite', `the trained head for ${encoderId}`, (tx) =>
      tx.objectStore(STORE).delete(encoderId),
    );
  }

  close(): void {
    this.db.close();
  }
}
