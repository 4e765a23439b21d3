// Vector persistence in Chromium: chunks, graph snapshot and log in real IndexedDB; dense recall through the worker.

import { chromium } from '@playwright/test';
import { expect, openHarness, test } from './support/fixtures.js';

test('an HNSW collection compacts to IndexedDB and reopens without a rebuild, answering the same', async ({
  harnessPage: page,
  namespace,
}) => {
  const result = await page.evaluate((ns) => window.harness.vectorRoundTrip(ns), namespace);
  expect(result).toEqual({ kind: 'hnsw', size: 298, same: true, logLeft: 0, simd: true });
});

test('the worker keeps vectors across a reload and folds its log into chunks', async ({ harnessPage: page, namespace }) => {
  // More than one compaction's worth of log (1,024 entries), so the vectors end up in chunks.
  const written = await page.evaluate(async (ns) => {
    const memory = await window.harness.createMemory({ namespace: ns });
    const notes = Array.from({ length: 1100 }, (_, i) => ({ text: `note ${i} about topic ${i % 37}` }));
    await memory.remember(notes);
    await memory.remember({ text: 'Ada prefers green tea' });
    const stats = await memory.stats(); // queued after the compaction
    await memory.close();
    return stats.vectors;
  }, namespace);
  expect(written).toMatchObject({ count: 1101, index: 'flat' });

  await page.reload();
  await openHarness(page);
  const after = await page.evaluate(async (ns) => {
    const memory = await window.harness.createMemory({ namespace: ns });
    const [hit] = await memory.recall('gren tae', { k: 1 });
    const stats = await memory.stats();
    await memory.close();
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(`mnemo:${ns}`);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    const count = (store: string) =>
      new Promise<number>((resolve) => {
        const request = db.transaction(store).objectStore(store).count();
        request.onsuccess = () => resolve(request.result);
      });
    const stored = { chunks: await count('vectorChunks'), log: await count('vectorLog') };
    db.close();
    return { text: hit?.record.text, lexical: hit?.scores.lexical, vectors: stats.vectors, stored };
  }, namespace);
  expect(after.text).toBe('Ada prefers green tea');
  expect(after.lexical).toBe(0);
  expect(after.vectors).toMatchObject({ count: 1101 });
  expect(after.stored.chunks).toBe(2);
  expect(after.stored.log).toBeLessThan(1024);
});

test('an acknowledged write survives a renderer crash, vector included', async ({
  browserName,
  baseURL,
  namespace,
}, testInfo) => {
  // A profile on disk, so what IndexedDB committed outlives the crashed renderer and the browser itself.
  const profile = testInfo.outputPath('profile');
  const launch = () =>
    chromium.launchPersistentContext(profile, {
      ...testInfo.project.use.launchOptions,
      ...(baseURL && { baseURL }),
      headless: true,
    });
  expect(browserName).toBe('chromium');
  let context = await launch();
  let page = await context.newPage();
  await openHarness(page);
  const id = await page.evaluate(async (ns) => {
    const memory = await window.harness.memory(ns);
    await memory.remember(Array.from({ length: 50 }, (_, i) => ({ text: `filler ${i}` })));
    return (await memory.remember({ text: 'Ada prefers green tea' })).id;
  }, namespace);
  // Crash the renderer right after the acknowledgement: no close, no compaction, nothing flushed by Mnemo.
  const cdp = await context.newCDPSession(page);
  const crashed = page.waitForEvent('crash');
  void cdp.send('Page.crash').catch(() => undefined); // never answers: its renderer is gone
  await crashed;
  await context.close().catch(() => undefined);

  context = await launch();
  page = await context.newPage();
  await openHarness(page);
  const after = await page.evaluate(async (ns) => {
    const memory = await window.harness.memory(ns);
    const [hit] = await memory.recall('gren tae', { k: 1 });
    return { id: hit?.record.id, lexical: hit?.scores.lexical, stats: await memory.stats() };
  }, namespace);
  await context.close();
  expect(after.id).toBe(id);
  expect(after.lexical).toBe(0); // found by its vector alone
  expect(after.stats).toMatchObject({ records: 51, vectors: { count: 51 } });
});
