// A round trip through the real memory worker in Chromium, persisted in real IndexedDB.

import { expect, openHarness, test } from './support/fixtures.js';

test('remembers and recalls through a real worker, stored in IndexedDB', async ({ harnessPage: page, namespace }) => {
  const workerUrls: string[] = [];
  page.on('worker', (worker) => workerUrls.push(worker.url()));
  const result = await page.evaluate(async (ns) => {
    const memory = await window.harness.createMemory({ namespace: ns });
    const stored = await memory.remember({ text: 'Ada prefers green tea', speaker: 'user', sessionId: 's1' });
    await memory.remember([{ text: 'Bob takes the train' }, { text: 'The cat is called Miso', tier: 'semantic' }]);
    const hits = await memory.recall('what does Ada drink', { k: 5 });
    const listed = await memory.list({ order: 'asc' });
    const stats = await memory.stats();
    const databases = (await indexedDB.databases()).map((db) => db.name);
    await memory.close();
    return { stored, hits, listed: listed.map((r) => r.text), stats, databases };
  }, namespace);

  expect(workerUrls.some((url) => url.includes('memory.worker'))).toBe(true);
  // close() terminated the worker that createMemory started.
  expect(page.workers()).toHaveLength(0);
  // Hybrid recall ranks every memory; the one sharing words and n-grams with the query comes first.
  expect(result.hits[0]!.record.id).toBe(result.stored.id);
  expect(result.hits[0]!.scores.lexical).toBeGreaterThan(0);
  expect(result.hits[0]!.scores.dense).toBeGreaterThan(0);
  expect(result.hits.slice(1).every((h) => h.scores.lexical === 0)).toBe(true);
  expect(result.listed).toEqual(['Ada prefers green tea', 'Bob takes the train', 'The cat is called Miso']);
  expect(result.stats).toMatchObject({
    namespace,
    records: 3,
    byTier: { episodic: 2, semantic: 1 },
    vectors: { count: 3, dims: 256, index: 'flat' },
  });
  expect(result.stats.storage?.usage).toBeGreaterThan(0);
  expect(result.databases).toContain(`mnemo:${namespace}`);
});

test('keeps memories across a reload', async ({ harnessPage: page, namespace }) => {
  const id = await page.evaluate(async (ns) => {
    const memory = await window.harness.createMemory({ namespace: ns });
    const record = await memory.remember({ text: 'The spare key is under the blue flowerpot' });
    return record.id;
  }, namespace);

  await page.reload();
  await openHarness(page);

  const after = await page.evaluate(async (ns) => {
    const memory = await window.harness.createMemory({ namespace: ns });
    const hits = await memory.recall('where is the spare key');
    return { ids: hits.map((h) => h.record.id), count: (await memory.stats()).records };
  }, namespace);
  expect(after).toEqual({ ids: [id], count: 1 });
});

test('forgets a memory for good, also after a reload', async ({ harnessPage: page, namespace }) => {
  await page.evaluate(async (ns) => {
    const memory = await window.harness.createMemory({ namespace: ns });
    const [a] = await memory.remember([{ text: 'secret plan alpha' }, { text: 'public plan beta' }]);
    await memory.forget(a!.id);
    await memory.close();
  }, namespace);
  await page.reload();
  await openHarness(page);
  const texts = await page.evaluate(async (ns) => {
    const memory = await window.harness.createMemory({ namespace: ns });
    return { hits: (await memory.recall('plan')).map((h) => h.record.text), listed: (await memory.list()).map((r) => r.text) };
  }, namespace);
  expect(texts).toEqual({ hits: ['public plan beta'], listed: ['public plan beta'] });
});

test('an aborted call rejects with ABORTED and stores nothing', async ({ harnessPage: page, namespace }) => {
  const outcome = await page.evaluate(async (ns) => {
    const memory = await window.harness.createMemory({ namespace: ns });
    const controller = new AbortController();
    controller.abort();
    const error = await memory.remember({ text: 'never' }, { signal: controller.signal }).catch((e: unknown) => e);
    return {
      isMnemo: error instanceof window.harness.MnemoError,
      code: (error as { code?: string }).code,
      count: (await memory.stats()).records,
    };
  }, namespace);
  expect(outcome).toEqual({ isMnemo: true, code: 'ABORTED', count: 0 });
});

test('the memory worker serves only its facade: prototype paths and other message types are refused', async ({
  harnessPage: page,
  namespace,
}) => {
  const replies = await page.evaluate(
    (ns) =>
      window.harness.probeMemoryWorker([
        { type: 'SET', path: ['__proto__', 'polluted'], value: { type: 'RAW', value: true } },
        { type: 'APPLY', path: ['open', 'constructor'], argumentList: [{ type: 'RAW', value: 'return 1' }] },
        { type: 'GET', path: ['open'] },
        // No protocol version: the facade answers, with its own typed error.
        { type: 'APPLY', path: ['open'], argumentList: [{ type: 'RAW', value: { namespace: ns } }] },
      ]),
    namespace,
  );
  const refused = (reply: unknown) => /refused a message/.test(JSON.stringify(reply));
  expect(replies.slice(0, 3).map(refused)).toEqual([true, true, true]);
  // A well-formed call on the same worker still reaches the facade (and fails only on the protocol check).
  expect(JSON.stringify(replies[3])).toContain('PROTOCOL_ERROR');
});
