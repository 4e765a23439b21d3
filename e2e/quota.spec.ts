// A full disk in real Chromium: the origin's quota is cut to a few MB (CDP Storage.overrideQuotaForOrigin) and a
// memory ingests until IndexedDB refuses. The refusal must be a typed error, the refused batch absent whole, what
// was stored readable and searchable, and writes must resume once `forget` frees space. Persistence is asked
// for by createMemory and reported by stats() with the storage use.

import { expect, test } from './support/fixtures.js';

const QUOTA = 4 * 1024 * 1024;
const BATCH = 40;

test('a full quota: STORE_QUOTA_EXCEEDED, no partial batch, reads unaffected, writes resume after forget', async ({
  harnessPage: page,
  namespace,
  baseURL,
}) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: QUOTA });

  const result = await page.evaluate(
    async ([ns, size]) => {
      // Count createMemory's request for persistent storage (only a page can make it).
      let persistAsked = 0;
      const persist = navigator.storage.persist.bind(navigator.storage);
      navigator.storage.persist = () => (persistAsked++, persist());
      const memory = await window.harness.createMemory({ namespace: ns });
      // Varied words, so IndexedDB's compression cannot shrink the turns to nothing.
      let state = 7;
      const word = () => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return state.toString(36);
      };
      const batchOf = (batch: number) =>
        Array.from({ length: size }, (_, turn) => ({
          text: `batch ${batch} turn ${turn}: ${Array.from({ length: 120 }, word).join(' ')}`,
          sessionId: `q${batch}`,
          meta: { batch, turn },
        }));
      const acked: { batch: number; ids: string[] }[] = [];
      let refused: { batch: number; code: string; retryable: boolean; isMnemo: boolean } | undefined;
      for (let batch = 0; batch < 1000 && !refused; batch++) {
        try {
          const records = await memory.remember(batchOf(batch));
          acked.push({ batch, ids: records.map((r) => r.id) });
        } catch (error) {
          const e = error as InstanceType<typeof window.harness.MnemoError>;
          refused = { batch, code: e.code, retryable: e.retryable, isMnemo: e instanceof window.harness.MnemoError };
        }
      }
      if (!refused) return { refused };
      // Fill to the brim with single turns, so the forget below runs with no room left at all.
      let singles = 0;
      for (; singles < 500; singles++) {
        const ok = await memory.remember({ text: `single ${singles}`, sessionId: 'singles' }).then(
          () => true,
          () => false,
        );
        if (!ok) break;
      }
      const full = await memory.stats();
      const partial = (await memory.list({ sessionId: `q${refused.batch}`, limit: 1000 })).length;
      const first = acked[0]!;
      const last = acked[acked.length - 1]!;
      const read = {
        first: (await memory.get(first.ids[0]!))?.meta,
        last: (await memory.get(last.ids[size - 1]!))?.meta,
        lastBatch: (await memory.list({ sessionId: `q${last.batch}`, limit: 1000 })).length,
        hit: (await memory.recall(`batch ${last.batch} turn 3`, { k: 1 }))[0]?.record.meta,
      };
      // Free half of what was stored, then write again.
      const freed = await memory.forget(acked.slice(0, Math.ceil(acked.length / 2)).flatMap((a) => a.ids));
      const resumed = await memory.remember(batchOf(5000)).then(
        (records) => records.length,
        (error: { code: string }) => error.code,
      );
      const after = await memory.stats();
      const integrity = await memory.checkIntegrity();
      await memory.close();
      return {
        refused,
        acked: acked.length,
        singles,
        full: { records: full.records, storage: full.storage },
        partial,
        read,
        freed: freed.length,
        resumed,
        after: { records: after.records, storage: after.storage },
        integrity: { ok: integrity.ok, problems: integrity.problems },
        persistAsked,
        pagePersisted: await navigator.storage.persisted(),
      };
    },
    [namespace, BATCH] as const,
  );

  expect(result.refused).toEqual({ batch: result.acked, code: 'STORE_QUOTA_EXCEEDED', retryable: false, isMnemo: true });
  expect(result.acked).toBeGreaterThan(2);
  // Nothing of the refused batch was stored; everything acknowledged was, and is read and found as before.
  expect(result.partial).toBe(0);
  expect(result.full?.records).toBe(result.acked! * BATCH + result.singles!);
  expect(result.singles).toBeLessThan(500); // the brim was reached
  expect(result.read).toEqual({
    first: { batch: 0, turn: 0 },
    last: { batch: result.acked! - 1, turn: BATCH - 1 },
    lastBatch: BATCH,
    hit: { batch: result.acked! - 1, turn: 3 },
  });
  // stats() reports the storage use against the quota, and whether the browser granted persistence.
  // (Chromium's estimate() reports the disk's quota, not the override, though IndexedDB enforces the override.)
  expect(result.full?.storage?.quota).toBeGreaterThan(0);
  expect(result.full?.storage?.usage).toBeGreaterThan(QUOTA / 2);
  expect(result.persistAsked).toBe(1);
  expect(result.full?.storage?.persisted).toBe(result.pagePersisted); // false here: headless Chromium declines
  // Forgetting frees space: the next batch is accepted.
  expect(result.freed).toBe(Math.ceil(result.acked! / 2) * BATCH);
  expect(result.resumed).toBe(BATCH);
  expect(result.after?.records).toBe((result.acked! - Math.ceil(result.acked! / 2) + 1) * BATCH + result.singles!);
  expect(result.integrity).toEqual({ ok: true, problems: [] });
});
