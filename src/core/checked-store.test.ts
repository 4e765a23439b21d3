// The record check in the core, on a store without a quarantine (the in-memory one): bad rows are skipped and
// reported, never moved or deleted unless purged; and what counts as unreadable.

import { describe, expect, it } from 'vitest';
import { InMemoryStore } from '../adapters/memory-store.js';
import { sampleRecord } from '../adapters/store-contract.js';
import { unreadableReason } from './checked-store.js';
import type { MemoryRecord } from './record.js';
import { MemoryRuntime } from './runtime.js';
import { ManualClock, sequentialIds } from './test-support.js';

describe('unreadableReason', () => {
  it('accepts a sound record, and one with fields this version does not know', () => {
    expect(unreadableReason(sampleRecord())).toBeUndefined();
    expect(unreadableReason({ ...sampleRecord(), addedByANewerRelease: { x: 1 } })).toBeUndefined();
  });

  it('names what is wrong with a damaged one', () => {
    expect(unreadableReason(null)).toMatch(/not a record object \(null\)/);
    expect(unreadableReason([1, 2])).toMatch(/an array/);
    expect(unreadableReason({ ...sampleRecord(), text: 7 })).toMatch(/record\.text/);
    expect(unreadableReason({ ...sampleRecord(), strength: -1 })).toMatch(/record\.strength/);
    const { source: _source, ...noSource } = sampleRecord();
    expect(unreadableReason(noSource)).toMatch(/record\.source: missing/);
  });
});

/** An in-memory store holding a good record and one whose tags are not a list, and a runtime over it. */
async function withBadRow(): Promise<{ store: InMemoryStore; memory: MemoryRuntime }> {
  const store = new InMemoryStore();
  const good = sampleRecord({ id: 'good', text: 'Ada prefers green tea' });
  const bad = { ...sampleRecord({ id: 'bad' }), tags: 'oops' } as unknown as MemoryRecord;
  await store.put([good, bad]);
  const memory = await MemoryRuntime.open({ namespace: good.namespace, store, clock: new ManualClock(), newId: sequentialIds() });
  return { store, memory };
}

describe('a store without a quarantine', () => {
  it('keeps the bad row where it is, out of every answer, and reports it', async () => {
    const { store, memory } = await withBadRow();
    expect(await memory.get('bad')).toBeUndefined();
    expect((await memory.list()).map((r) => r.id)).toEqual(['good']);
    expect((await memory.recall('green tea')).map((h) => h.record.id)).toEqual(['good']);
    const { quarantine } = await memory.stats();
    expect(quarantine).toMatchObject({ records: 1, vectors: 0, items: [{ id: 'bad' }] });
    expect(quarantine.items[0]?.reason).toMatch(/record\.tags/);
    expect(await store.count()).toBe(2); // skipped, not deleted
    await memory.close();
  });

  it('purging deletes the bad row from where it lies, and only it', async () => {
    const { store, memory } = await withBadRow();
    expect((await memory.stats()).quarantine.records).toBe(1);
    expect(await memory.purgeQuarantine('good')).toEqual([]);
    expect(await memory.purgeQuarantine()).toEqual(['bad']);
    expect((await memory.stats()).quarantine.records).toBe(0);
    expect(await store.count()).toBe(1);
    expect((await memory.get('good'))?.text).toBe('Ada prefers green tea');
    await memory.close();
  });
});
