import { describe, expect, it } from 'vitest';
import {
  INVENTORY_KEY,
  describeLoss,
  readInventory,
  writeInventory,
  type KeyValueStore,
  type SavedInventory,
} from './saved-inventory';

function memoryStorage(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
  };
}

const label = (id: string): string =>
  ({ 'face-descriptor': 'Face descriptor', 'resnet50-vggface': 'ResNet50 · VGGFace2' })[id] ?? id;

describe('saved inventory', () => {
  it('round-trips, and reads garbage or nothing as a first visit', () => {
    const storage = memoryStorage();
    expect(readInventory(storage)).toBeNull();
    const inv: SavedInventory = { encoders: ['resnet50-vggface'], heads: [], embeddings: 3 };
    writeInventory(inv, storage);
    expect(readInventory(storage)).toEqual(inv);
    storage.data.set(INVENTORY_KEY, '{not json');
    expect(readInventory(storage)).toBeNull();
    storage.data.set(INVENTORY_KEY, '{"encoders":"x"}');
    expect(readInventory(storage)).toBeNull();
    expect(readInventory(undefined)).toBeNull();
  });

  it('names what disappeared, and nothing when data only grew or was never there', () => {
    const before: SavedInventory = {
      encoders: ['resnet50-vggface'],
      heads: ['face-descriptor', 'resnet50-vggface'],
      embeddings: 1234,
    };
    expect(describeLoss(before, { encoders: [], heads: [], embeddings: 0 }, label)).toBe(
      'the ResNet50 · VGGFace2 encoder, the trained head for Face descriptor, the trained head ' +
        'for ResNet50 · VGGFace2, 1,234 cached embeddings',
    );
    expect(describeLoss(before, { ...before, heads: ['resnet50-vggface'] }, label)).toBe(
      'the trained head for Face descriptor',
    );
    expect(describeLoss(before, { ...before, embeddings: 2000 }, label)).toBeNull();
    // Fewer embeddings (the user cleared one encoder's cache) is not a loss; none at all is.
    expect(describeLoss(before, { ...before, embeddings: 10 }, label)).toBeNull();
  });
});
