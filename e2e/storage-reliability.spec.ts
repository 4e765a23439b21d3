// Upgrades, corruption, cleared site data and forgetting in real Chromium: real IndexedDB, the memory in its
// worker, errors checked as they arrive on the page.

import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.js';

async function openPage(page: Page): Promise<void> {
  await page.goto('/e2e/pages/storage.html');
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
}

test.beforeEach(async ({ page }) => openPage(page));

for (const version of [1, 2]) {
  test(`a schema version ${version} database opens in the worker with its records, recall and vectors`, async ({
    page,
    namespace,
  }) => {
    const result = await page.evaluate(
      async ({ ns, version }) => {
        const r = window.reliability;
        const fixture = r.fixture(version);
        await r.buildFixture(ns, version);
        const memory = await r.createMemory({ namespace: ns });
        const texts = await Promise.all(fixture.expect.records.map(async ({ id }) => (await memory.get(id))?.text));
        const before = await memory.stats();
        await memory.reembed();
        const after = await memory.stats();
        const recalled: { want: string; got?: string; dense?: number }[] = [];
        for (const { id, text } of fixture.expect.records) {
          if ((await memory.get(id))?.tier === 'working') continue;
          const [hit] = await memory.recall(text, { k: 1, reinforce: false });
          recalled.push({ want: id, got: hit?.record.id, dense: hit?.scores.dense });
        }
        await memory.close();
        return {
          texts,
          expected: fixture.expect.records.map((rec) => rec.text),
          vectorsBefore: before.vectors?.count,
          vectorsAfter: after.vectors?.count,
          quarantined: before.quarantine.records,
          expectVectors: fixture.expect.vectors.length,
          expectReembed: fixture.expect.reembed.length,
          recalled,
        };
      },
      { ns: namespace, version },
    );
    expect(result.texts).toEqual(result.expected);
    expect(result.quarantined).toBe(0);
    // The worker re-embeds what lacks a vector in the background from the start, so `before` may include some.
    expect(result.vectorsBefore).toBeGreaterThanOrEqual(result.expectVectors);
    expect(result.vectorsAfter).toBe(result.expectVectors + result.expectReembed);
    for (const hit of result.recalled) {
      expect(hit.got).toBe(hit.want);
      expect(hit.dense).toBeCloseTo(1, 4);
    }
  });
}

test('a newer version opened in this tab: the worker steps aside and then answers STORE_VERSION_CHANGED', async ({
  page,
  namespace,
}) => {
  const result = await page.evaluate(async (ns) => {
    const r = window.reliability;
    const memory = await r.createMemory({ namespace: ns });
    await memory.remember({ text: 'Ada prefers green tea' });
    // Two connections: the worker's at the current version, and this page's asking for the next one.
    const newer = await r.openNewer(ns, 30_000);
    const oldCall = await r.outcome(memory.recall('tea'));
    await memory.close();
    return { newer, oldCall };
  }, namespace);
  expect(result.newer).toEqual({ ok: true });
  expect(result.oldCall).toEqual({ ok: false, code: 'STORE_VERSION_CHANGED', name: 'MnemoError' });
});

test('an old connection that ignores versionchange: the newer open reports STORE_BLOCKED instead of hanging', async ({
  page,
  namespace,
}) => {
  const result = await page.evaluate(async (ns) => {
    const r = window.reliability;
    const memory = await r.createMemory({ namespace: ns });
    await memory.remember({ text: 'Ada prefers green tea' });
    await memory.close();
    const release = await r.holdStubborn(ns);
    const blocked = await r.openNewer(ns, 300);
    release();
    const afterRelease = await r.openNewer(ns, 30_000);
    return { blocked, afterRelease };
  }, namespace);
  expect(result.blocked).toEqual({ ok: false, code: 'STORE_BLOCKED', name: 'MnemoError' });
  expect(result.afterRelease).toEqual({ ok: true });
});

test('corrupted rows are quarantined and reported; the good rows keep working through the worker', async ({
  page,
  namespace,
}) => {
  const result = await page.evaluate(async (ns) => {
    const r = window.reliability;
    const texts = ['Ada prefers green tea', 'The train leaves at seven', 'Bo is allergic to peanuts'];
    let memory = await r.createMemory({ namespace: ns });
    const ids = (await memory.remember(texts.map((text) => ({ text })))).map((rec) => rec.id);
    await memory.close();
    await r.damage(ns, ids[1]!);
    memory = await r.createMemory({ namespace: ns });
    const stats = await memory.stats();
    const recalled = [];
    for (const text of texts) recalled.push((await memory.recall(text, { k: 1, reinforce: false }))[0]?.record.id);
    const listed = (await memory.list({ limit: 50 })).map((rec) => rec.id).sort();
    const exported = (await memory.export()).trim().split('\n').length - 1;
    const badGet = await memory.get('bad-text');
    await memory.reembed();
    const healed = (await memory.stats()).vectors?.count;
    await memory.close();
    return { ids, stats, recalled, listed, exported, badGet: badGet ?? null, healed };
  }, namespace);
  expect(result.stats.records).toBe(3);
  expect(result.stats.quarantine.records).toBe(3);
  expect(result.stats.quarantine.items.map((i) => i.id).sort()).toEqual(['bad-missing', 'bad-text', 'bad-time']);
  expect(result.stats.quarantine.vectors).toBe(1);
  expect(result.recalled).toEqual(result.ids);
  expect(result.listed).toEqual([...result.ids].sort());
  expect(result.exported).toBe(3);
  expect(result.badGet).toBeNull();
  expect(result.healed).toBe(3);
});

test('the database deleted under a running memory: STORE_CLEARED, not an empty memory starting over', async ({
  page,
  namespace,
}) => {
  const result = await page.evaluate(async (ns) => {
    const r = window.reliability;
    const memory = await r.createMemory({ namespace: ns });
    await memory.remember({ text: 'Ada prefers green tea' });
    const deleted = await r.deleteDatabase(ns);
    const recall = await r.outcome(memory.recall('tea'));
    const remember = await r.outcome(memory.remember({ text: 'after the clear' }));
    const names = await r.databaseNames();
    await memory.close();
    return { deleted, recall, remember, recreated: names.includes(`mnemo:${ns}`) };
  }, namespace);
  expect(result.deleted).toBe('deleted');
  expect(result.recall).toEqual({ ok: false, code: 'STORE_CLEARED', name: 'MnemoError' });
  expect(result.remember).toEqual({ ok: false, code: 'STORE_CLEARED', name: 'MnemoError' });
  expect(result.recreated).toBe(false);
});

test('"clear site data" (CDP Storage.clearDataForOrigin) under a running memory: a typed error, nothing recreated', async ({
  page,
  namespace,
  baseURL,
}) => {
  await page.evaluate(async (ns) => {
    const memory = await window.reliability.createMemory({ namespace: ns });
    await memory.remember({ text: 'Ada prefers green tea' });
    (window as unknown as { held: unknown }).held = memory;
  }, namespace);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.clearDataForOrigin', { origin: new URL(baseURL!).origin, storageTypes: 'indexeddb' });
  const result = await page.evaluate(async (ns) => {
    const r = window.reliability;
    const memory = (window as unknown as { held: Awaited<ReturnType<typeof r.createMemory>> }).held;
    const recall = await r.outcome(memory.recall('tea'));
    const remember = await r.outcome(memory.remember({ text: 'after the clear' }));
    const names = await r.databaseNames();
    return { recall, remember, recreated: names.includes(`mnemo:${ns}`) };
  }, namespace);
  expect(result.recall).toEqual({ ok: false, code: 'STORE_CLEARED', name: 'MnemoError' });
  expect(result.remember).toEqual({ ok: false, code: 'STORE_CLEARED', name: 'MnemoError' });
  expect(result.recreated).toBe(false);
});

const CANARY = 'CANARY-d41c07 my passport number is X1234567';

test('forget erases the canary from every store, the export and recall by its exact vector (flat, in the worker)', async ({
  page,
  namespace,
}) => {
  const result = await page.evaluate(
    async ({ ns, canary }) => {
      const r = window.reliability;
      const vector = await r.storedVector(canary);
      const memory = await r.createMemory({ namespace: ns });
      await memory.remember(Array.from({ length: 30 }, (_, i) => ({ text: `note ${i} about the garden` })));
      const written = await memory.remember({ text: canary });
      await memory.remember(Array.from({ length: 5 }, (_, i) => ({ text: `later note ${i}` })));
      const id = written.id;
      const marker = 'CANARY-d41c07';
      const before = {
        stores: await r.canaryIn(ns, marker, vector),
        exported: r.canaryInExport(await memory.export(), marker, vector),
      };
      const foundBefore = (await memory.recall(canary, { k: 1, reinforce: false }))[0];
      await memory.forget(id);
      const after = {
        stores: await r.canaryIn(ns, marker, vector),
        exported: r.canaryInExport(await memory.export(), marker, vector),
      };
      const hits = await memory.recall(canary, { k: 50, reinforce: false });
      const stats = await memory.stats();
      await memory.close();
      return {
        id,
        before,
        foundBefore: { id: foundBefore?.record.id, dense: foundBefore?.scores.dense },
        after,
        hitIds: hits.map((h) => h.record.id),
        bestDense: Math.max(...hits.map((h) => h.scores.dense ?? 0)),
        index: stats.vectors?.index,
      };
    },
    { ns: namespace, canary: CANARY },
  );
  expect(result.before.stores.some((f) => f.store === 'records' && f.kind === 'text')).toBe(true);
  expect(result.before.stores.some((f) => f.kind === 'vector')).toBe(true);
  expect(result.before.exported.length).toBeGreaterThan(0);
  expect(result.foundBefore.id).toBe(result.id);
  expect(result.foundBefore.dense).toBeCloseTo(1, 4);
  expect(result.index).toBe('flat');
  expect(result.after.stores).toEqual([]);
  expect(result.after.exported).toEqual([]);
  expect(result.hitIds).not.toContain(result.id);
  expect(result.bestDense).toBeLessThan(0.9);
});

test('forget erases the canary from chunks, log and HNSW snapshot in real IndexedDB (HNSW, cold reopen agrees)', async ({
  page,
  namespace,
}) => {
  const result = await page.evaluate(
    async ({ ns, canary }) => {
      const r = window.reliability;
      const vector = await r.storedVector(canary, 64);
      const marker = 'CANARY-d41c07';
      let memory = await r.hnswRuntime(ns);
      await memory.remember(Array.from({ length: 60 }, (_, i) => ({ text: `note ${i} about the garden and ${i % 9}` })));
      const [written] = await memory.remember({ text: canary });
      await memory.remember(Array.from({ length: 20 }, (_, i) => ({ text: `later note ${i}` })));
      const id = written!.id;
      const index = (await memory.stats()).vectors?.index;
      const before = await r.canaryIn(ns, marker, vector);
      await memory.forget(id);
      const after = await r.canaryIn(ns, marker, vector);
      const exported = r.canaryInExport(await memory.exportJsonl(), marker, vector);
      const hits = (await memory.recall(canary, { k: 50, reinforce: false })).map((h) => h.record.id);
      await memory.close();
      memory = await r.hnswRuntime(ns);
      const reopened = (await memory.recall(canary, { k: 50, reinforce: false })).map((h) => h.record.id);
      const reopenedIndex = (await memory.stats()).vectors;
      await memory.close();
      return { id, index, before, after, exported, hits, reopened, reopenedIndex };
    },
    { ns: namespace, canary: CANARY },
  );
  expect(result.index).toBe('hnsw');
  expect(result.before.some((f) => f.kind === 'vector')).toBe(true);
  expect(result.after).toEqual([]);
  expect(result.exported).toEqual([]);
  expect(result.hits).not.toContain(result.id);
  expect(result.reopened).not.toContain(result.id);
  expect(result.reopenedIndex).toMatchObject({ index: 'hnsw', count: 80 });
});
