// Corrupted rows written straight into IndexedDB (fake-indexeddb): wrong types, missing fields, NaN and truncated
// vectors, malformed log entries, an unreadable snapshot. The runtime opens, quarantines and reports them, and
// the good rows keep working (recall, list, export).

import 'fake-indexeddb/auto';
import { openDB, type IDBPDatabase } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { HashEmbedder } from '../core/embedding/hash-embedder.js';
import { decodeBackup } from '../core/memory/backup.js';
import { VECTOR_CHUNK_SIZE } from '../core/ports.js';
import { MemoryRuntime } from '../core/runtime.js';
import { ManualClock, sequentialIds } from '../core/test-support.js';
import { databaseName } from './idb-schema.js';
import { openIdbStore } from './idb-store.js';

const embedder = new HashEmbedder({ dims: 32 });
let n = 0;
const open: MemoryRuntime[] = [];

async function runtime(namespace: string, options: { compactAfter?: number; hnswThreshold?: number } = {}) {
  const memory = await MemoryRuntime.open({
    namespace,
    store: await openIdbStore({ namespace, broadcast: false }),
    clock: new ManualClock(),
    newId: sequentialIds(`${namespace}-`),
    embedder,
    vectors: {
      compactAfter: options.compactAfter ?? 1024,
      ...(options.hnswThreshold && { hnswThreshold: options.hnswThreshold }),
    },
  });
  open.push(memory);
  return memory;
}

/** Rows as the tests handle them: untyped, since they write what the schema forbids. */
type Row = Record<string, unknown>;
interface LogRow extends Row {
  vectors: Float32Array;
}
interface ChunkRow extends Row {
  ids: (string | null)[];
  data: Float32Array;
}

async function raw(namespace: string): Promise<IDBPDatabase> {
  return openDB(databaseName(namespace));
}

async function rowOf(db: IDBPDatabase, store: string, key: string): Promise<Row> {
  return (await db.get(store, key)) as Row;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((m) => m.close()));
});

const GOOD = ['Ada prefers green tea', 'The train leaves at seven', 'Bo is allergic to peanuts', 'Marta has a blue bicycle'];

/** A memory with four good records, closed; returns their ids. */
async function seeded(namespace: string, options?: { compactAfter?: number }): Promise<string[]> {
  const memory = await runtime(namespace, options);
  const ids = (await memory.remember(GOOD.map((text) => ({ text })))).map((r) => r.id);
  await memory.close();
  return ids;
}

async function expectGoodRowsWork(memory: MemoryRuntime, ids: string[]): Promise<void> {
  for (const [i, text] of GOOD.entries()) {
    const [hit] = await memory.recall(text, { k: 1, reinforce: false });
    expect(hit?.record.id).toBe(ids[i]);
  }
  expect((await memory.list({ limit: 100 })).map((r) => r.id).sort()).toEqual([...ids].sort());
  const { entries } = decodeBackup(await memory.exportJsonl());
  expect(entries.map((e) => e.record.id).sort()).toEqual([...ids].sort());
}

describe('corrupted records', () => {
  it('are quarantined at open with their reason, kept out of every answer, and the good rows keep working', async () => {
    const namespace = `bad-records-${++n}`;
    const ids = await seeded(namespace);
    const db = await raw(namespace);
    const template = await rowOf(db, 'records', ids[0]!);
    const bad = {
      'bad-type': { ...template, id: 'bad-type', text: 42 },
      'bad-missing': (({ tier: _tier, ...rest }) => ({ ...rest, id: 'bad-missing' }))(template),
      'bad-time': { ...template, id: 'bad-time', createdAt: 'yesterday' },
      'bad-tags': { ...template, id: 'bad-tags', tags: 'not-a-list', text: 'Ada prefers green tea too' },
      'bad-nan': { ...template, id: 'bad-nan', importance: Number.NaN },
    };
    for (const row of Object.values(bad)) await db.put('records', row);
    db.close();

    const memory = await runtime(namespace);
    const stats = await memory.stats();
    expect(stats.records).toBe(4);
    expect(stats.quarantine.records).toBe(5);
    expect(stats.quarantine.items.map((i) => i.id).sort()).toEqual(Object.keys(bad).sort());
    expect(stats.quarantine.items.find((i) => i.id === 'bad-type')?.reason).toMatch(/record\.text/);
    expect(stats.quarantine.items.find((i) => i.id === 'bad-missing')?.reason).toMatch(/record\.tier/);
    expect(await memory.get('bad-type')).toBeUndefined();
    await expectGoodRowsWork(memory, ids);
    await memory.close();

    // Moved, not deleted: the raw rows are in the quarantine store, the records store holds only good ones.
    const after = await raw(namespace);
    expect((await after.getAllKeys('records')).sort()).toEqual([...ids].sort());
    const quarantined = (await after.getAll('quarantine')) as Row[];
    expect(quarantined.find((q) => q['id'] === 'bad-type')).toMatchObject({ row: { text: 42 } });
    after.close();

    // A fresh runtime still reports them (the count is the store's, not this runtime's).
    const reopened = await runtime(namespace);
    expect((await reopened.stats()).quarantine.records).toBe(5);
  });

  it('written by another tab after open are caught when read (get, list), not indexed', async () => {
    const namespace = `late-bad-${++n}`;
    const ids = await seeded(namespace);
    const memory = await runtime(namespace);
    const db = await raw(namespace);
    const template = await rowOf(db, 'records', ids[0]!);
    await db.put('records', { ...template, id: 'zz-late', createdAt: Date.UTC(2030, 0, 1), source: null });
    await db.put('records', { id: 'zz-junk', 0: 'not a record' });
    db.close();
    expect(await memory.get('zz-late')).toBeUndefined();
    expect(await memory.get('zz-junk')).toBeUndefined(); // no createdAt: in no index a list walks, only a get meets it
    // The newest-first page of 2 would have started with the bad rows: it is read wider and comes back full.
    const page = await memory.list({ limit: 2, order: 'desc' });
    expect(page).toHaveLength(2);
    expect(page.every((r) => ids.includes(r.id))).toBe(true);
    const stats = await memory.stats();
    expect(stats.quarantine.items.map((i) => i.id).sort()).toEqual(['zz-junk', 'zz-late']);
    await expectGoodRowsWork(memory, ids);
  });
});

describe('purging the quarantine', () => {
  it('deletes quarantined rows for good, those named or all, logs hashes only, and keeps the good rows', async () => {
    const namespace = `purge-${++n}`;
    const ids = await seeded(namespace);
    const db = await raw(namespace);
    const template = await rowOf(db, 'records', ids[0]!);
    for (const id of ['bad-a', 'bad-b', 'bad-c']) await db.put('records', { ...template, id, text: 7, note: `canary ${id}` });
    db.close();

    const memory = await runtime(namespace);
    expect((await memory.stats()).quarantine.records).toBe(3);
    expect(await memory.purgeQuarantine(['bad-a', 'not-quarantined'])).toEqual(['bad-a']);
    expect((await memory.stats()).quarantine.items.map((i) => i.id).sort()).toEqual(['bad-b', 'bad-c']);
    expect((await memory.purgeQuarantine()).sort()).toEqual(['bad-b', 'bad-c']);
    expect((await memory.stats()).quarantine.records).toBe(0);
    expect(await memory.purgeQuarantine()).toEqual([]);
    await expect(memory.purgeQuarantine([42 as unknown as string])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expectGoodRowsWork(memory, ids);
    await memory.close();

    const after = await raw(namespace);
    const log = (await after.getAll('forgetLog')) as Row[];
    expect(log.map((entry) => entry['count'])).toEqual([1, 2]);
    expect(JSON.stringify(log)).not.toContain('bad-');
    expect(await after.count('quarantine')).toBe(0);
    expect(JSON.stringify(await after.getAll('records'))).not.toContain('canary');
    after.close();
  });
});

describe('corrupted vectors', () => {
  it('NaN and zero vectors in the log are left out, reported, and embedded again; recall keeps working', async () => {
    const namespace = `bad-log-${++n}`;
    const ids = await seeded(namespace);
    const db = await raw(namespace);
    const [entry] = (await db.getAll('vectorLog')) as LogRow[];
    const vectors = entry!.vectors.slice();
    vectors[3] = Number.NaN; // record 0
    vectors.fill(0, 32, 64); // record 1
    await db.put('vectorLog', { ...entry, vectors });
    db.close();

    const memory = await runtime(namespace);
    const stats = await memory.stats();
    expect(stats.quarantine.vectors).toBe(2);
    expect(stats.vectors?.count).toBe(2);
    expect(stats.reembedding?.pending).toBe(2);
    await memory.reembed();
    expect((await memory.stats()).vectors?.count).toBe(4);
    await expectGoodRowsWork(memory, ids);
    const [hit] = await memory.recall(GOOD[0]!, { k: 1, reinforce: false });
    expect(hit?.scores.dense).toBeCloseTo(1, 5);
  });

  it('truncated and malformed log entries, and an unknown kind, never stop the open', async () => {
    const namespace = `bad-entries-${++n}`;
    const ids = await seeded(namespace);
    const db = await raw(namespace);
    const [entry] = (await db.getAll('vectorLog')) as LogRow[];
    await db.put('vectorLog', { ...entry, vectors: entry!.vectors.subarray(0, 70) });
    await db.add('vectorLog', { kind: 'put', model: embedder.model, ids: 'oops', vectors: null });
    await db.add('vectorLog', { kind: 'rename', ids: [ids[2]] });
    await db.add('vectorLog', { kind: 'put' });
    db.close();

    const memory = await runtime(namespace);
    const stats = await memory.stats();
    expect(stats.vectors?.count).toBe(0);
    expect(stats.quarantine.vectors).toBeGreaterThanOrEqual(4);
    expect(stats.reembedding?.pending).toBe(4);
    await memory.reembed();
    expect((await memory.stats()).vectors?.count).toBe(4);
    await expectGoodRowsWork(memory, ids);
  });

  it('a chunk with a NaN slot or truncated data, and a garbage HNSW snapshot, are left out and rewritten', async () => {
    const namespace = `bad-chunks-${++n}`;
    const notes = Array.from({ length: 40 }, (_, i) => ({ text: `filler note number ${i} about ${i % 7}` }));
    const first = await runtime(namespace, { compactAfter: 8 });
    const ids = (await first.remember(GOOD.map((text) => ({ text })))).map((r) => r.id);
    await first.remember(notes);
    await first.close();

    const db = await raw(namespace);
    const chunks = (await db.getAll('vectorChunks')) as ChunkRow[];
    expect(chunks).toHaveLength(1);
    const chunk = chunks[0]!;
    const slot = chunk.ids.indexOf(ids[1]!);
    const data = chunk.data.slice();
    data[slot * 32 + 5] = Number.POSITIVE_INFINITY;
    await db.put('vectorChunks', { ...chunk, data });
    // A second chunk whose data was cut short: nothing in it can be placed.
    await db.put('vectorChunks', { ...chunk, chunk: 1, ids: ['ghost'], data: new Float32Array(3) });
    await db.put('indexSnapshots', {
      name: `hnsw:${embedder.model}`,
      model: embedder.model,
      throughSeq: 999,
      bytes: new Uint8Array([1, 2, 3]),
    });
    db.close();

    const memory = await runtime(namespace, { compactAfter: 8, hnswThreshold: 10 });
    const stats = await memory.stats();
    expect(stats.quarantine.vectors).toBe(2); // the infinite slot and the truncated chunk's one id
    expect(stats.vectors?.count).toBe(43);
    await memory.reembed();
    expect((await memory.stats()).vectors?.count).toBe(44);
    for (const [i, text] of GOOD.entries()) {
      const [hit] = await memory.recall(text, { k: 1, reinforce: false });
      expect(hit?.record.id).toBe(ids[i]);
    }
    await memory.close();
    // Compacted since: every chunk on disk is sound again.
    const after = await raw(namespace);
    for (const stored of (await after.getAll('vectorChunks')) as ChunkRow[]) {
      expect(stored.data.length).toBe(stored.ids.length * 32);
      expect(Array.from(stored.data).every(Number.isFinite)).toBe(true);
      expect(stored.ids.length).toBeLessThanOrEqual(VECTOR_CHUNK_SIZE);
    }
    after.close();
  });
});
