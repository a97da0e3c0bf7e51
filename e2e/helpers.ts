import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import type { FiwFixture } from './fiw-fixture';

export interface DropFile {
  /** Path relative to the dropped folder (for folder drops) or a plain name. */
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export const SAMPLE_DIR = 'node_modules/@vladmandic/face-api/demo';
export const samplePhoto = (n: number): string => `${SAMPLE_DIR}/sample${n}.jpg`;

export function fileFromDisk(path: string, mimeType = 'image/jpeg'): DropFile {
  return { name: basename(path), mimeType, buffer: readFileSync(path) };
}

/**
 * A real drag-and-drop: builds File objects in the page and dispatches dragenter/dragover/drop
 * with a DataTransfer holding them, as the browser does for files dragged from the desktop.
 */
export async function dropFiles(page: Page, target: Locator, files: DropFile[]): Promise<void> {
  const payload = files.map((f) => ({
    name: f.name,
    mimeType: f.mimeType,
    data: f.buffer.toString('base64'),
  }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.data), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], item.name, { type: item.mimeType }));
    }
    return dt;
  }, payload);
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await target.dispatchEvent(type, { dataTransfer });
  }
  await dataTransfer.dispose();
}

/** Opens the Fine-tune tab and imports a generated FIW folder, waiting for its report. */
export async function importFolder(page: Page, fixture: FiwFixture): Promise<void> {
  await page.getByRole('tab', { name: 'Fine-tune' }).click();
  await page.getByTestId('dataset-input').setInputFiles(fixture.root);
  await expect(page.getByTestId('report-photos')).toHaveText(String(fixture.photos), {
    timeout: 60_000,
  });
}
