// Encryption at rest from the app: turn it on with a passphrase, reload into the unlock screen, a wrong passphrase
// refused, the right one opens the same memory; change the passphrase and lock.

import { expect, go, openApp, say, search, test } from './support.js';

test('turn encryption on, unlock after a reload, refuse a wrong passphrase, change it and lock', async ({ page }) => {
  await openApp(page);
  await say(page, 'The safe combination is 12-34-56');
  await go(page, 'Settings');
  await expect(page.locator('#encryption-state')).toContainText('Off: your memory is stored unencrypted');
  await page.getByLabel('Passphrase (8 characters or more)').fill('correct horse battery');
  await page.getByLabel('The same passphrase again').fill('correct horse battery');
  await page.getByRole('button', { name: 'Turn on encryption' }).click();
  await expect(page.getByRole('status')).toContainText('Encryption is on');
  await expect(page.locator('#encryption-state')).toContainText('AES-GCM-256');

  // A reload forgets the passphrase: the unlock screen asks for it, and the views stay closed until then.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'This memory is encrypted' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Views' })).toBeHidden();
  await page.getByLabel('Passphrase', { exact: true }).fill('wrong horse battery');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.locator('#unlock-error')).toContainText('does not unlock this memory');
  await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
  await search(page, 'safe combination');
  await expect(page.locator('#hits li').first()).toContainText('12-34-56');

  await go(page, 'Settings');
  await page.getByLabel('Current passphrase').fill('correct horse battery');
  await page.getByLabel('New passphrase').fill('staple pony donkey');
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByRole('status')).toContainText('Passphrase changed.');
  await page.getByRole('button', { name: 'Lock now' }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.locator('#unlock-error')).toContainText('does not unlock this memory');
  await page.getByLabel('Passphrase', { exact: true }).fill('staple pony donkey');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
  await go(page, 'Chat');
  await expect(page.locator('#chat-turns')).toContainText('The safe combination is 12-34-56');
});
