// After the first load the app works with the network off: the service worker serves the shell, both workers,
// ONNX Runtime's files and the shipped model; memories stay in IndexedDB. No request ever leaves localhost.

import { expect, go, openApp, say, search, test, waitForOffline } from './support.js';

// Starting the embedding worker and compiling the model took 10-13 s on a loaded 2-core machine: a generous
// wait, not a timing goal.
const MODEL_LOAD = { timeout: 60_000 };

test('offline after the first load: reload, write, search, map, and load the shipped model from the cache', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000); // two model loads: 84 s were seen on a loaded 2-core machine
  await openApp(page);
  await waitForOffline(page);
  await say(page, 'The bike lock code is 4521');

  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
  await expect(page.getByRole('status')).toContainText('Ready');
  await search(page, 'bike lock code');
  await expect(page.locator('#hits li').first()).toContainText('4521');
  await say(page, 'Written while offline');
  await go(page, 'Map');
  await expect(page.locator('#map circle')).toHaveCount(2);

  // The model files and ONNX Runtime come from the precache: the embedding worker loads with no network.
  await go(page, 'Settings');
  await page.getByLabel('Model', { exact: true }).selectOption('mnemo-tiny-bert-v1');
  await expect(page.locator('#settings-model-meaning')).toContainText('test model shipped with the app');
  await page.getByLabel('Device', { exact: true }).selectOption('wasm');
  await page.getByRole('button', { name: 'Use this model' }).click();
  await expect(page.getByRole('status')).toContainText('Now embedding with mnemo-tiny-bert-v1', MODEL_LOAD);
  await expect(page.locator('#model-progress-text')).toContainText('Model ready.');
  await expect(page.locator('#embedder-info')).toContainText('mnemo-tiny-bert-v1');
  await expect(page.locator('#embedder-info')).toContainText('WASM was asked for');
  // The two records stored under the hash embedder get vectors of the new model in the background.
  await expect(page.locator('#embedder-info')).toContainText('(2 vectors)');
  await search(page, 'bike lock');
  await expect(page.locator('#hits li').first()).toContainText('4521');

  // The choice is remembered: a reload, still offline, opens the memory with the same model.
  await page.reload();
  await expect(page.locator('body[data-ready="true"]')).toBeAttached(MODEL_LOAD);
  await go(page, 'Settings');
  await expect(page.locator('#embedder-info')).toContainText('mnemo-tiny-bert-v1');
});

test('a model that cannot load is explained and the previous one kept', async ({ page, context, guard }) => {
  // The user picked a hub model: that host may be asked (and fails, offline); nothing else.
  guard.allow('huggingface.co', /ERR_INTERNET_DISCONNECTED/);
  await openApp(page);
  await waitForOffline(page);
  await say(page, 'Still here after a failed model change');
  await context.setOffline(true);
  await go(page, 'Settings');
  // A hub model, offline: it cannot be fetched (and the request never leaves the machine).
  await page.getByLabel('Model', { exact: true }).selectOption('Xenova/all-MiniLM-L6-v2');
  await page.getByRole('button', { name: 'Use this model' }).click();
  await expect(page.getByRole('status')).toContainText('kept the previous one');
  expect(guard.requests.some((url) => url.startsWith('https://huggingface.co/Xenova/all-MiniLM-L6-v2/'))).toBe(true);
  await expect(page.locator('#embedder-info')).toContainText('hash');
  await search(page, 'failed model change');
  await expect(page.locator('#hits li').first()).toContainText('Still here');
});
