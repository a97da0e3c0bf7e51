/**
 * Noticing saved data that disappeared between visits. Browsers evict a site's IndexedDB when
 * the disk runs low (unless storage is persistent) without telling the page; localStorage is not
 * part of that eviction in Chromium, while "clear site data" removes both. So a small record of
 * what was saved, kept in localStorage, tells eviction apart from a deliberate clean-up.
 */
import { readJson, writeJson, type KeyValueStore } from './local-json';

export type { KeyValueStore };

export interface SavedInventory {
  /** Encoder ids whose weights are stored. */
  encoders: string[];
  /** Encoder ids with a saved head. */
  heads: string[];
  /** Cached embeddings, all encoders. */
  embeddings: number;
}

export const INVENTORY_KEY = 'kinlens.saved-inventory';

export function readInventory(storage?: KeyValueStore): SavedInventory | null {
  const v = readJson(INVENTORY_KEY, storage) as Partial<SavedInventory> | null;
  if (!v || !Array.isArray(v.encoders) || !Array.isArray(v.heads)) return null;
  if (typeof v.embeddings !== 'number') return null;
  return { encoders: v.encoders.map(String), heads: v.heads.map(String), embeddings: v.embeddings };
}

export function writeInventory(inventory: SavedInventory, storage?: KeyValueStore): void {
  writeJson(INVENTORY_KEY, inventory, storage);
}

/**
 * What was saved before and is gone now, in words ("the ResNet50 · VGGFace2 encoder, the trained
 * head for Face descriptor, 150 cached embeddings"); null when nothing is missing.
 */
export function describeLoss(
  before: SavedInventory,
  now: SavedInventory,
  labelOf: (encoderId: string) => string,
): string | null {
  const parts: string[] = [];
  const goneEncoders = before.encoders.filter((id) => !now.encoders.includes(id));
  const goneHeads = before.heads.filter((id) => !now.heads.includes(id));
  for (const id of goneEncoders) parts.push(`the ${labelOf(id)} encoder`);
  for (const id of goneHeads) parts.push(`the trained head for ${labelOf(id)}`);
  if (before.embeddings > 0 && now.embeddings === 0) {
    parts.push(`${before.embeddings.toLocaleString('en-US')} cached embeddings`);
  }
  return parts.length > 0 ? parts.join(', ') : null;
}
