// The RecordStore contract: one list of cases that every store must pass, run by Vitest in Node and in Chromium.

import type { RecordStore, VectorChunk } from '../core/ports.js';
import type { MemoryRecord, Tier } from '../core/record.js';

export interface ContractCase {
  name: string;
  run(store: RecordStore): Promise<void>;
}

class ContractFailure extends Error {
  override readonly name = 'ContractFailure';
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ContractFailure(message);
}

function same(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e}, got ${a}`);
}

let serial = 0;
/** A record with every field of the model set, so a store that drops one fails. */
export function sampleRecord(overrides: Partial<MemoryRecord> = {}): MemoryRecord {
  serial++;
  return {
    id: `r${String(serial).padStart(6, '0')}`,
    namespace: 'contract',
    tier: 'episodic',
    text: `record number ${serial}`,
    createdAt: 1_700_000_000_000 + serial,
    eventAt: 1_600_000_000_000 + serial,
    updatedAt: 1_700_000_000_000 + serial,
    sessionId: 's1',
    speaker: 'Ada',
    importance: 0.5,
    strength: 86_400_000,
    lastRecalledAt: 1_700_000_000_500,
    accessCount: 2,
    tags: ['tea', 'morning'],
    meta: { nested: { list: [1, 'two', null, true] }, emoji: '🍵' },
    source: { kind: 'user', name: 'contract' },
    sourceIds: ['a', 'b'],
    embedding: { model: 'hash-256', dims: 256 },
    validFrom: 1_600_000_000_000,
    invalidAt: 1_800_000_000_000,
    ...overrides,
  };
}

const ids = (records: readonly (MemoryRecord | undefined)[]) => records.map((r) => r?.id ?? null);

async function seedForListing(store: RecordStore): Promise<MemoryRecord[]> {
  const base = 1_750_000_000_000;
  const plan: [Tier, string | undefined, number][] = [
    ['episodic', 's1', 0],
    ['semantic', 's1', 1],
    ['episodic', 's2', 2],
    ['episodic', 's1', 3],
    ['archival', undefined, 4],
    ['episodic', 's1', 3], // same createdAt as the fourth: ties are broken by id
  ];
  const records = plan.map(([tier, sessionId, offset]) => {
    const record = sampleRecord({ tier, createdAt: base + offset });
    if (sessionId === undefined) delete record.sessionId;
    else record.sessionId = sessionId;
    return record;
  });
  await store.put(records);
  return records;
}

export const storeContract: readonly ContractCase[] = [
  {
    name: 'put then get returns every field unchanged',
    async run(store) {
      const record = sampleRecord();
      await store.put([record]);
      same(await store.get(record.id), record, 'stored record');
    },
  },
  {
    name: 'get of an unknown id is undefined',
    async run(store) {
      check((await store.get('no-such-id')) === undefined, 'unknown id must be undefined');
    },
  },
  {
    name: 'records are copied in and out',
    async run(store) {
      const record = sampleRecord();
      await store.put([record]);
      record.text = 'changed by the caller after put';
      const read = await store.get(record.id);
      check(read?.text !== record.text, 'a change to the put object must not reach the store');
      if (read) read.tags.push('changed by the caller after get');
      same((await store.get(record.id))?.tags, ['tea', 'morning'], 'tags after mutating a read copy');
    },
  },
  {
    name: 'put of an existing id replaces it',
    async run(store) {
      const record = sampleRecord();
      await store.put([record]);
      await store.put([{ ...record, text: 'replaced', updatedAt: record.updatedAt + 1 }]);
      same((await store.get(record.id))?.text, 'replaced', 'text after replace');
      same(await store.count(), 1, 'count after replace');
    },
  },
  {
    name: 'getMany keeps order and answers undefined for missing ids',
    async run(store) {
      const [a, b] = [sampleRecord(), sampleRecord()];
      await store.put([a, b]);
      same(ids(await store.getMany([b.id, 'missing', a.id])), [b.id, null, a.id], 'getMany ids');
      same(await store.getMany([]), [], 'getMany of nothing');
    },
  },
  {
    name: 'delete removes existing ids and reports only those',
    async run(store) {
      const [a, b, c] = [sampleRecord(), sampleRecord(), sampleRecord()];
      await store.put([a, b, c]);
      const deleted = await store.delete([a.id, 'missing', c.id, a.id]);
      same([...deleted].sort(), [a.id, c.id].sort(), 'deleted ids');
      same(ids(await store.getMany([a.id, b.id, c.id])), [null, b.id, null], 'what is left');
      same(await store.delete([a.id]), [], 'deleting again');
      same(await store.count(), 1, 'count after delete');
    },
  },
  {
    name: 'empty put and delete are no-ops',
    async run(store) {
      await store.put([]);
      same(await store.delete([]), [], 'empty delete');
      same(await store.count(), 0, 'count');
    },
  },
  {
    name: 'list orders by creation time, ties by id, both directions',
    async run(store) {
      const records = await seedForListing(store);
      const asc = [...records].sort((x, y) => x.createdAt - y.createdAt || (x.id < y.id ? -1 : 1)).map((r) => r.id);
      same(ids(await store.list({ limit: 100, order: 'asc' })), asc, 'ascending');
      same(ids(await store.list({ limit: 100, order: 'desc' })), [...asc].reverse(), 'descending');
    },
  },
  {
    name: 'list pages with limit and offset',
    async run(store) {
      const records = await seedForListing(store);
      const all = ids(await store.list({ limit: 100, order: 'asc' }));
      same(all.length, records.length, 'all listed');
      same(ids(await store.list({ limit: 2, offset: 0, order: 'asc' })), all.slice(0, 2), 'page 1');
      same(ids(await store.list({ limit: 2, offset: 2, order: 'asc' })), all.slice(2, 4), 'page 2');
      same(ids(await store.list({ limit: 2, offset: 5, order: 'asc' })), all.slice(5), 'last page');
      same(await store.list({ limit: 2, offset: 99, order: 'asc' }), [], 'past the end');
    },
  },
  {
    name: 'list filters by tier, by session and by both',
    async run(store) {
      const records = await seedForListing(store);
      const expect = (keep: (r: MemoryRecord) => boolean) =>
        records
          .filter(keep)
          .sort((x, y) => x.createdAt - y.createdAt || (x.id < y.id ? -1 : 1))
          .map((r) => r.id);
      same(
        ids(await store.list({ tier: 'episodic', limit: 100, order: 'asc' })),
        expect((r) => r.tier === 'episodic'),
        'tier',
      );
      same(
        ids(await store.list({ sessionId: 's1', limit: 100, order: 'asc' })),
        expect((r) => r.sessionId === 's1'),
        'session',
      );
      const both = expect((r) => r.tier === 'episodic' && r.sessionId === 's1');
      same(ids(await store.list({ tier: 'episodic', sessionId: 's1', limit: 100, order: 'asc' })), both, 'tier and session');
      same(
        ids(await store.list({ tier: 'episodic', sessionId: 's1', limit: 1, offset: 1, order: 'asc' })),
        both.slice(1, 2),
        'offset counts matches',
      );
      same(await store.list({ tier: 'procedural', limit: 100, order: 'asc' }), [], 'empty tier');
    },
  },
  {
    name: 'scan yields every record exactly once, in batches of at most the size asked',
    async run(store) {
      const records = Array.from({ length: 23 }, () => sampleRecord());
      await store.put(records);
      const seen: string[] = [];
      for await (const batch of store.scan(5)) {
        check(batch.length > 0 && batch.length <= 5, `batch of ${batch.length}`);
        seen.push(...batch.map((r) => r.id));
      }
      same([...seen].sort(), records.map((r) => r.id).sort(), 'scanned ids');
      let batches = 0;
      for await (const _batch of store.scan(5)) batches++;
      same(batches, 5, 'number of batches for 23 records of 5');
    },
  },
  {
    name: 'put logs vectors with their records, delete logs their removal, in commit order',
    async run(store) {
      const [a, b] = [sampleRecord(), sampleRecord()];
      await store.put(
        [a, b],
        [
          { id: a.id, model: 'm1', vector: Float32Array.of(1, 0, 0) },
          { id: b.id, model: 'm1', vector: Float32Array.of(0, 1, 0) },
        ],
      );
      await store.delete([a.id, 'missing']);
      const { entries, foldedThroughSeq } = await store.readVectorLog(0);
      same(foldedThroughSeq, 0, 'nothing folded yet');
      // One entry per call: the batch's vectors are packed into one value.
      same(
        entries.map((e) => [e.kind, e.ids]),
        [
          ['put', [a.id, b.id]],
          ['delete', [a.id]],
        ],
        'log entries',
      );
      const first = entries[0];
      check(first?.kind === 'put' && first.vectors instanceof Float32Array, 'logged vectors are a Float32Array');
      same(Array.from(first.kind === 'put' ? first.vectors : []), [1, 0, 0, 0, 1, 0], 'logged vectors');
      check(first.kind === 'put' && first.model === 'm1', 'logged model');
      check(entries[1]!.seq > first.seq, 'seq increases');
      same(
        (await store.readVectorLog(first.seq)).entries.map((e) => e.ids),
        [[a.id]],
        'entries after a seq',
      );
    },
  },
  {
    name: 'compaction writes chunks and a snapshot and folds the log, atomically',
    async run(store) {
      const [a, b] = [sampleRecord(), sampleRecord()];
      await store.put([a], [{ id: a.id, model: 'm1', vector: Float32Array.of(1, 0) }]);
      const { entries } = await store.readVectorLog(0);
      const through = entries[0]!.seq;
      await store.put([b], [{ id: b.id, model: 'm1', vector: Float32Array.of(0, 1) }]);
      await store.compactVectors({
        model: 'm1',
        chunks: [
          { chunk: 1, model: 'm1', dims: 2, ids: [a.id, null], data: Float32Array.of(1, 0, 0, 0) },
          { chunk: 0, model: 'm1', dims: 2, ids: ['old'], data: Float32Array.of(0.6, 0.8) },
        ],
        removeChunks: [],
        throughSeq: through,
        previousThroughSeq: 0,
        snapshot: { name: 'hnsw', model: 'm1', throughSeq: through, bytes: Uint8Array.of(1, 2, 3) },
      });
      // A compaction built on a fold that is no longer current is refused and writes nothing.
      const stale = await store.compactVectors({
        model: 'm1',
        chunks: [],
        removeChunks: [1],
        throughSeq: through + 1,
        previousThroughSeq: 0,
      });
      same(stale, false, 'stale compaction refused');
      const log = await store.readVectorLog(0);
      same(log.foldedThroughSeq, through, 'folded through');
      same(
        log.entries.map((e) => e.ids),
        [[b.id]],
        'what stays in the log',
      );
      const chunks: VectorChunk[] = [];
      for await (const chunk of store.readVectorChunks('m1')) chunks.push(chunk);
      same(
        chunks.map((c) => [c.chunk, c.ids]),
        [
          [0, ['old']],
          [1, [a.id, null]],
        ],
        'chunks in order',
      );
      check(chunks[1]!.data instanceof Float32Array, 'chunk data is a Float32Array');
      same(Array.from((await store.readIndexSnapshot('hnsw'))?.bytes ?? []), [1, 2, 3], 'snapshot bytes');
      check((await store.readIndexSnapshot('other')) === undefined, 'unknown snapshot');
      await store.compactVectors({
        model: 'm2',
        chunks: [{ chunk: 0, model: 'm2', dims: 1, ids: ['other model'], data: Float32Array.of(1) }],
        removeChunks: [],
        throughSeq: through,
        previousThroughSeq: through,
      });
      await store.compactVectors({
        model: 'm1',
        chunks: [],
        removeChunks: [0],
        throughSeq: through,
        previousThroughSeq: through,
      });
      const left: number[] = [];
      for await (const chunk of store.readVectorChunks('m1')) left.push(chunk.chunk);
      same(left, [1], 'chunks after a removal');
      const other: string[] = [];
      for await (const chunk of store.readVectorChunks('m2')) other.push(...chunk.ids.map(String));
      same(other, ['other model'], 'chunks of another model are kept apart');
    },
  },
  {
    name: 'count follows puts and deletes',
    async run(store) {
      same(await store.count(), 0, 'empty');
      const batch = Array.from({ length: 7 }, () => sampleRecord());
      await store.put(batch);
      same(await store.count(), 7, 'after put');
      await store.delete(batch.slice(0, 3).map((r) => r.id));
      same(await store.count(), 4, 'after delete');
    },
  },
];
