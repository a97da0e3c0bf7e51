import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from './browser';
import { makeTestWeightsFile } from '../cli/make-test-weights';
import { makeFiwFolder, type FiwFixture } from './fiw-fixture';
import { assertGuards, expect, guardContext, openApp, test } from './fixtures';
import { importFolder } from './helpers';

/** The page's origin, for CDP storage calls. */
function originOf(baseURL: string | undefined): string {
  return new URL(baseURL ?? 'http://127.0.0.1:4173/').origin;
}

/** savedAt of the stored head for an encoder, read straight from IndexedDB. */
async function storedHeadSavedAt(page: Page, encoderId: string): Promise<string | null> {
  return page.evaluate(
    (id) =>
      new Promise<string | null>((resolve, reject) => {
        const open = indexedDB.open('kinlens-heads');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const db = open.result;
          const req = db.transaction('heads').objectStore('heads').get(id);
          req.onsuccess = () => {
            db.close();
            resolve((req.result as { savedAt?: string } | undefined)?.savedAt ?? null);
          };
        };
      }),
    encoderId,
  );
}

async function importAndEncode(page: Page, fixture: FiwFixture): Promise<void> {
  await importFolder(page, fixture);
  await page.getByTestId('encode').click();
  await expect(page.getByTestId('encode-result')).toBeVisible({ timeout: 120_000 });
}

/**
 * Runs `body` in a browser session on a profile kept on disk, so the next session sees what
 * this one saved. With `quota`, the origin's quota is overridden before the app touches storage:
 * Chromium reads the quota when it first opens the origin's storage and keeps it while it runs.
 */
async function browserSession(
  profile: string,
  baseURL: string | undefined,
  quota: number | null,
  body: (page: Page) => Promise<void>,
  /** Runs before the app is opened, e.g. to remove stored data as an eviction would. */
  beforeOpen?: (cdp: CDPSession) => Promise<unknown>,
): Promise<void> {
  const context = await chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions(),
    baseURL: baseURL ?? 'http://127.0.0.1:4173/',
    viewport: { width: 1280, height: 800 },
  });
  const guards = guardContext(context, baseURL);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    if (quota !== null) {
      await cdp.send('Storage.overrideQuotaForOrigin', {
        origin: originOf(baseURL),
        quotaSize: quota,
      });
    }
    await beforeOpen?.(cdp);
    await openApp(page);
    await body(page);
  } finally {
    await context.close();
  }
  assertGuards(guards);
}

test('a full storage quota gives a clear notice; the encoder still works until a reload', async ({
  baseURL,
}) => {
  test.setTimeout(240_000);
  const file = join(
    mkdtempSync(join(tmpdir(), 'kinlens-quota-')),
    'rcmalli_vggface_tf_notop_resnet50.h5',
  );
  await makeTestWeightsFile('vggface', file);
  // A 5 MB quota, far below the ~94 MB the weights need.
  const profile = mkdtempSync(join(tmpdir(), 'kinlens-profile-'));
  await browserSession(profile, baseURL, 5 * 1024 * 1024, async (page) => {
    await page.getByRole('tab', { name: 'Encoders' }).click();
    await page.getByTestId('weights-input').setInputFiles(file);
    const error = page.getByTestId('install-error');
    await expect(error).toContainText('rcmalli_vggface_tf_notop_resnet50.h5:', {
      timeout: 120_000,
    });
    await expect(error).toContainText(
      'The browser has no room left to store the encoder weights (about 94.2 MB are needed)',
    );
    await expect(error).toContainText('The encoder works until you reload this page.');
    console.log(`quota message: ${await error.textContent()}`);
    // Usable for this session, and the card says it was not saved.
    await expect(page.getByTestId('model-resnet50-vggface-state')).toHaveText(
      'ready (this session only)',
    );
  });
});

test('storage full while caching embeddings and saving a head: the work goes on, earlier saves stay', async ({
  baseURL,
}) => {
  test.setTimeout(360_000);
  const fixture = makeFiwFolder(mkdtempSync(join(tmpdir(), 'kinlens-fiw-quota-')));
  const profile = mkdtempSync(join(tmpdir(), 'kinlens-profile-'));
  const total = fixture.photos;
  let firstSave: string | null = null;

  // Session 1, with room: embeddings cached, a first head saved.
  await browserSession(profile, baseURL, null, async (page) => {
    await importAndEncode(page, fixture);
    await expect(page.getByTestId('encode-result')).toHaveAttribute('data-encoded', String(total));
    await page.getByTestId('opt-epochs').fill('3');
    await page.getByTestId('train').click();
    await expect(page.getByTestId('val-auc')).toBeVisible({ timeout: 120_000 });
    await expect.poll(() => storedHeadSavedAt(page, 'face-descriptor')).not.toBeNull();
    firstSave = await storedHeadSavedAt(page, 'face-descriptor');
  });

  // Session 2, storage full (1 KB quota): what is cached is read; mirrored embeddings are
  // computed but cannot be cached; training runs to the end and its head is used, not saved.
  await browserSession(profile, baseURL, 1024, async (page) => {
    await importAndEncode(page, fixture);
    const result = page.getByTestId('encode-result');
    await expect(result).toHaveAttribute('data-from-cache', String(total));
    await page.getByLabel('Also embed mirrored images').check();
    await page.getByTestId('encode').click();
    // 128-d float32 vectors: 512 bytes each.
    const notSaved = page.getByTestId('encode-not-saved');
    await expect(notSaved).toHaveText(
      new RegExp(
        `^Browser storage is full: ${total} of ${total} new embeddings \\(about ${Math.round((total * 128 * 4) / 1000)} KB\\) were not saved\\. ` +
          'They are used in this session and will be computed again next time\\. Free space by ' +
          'clearing cached embeddings of other encoders \\(Clear buttons of the Encode step\\) or ' +
          'removing an encoder \\(Encoders tab\\)\\.$',
      ),
      { timeout: 120_000 },
    );
    await expect(page.getByTestId('notice-warning').first()).toContainText(
      'Browser storage is full',
    );
    await expect(result).toHaveAttribute('data-encoded', String(total));
    console.log(`embeddings message: ${await notSaved.textContent()}`);

    await page.getByTestId('opt-epochs').fill('4');
    await page.getByTestId('train').click();
    const headNotSaved = page.getByTestId('head-not-saved');
    await expect(headNotSaved).toContainText(
      "The browser's storage for this site is full, so the trained head for face-descriptor was not saved.",
      { timeout: 120_000 },
    );
    await expect(headNotSaved).toContainText(
      'scores pairs until you reload this page; use Export head to keep it.',
    );
    await expect(page.getByTestId('val-auc')).toBeVisible();
    console.log(`head message: ${await headNotSaved.textContent()}`);
    expect(await storedHeadSavedAt(page, 'face-descriptor')).toBe(firstSave);
  });

  // Session 3, room again: the first head and every embedding cached in session 1 are there.
  await browserSession(profile, baseURL, null, async (page) => {
    await page.getByRole('tab', { name: 'Fine-tune' }).click();
    await expect(page.getByTestId('saved-head')).toBeVisible({ timeout: 60_000 });
    expect(await storedHeadSavedAt(page, 'face-descriptor')).toBe(firstSave);
    await importAndEncode(page, fixture);
    await expect(page.getByTestId('encode-result')).toHaveAttribute(
      'data-from-cache',
      String(total),
    );
    await expect(page.getByTestId('encode-result')).toHaveAttribute('data-encoded', '0');
  });
});

test('site data deleted while the app runs: a notice says what is gone, and saving works again', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const fixture = makeFiwFolder(mkdtempSync(join(tmpdir(), 'kinlens-fiw-evict-')));
  const total = fixture.photos;
  await openApp(page);
  await importAndEncode(page, fixture);
  await expect(page.getByTestId('cache-size')).toContainText(`Cache: ${total} embeddings`);

  // What "Clear site data" or an eviction does to the open databases.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.clearDataForOrigin', {
    origin: originOf(baseURL),
    storageTypes: 'indexeddb',
  });
  const notice = page.getByTestId('notice-warning').filter({ hasText: 'deleted this site' });
  await expect(notice).toContainText("The browser deleted this site's saved data (", {
    timeout: 30_000,
  });
  await expect(notice).toContainText('cached embeddings');
  console.log(`eviction notice: ${await notice.textContent()}`);
  await expect(page.getByTestId('cache-size')).toContainText('Cache: 0 embeddings');

  // The embeddings in memory still serve this session; encoding again saves into fresh stores.
  await page.getByTestId('encode').click();
  await expect(page.getByTestId('encode-result')).toHaveAttribute('data-encoded', String(total), {
    timeout: 120_000,
  });
  await expect(page.getByTestId('cache-size')).toContainText(`Cache: ${total} embeddings`);
  await page.reload();
  await importAndEncode(page, fixture);
  await expect(page.getByTestId('encode-result')).toHaveAttribute('data-from-cache', String(total));
});

test('data the browser evicted between visits is named at the next start; a normal revisit says nothing', async ({
  baseURL,
}) => {
  test.setTimeout(300_000);
  const fixture = makeFiwFolder(mkdtempSync(join(tmpdir(), 'kinlens-fiw-evicted-')));
  const profile = mkdtempSync(join(tmpdir(), 'kinlens-profile-'));
  const total = fixture.photos;
  const evictionNotice = (page: Page) =>
    page.getByTestId('notice-warning').filter({ hasText: 'Since your last visit' });

  // Visit 1: embeddings cached and a head saved; the app keeps a record of what it saved.
  await browserSession(profile, baseURL, null, async (page) => {
    await importAndEncode(page, fixture);
    await page.getByTestId('opt-epochs').fill('2');
    await page.getByTestId('train').click();
    await expect(page.getByTestId('val-auc')).toBeVisible({ timeout: 120_000 });
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('kinlens.saved-inventory')))
      .toBe(JSON.stringify({ encoders: [], heads: ['face-descriptor'], embeddings: total }));
  });

  // Visit 2, everything still there: no notice.
  await browserSession(profile, baseURL, null, async (page) => {
    await page.getByRole('tab', { name: 'Fine-tune' }).click();
    await expect(page.getByTestId('saved-head')).toBeVisible({ timeout: 60_000 });
    await expect(evictionNotice(page)).toHaveCount(0);
  });

  // Visit 3, after the browser evicted IndexedDB (localStorage is not part of an eviction).
  await browserSession(
    profile,
    baseURL,
    null,
    async (page) => {
      const notice = evictionNotice(page);
      await expect(notice).toContainText(
        'Since your last visit the browser removed saved data of this site: the trained head ' +
          `for Face descriptor (dlib ResNet-34), ${total} cached embeddings. Browsers do this ` +
          'when the disk runs low',
        { timeout: 60_000 },
      );
      await expect(notice).toContainText('Install or train again to get them back.');
      console.log(`eviction-between-visits notice: ${await notice.textContent()}`);
      // Said once: the record now matches what is stored.
      await page.reload();
      await expect(page.getByTestId('backend-badge')).toContainText('wasm', { timeout: 60_000 });
      await page.waitForTimeout(2_000);
      await expect(evictionNotice(page)).toHaveCount(0);
    },
    (cdp) =>
      cdp.send('Storage.clearDataForOrigin', {
        origin: originOf(baseURL),
        storageTypes: 'indexeddb',
      }),
  );
});
