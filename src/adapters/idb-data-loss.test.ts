// Chromium's `dataLoss` on open (fake-indexeddb, with the field added to the upgrade event as Chromium sends it):
// recorded in the new database, reported by stats() through the store, its decorator, the runtime and the wire,
// kept across reopening until acknowledged. The real browser's side is e2e/data-loss.spec.ts.

import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HashEmbedder } from '../core/embedding/hash-embedder.js';
import { MemoryRuntime } from '../core/runtime.js';
import { ManualClock, sequentialIds } from '../core/test-support.js';
import { createMemoryFacade } from '../host/memory-facade.js';
import { RuntimeRegistry } from '../host/runtime-registry.js';
import { PROTOCOL_VERSION } from '../protocol/protocol.js';
import { openEncryptedStore } from './encrypted-store.js';
import { dataLossOf } from './idb-data-loss.js';
import { openIdbStore } from './idb-store.js';
import { InMemoryStore } from './memory-store.js';

const CORRUPT = { dataLoss: 'total', dataLossMessage: 'IndexedDB (database was corrupt): checksum mismatch' };
let n = 0;

/** Makes every `indexedDB.open` meanwhile deliver its upgrade event with `fields`, as Chromium would. */
function chromiumReports(fields: Record<string, unknown>): void {
  const factory = globalThis.indexedDB;
  const open = factory.open.bind(factory);
  vi.spyOn(factory, 'open').mockImplementation((name: string, version?: number) => {
    const request = open(name, version);
    // Added before idb's own listener, so the event reaches the store's upgrade with the fields on it.
    request.addEventListener('upgradeneeded', (event) => Object.assign(event, fields));
    return request;
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('dataLossOf', () => {
  it("reads Chromium's 'total' and its message; 'none', a missing field or another value is no loss", () => {
    const event = (fields: Record<string, unknown>) => Object.assign(new Event('upgradeneeded'), fields);
    expect(dataLossOf(event(CORRUPT), 5)).toEqual({ amount: 'total', message: CORRUPT.dataLossMessage, at: 5 });
    expect(dataLossOf(event({ dataLoss: 'total' }), 5)).toEqual({ amount: 'total', message: '', at: 5 });
    expect(dataLossOf(event({ dataLoss: 'none', dataLossMessage: '' }), 5)).toBeUndefined();
    expect(dataLossOf(event({}), 5)).toBeUndefined();
    expect(dataLossOf(event({ dataLoss: 1 }), 5)).toBeUndefined();
  });
});

describe('a database Chromium deleted as corrupt', () => {
  it('is reported by the store from the open that created it anew, across reopening, until acknowledged', async () => {
    const namespace = `loss-${++n}`;
    const before = Date.now();
    chromiumReports(CORRUPT);
    const store = await openIdbStore({ namespace, broadcast: false });
    vi.restoreAllMocks();
    const report = await store.readDataLoss();
    expect(report).toEqual({ amount: 'total', message: CORRUPT.dataLossMessage, at: expect.any(Number) as number });
    expect(report!.at).toBeGreaterThanOrEqual(before);
    expect(report!.at).toBeLessThanOrEqual(Date.now());
    await store.close();

    const reopened = await openIdbStore({ namespace, broadcast: false });
    expect(await reopened.readDataLoss()).toEqual(report);
    expect(await reopened.acknowledgeDataLoss()).toBe(true);
    expect(await reopened.readDataLoss()).toBeUndefined();
    expect(await reopened.acknowledgeDataLoss()).toBe(false);
    await reopened.close();

    const again = await openIdbStore({ namespace, broadcast: false });
    expect(await again.readDataLoss()).toBeUndefined();
    await again.close();
  });

  it("reports nothing for a new database or an upgrade with dataLoss 'none'", async () => {
    const namespace = `none-${++n}`;
    chromiumReports({ dataLoss: 'none', dataLossMessage: '' });
    const store = await openIdbStore({ namespace, broadcast: false });
    expect(await store.readDataLoss()).toBeUndefined();
    await store.close();
  });

  it('reaches stats() through the encrypting decorator, the runtime and the wire; the wire verb acknowledges it', async () => {
    const namespace = `wire-${++n}`;
    chromiumReports(CORRUPT);
    const idb = await openIdbStore({ namespace, broadcast: false });
    vi.restoreAllMocks();
    // As the browser host composes it (workers/compose-runtime.ts).
    const store = await openEncryptedStore(idb, { namespace });
    const runtime = await MemoryRuntime.open({
      namespace,
      store,
      encryption: store,
      clock: new ManualClock(),
      newId: sequentialIds(),
      embedder: new HashEmbedder({ dims: 16 }),
    });
    const facade = createMemoryFacade(new RuntimeRegistry(async () => runtime));
    expect((await facade.open({ protocol: PROTOCOL_VERSION, namespace })).ok).toBe(true);

    const stats = await facade.call(1, 'stats', []);
    expect(stats.ok && stats.value.dataLoss).toMatchObject({ amount: 'total', message: CORRUPT.dataLossMessage });
    expect(stats.ok && stats.value.records).toBe(0);
    // The memory works meanwhile: the report is information, not a failure.
    expect((await facade.call(2, 'remember', [{ text: 'Ada drinks green tea' }])).ok).toBe(true);

    expect(await facade.call(3, 'acknowledgeDataLoss', [])).toEqual({ ok: true, value: true });
    const after = await facade.call(4, 'stats', []);
    expect(after.ok && after.value.dataLoss).toBeUndefined();
    expect(after.ok && after.value.records).toBe(1);
    expect(await facade.call(5, 'acknowledgeDataLoss', [])).toEqual({ ok: true, value: false });
    expect((await facade.close()).ok).toBe(true);
  });

  it('a store without the report (in memory) answers stats() without it and acknowledges nothing', async () => {
    const runtime = await MemoryRuntime.open({
      namespace: 'plain',
      store: new InMemoryStore(),
      clock: new ManualClock(),
      newId: sequentialIds(),
    });
    expect((await runtime.stats()).dataLoss).toBeUndefined();
    expect(await runtime.acknowledgeDataLoss()).toBe(false);
    await runtime.close();
  });
});
