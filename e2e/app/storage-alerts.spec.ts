// The first screen says what the browser did to the memory's storage: a database Chromium deleted as corrupt
// (the report the store keeps in `meta` until acknowledged; e2e/data-loss.spec.ts makes Chromium write it for
// real) and a row set aside as unreadable, until deleted for good. Both are put into the app's IndexedDB database by hand here.

import { expect, openApp, test } from './support.js';

const DATABASE = 'mnemo:mnemo-app';

test('a lost database is said on the first screen until read; an unreadable row is said until deleted', async ({ page }) => {
  await openApp(page);
  await expect(page.locator('#home-counts')).toContainText('Your memory is empty');
  await expect(page.locator('#data-loss-alert')).toHaveCount(0);
  await expect(page.locator('#quarantine-alert')).toHaveCount(0);

  await page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(new Error(String(request.error)));
    });
    const tx = db.transaction(['meta', 'records'], 'readwrite');
    tx.objectStore('meta').put(
      { amount: 'total', message: 'IndexedDB (database was corrupt): checksum mismatch', at: Date.UTC(2026, 10, 20) },
      'dataLoss',
    );
    // A record whose text is a number: the store quarantines it when the memory opens.
    tx.objectStore('records').put({ id: 'unreadable-1', tier: 'episodic', text: 42 });
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(new Error(String(tx.error)));
    });
    db.close();
  }, DATABASE);

  await openApp(page);
  const lost = page.locator('#data-loss-alert');
  await expect(lost).toContainText('Memories were lost.');
  await expect(lost).toContainText('checksum mismatch');
  await expect(page.locator('#quarantine-alert')).toContainText('1 record is set aside, not deleted');
  await page.screenshot({ path: 'reports/app-screens/home-storage-alerts.png' });

  await lost.getByRole('button', { name: 'I have read this' }).click();
  await expect(lost).toHaveCount(0);
  await openApp(page);
  await expect(page.locator('#home-counts')).toBeVisible();
  await expect(page.locator('#data-loss-alert')).toHaveCount(0);
  const unreadable = page.locator('#quarantine-alert');
  await expect(unreadable).toBeVisible();
  await unreadable.getByRole('button', { name: 'Delete them for good' }).click();
  await expect(page.locator('#status')).toContainText('Deleted 1 unreadable record from this device');
  await expect(unreadable).toHaveCount(0);
  await openApp(page);
  await expect(page.locator('#home-counts')).toBeVisible();
  await expect(page.locator('#quarantine-alert')).toHaveCount(0);
});
