import { describe, expect, it } from 'vitest';
import { InMemoryStore } from '../adapters/memory-store.js';
import { HashEmbedder } from './embedding/hash-embedder.js';
import { checkIntegrity, type IntegrityInput } from './integrity.js';
import { newRecord } from './memory/new-record.js';
import type { MemoryRecord } from './record.js';
import { MemoryRuntime } from './runtime.js';
import { ManualClock, sequentialIds } from './test-support.js';
import { HnswIndex } from './vectors/hnsw-index.js';
import { checkHnswIntegrity } from './vectors/hnsw-integrity.js';
import { clusteredVectors } from './vectors/test-vectors.js';

function record(id: string, extra: Partial<MemoryRecord> = {}): MemoryRecord {
  return { ...newRecord({ id, namespace: 'ns', now: 1000 }, { tier: 'episodic', text: `text ${id}` }), ...extra };
}

function unit(dims: number, seed: number): Float32Array {
  const v = clusteredVectors(1, dims, seed)[0]!;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** A sound input over `records`: every index holds every record, each with a unit vector. */
function sound(records: MemoryRecord[], vectors = new Map(records.map((r, i) => [r.id, unit(4, i + 1)]))): IntegrityInput {
  const ids = new Set(records.map((r) => r.id));
  const index = { size: ids.size, has: (id: string) => ids.has(id) };
  return {
    namespace: 'ns',
    records,
    lexical: index,
    facets: index,
    vectors: { model: 'm', dims: 4, kind: 'flat', entries: () => vectors.entries() },
    needsVector: (r) => r.tier !== 'working',
  };
}

const embedded = (id: string) => record(id, { embedding: { model: 'm', dims: 4 } });

describe('checkIntegrity', () => {
  it('passes records that every index holds', () => {
    const report = checkIntegrity(sound([embedded('a'), embedded('b')]));
    expect(report).toEqual({
      ok: true,
      records: 2,
      lexical: 2,
      vectors: { model: 'm', index: 'flat', count: 2 },
      problems: [],
      problemCount: 0,
    });
  });

  it('reports an invalid record, a record of another namespace and a duplicate', () => {
    const broken = { ...embedded('bad'), importance: 'high' };
    const report = checkIntegrity({
      ...sound([embedded('a'), embedded('b')]),
      records: [embedded('a'), { ...embedded('b'), namespace: 'other' }, broken, embedded('a')],
    });
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/record bad is invalid: .*importance/);
    expect(report.problems).toContain('record b belongs to namespace "other"');
    expect(report.problems).toContain('record a is stored twice');
  });

  it('reports a record missing from the lexical index or the facets', () => {
    const input = sound([embedded('a'), embedded('b')]);
    const report = checkIntegrity({ ...input, lexical: { size: 1, has: (id) => id === 'a' } });
    expect(report.problems).toEqual([
      'record b is missing from the lexical index',
      'the lexical index holds 1 entries for 2 records',
    ]);
  });

  it('reports a missing vector, an orphan vector, a working block with a vector and damaged vectors', () => {
    const records = [embedded('a'), embedded('b'), record('w', { tier: 'working' }), embedded('n'), embedded('z')];
    const nan = unit(4, 9);
    nan[2] = Number.NaN;
    const vectors = new Map([
      ['a', unit(4, 1)],
      ['w', unit(4, 2)],
      ['ghost', unit(4, 3)],
      ['n', nan],
      ['z', new Float32Array([0.5, 0, 0, 0])],
    ]);
    const report = checkIntegrity(sound(records, vectors));
    expect(report.problems).toEqual([
      'vector w belongs to a working record, which takes none',
      'vector ghost has no record',
      'vector n holds NaN at 2',
      'vector z has norm 0.5, not 1',
      'record b has no vector of m',
    ]);
  });

  it('leaves records embedded with another model to re-embedding', () => {
    const other = record('o', { embedding: { model: 'old', dims: 8 } });
    expect(checkIntegrity(sound([other], new Map())).ok).toBe(true);
  });

  it('reports a broken HNSW graph', () => {
    const hnsw = new HnswIndex({ dims: 4, seed: 1 });
    const records = Array.from({ length: 40 }, (_, i) => embedded(`r${i}`));
    records.forEach((r, i) => hnsw.upsert(r.id, unit(4, i + 1)));
    hnsw.state().graph.setNeighbours(0, 0, [0]); // the live graph: a node linked to itself
    const broken = hnsw;
    const vectors = new Map(records.map((r) => [r.id, broken.vectorOf(r.id)!]));
    const report = checkIntegrity({
      ...sound(records, vectors),
      vectors: { model: 'm', dims: 4, kind: 'hnsw', entries: () => vectors.entries(), graph: checkHnswIntegrity(broken) },
    });
    expect(report.problems).toContain('HNSW graph: slot 0 level 0: links to itself');
  });

  it('caps the list of problems and counts them all', () => {
    const records = Array.from({ length: 80 }, (_, i) => embedded(`r${i}`));
    const report = checkIntegrity(sound(records, new Map()));
    expect(report.problems).toHaveLength(50);
    expect(report.problemCount).toBe(80);
  });
});

describe('MemoryRuntime.checkIntegrity', () => {
  async function runtime(store: InMemoryStore) {
    return MemoryRuntime.open({
      namespace: 'ns',
      store,
      clock: new ManualClock(),
      newId: sequentialIds(),
      embedder: new HashEmbedder({ dims: 16 }),
      vectors: { hnswThreshold: 60, compactAfter: 32, hnsw: { seed: 3 } },
    });
  }

  it('passes a memory of every tier through HNSW promotion, forget, consolidation and compaction, and after reopening', async () => {
    const store = new InMemoryStore();
    const memory = await runtime(store);
    const turns = Array.from({ length: 90 }, (_, i) => ({ text: `I love topic ${i % 11} number ${i}`, sessionId: `s${i % 4}` }));
    const written = await memory.remember(turns);
    await memory.workingSet('user', { value: 'Name: Ada' });
    await memory.factAdd({ text: 'Ada drinks tea', key: 'Ada|drinks' });
    await memory.forget(written.slice(0, 10).map((r) => r.id));
    await memory.consolidate();
    const report = await memory.checkIntegrity();
    expect(report).toMatchObject({ ok: true, problems: [], vectors: { index: 'hnsw' } });
    expect(report.records).toBe((await memory.stats()).records);
    expect(report.vectors?.count).toBe(report.records - 1); // all but the working block
    await memory.close();

    const reopened = await runtime(store);
    expect(await reopened.checkIntegrity()).toMatchObject({ ok: true, records: report.records, vectors: { index: 'hnsw' } });
    await reopened.close();
  });

  it('finds a record written behind the runtime, missing from its indexes', async () => {
    const store = new InMemoryStore();
    const memory = await runtime(store);
    await memory.remember({ text: 'Ada prefers green tea' });
    await store.put([record('intruder', { namespace: 'ns' })]);
    const report = await memory.checkIntegrity();
    expect(report.ok).toBe(false);
    expect(report.problems).toContain('record intruder is missing from the lexical index');
    await memory.close();
  });

  it('drops the vectors of records deleted without a logged delete (a forget at a full quota), at once and at reopen', async () => {
    // The IndexedDB store deletes without logging when the quota refuses the log entry; this store always does.
    class UnloggedDeletes extends InMemoryStore {
      override async delete(ids: readonly string[]): Promise<string[]> {
        const records = (await this.getMany(ids)).filter((r) => r !== undefined);
        const raw = this as unknown as { records: Map<string, MemoryRecord> };
        for (const r of records) raw.records.delete(r.id);
        return records.map((r) => r.id);
      }
    }
    const store = new UnloggedDeletes();
    const memory = await runtime(store);
    const written = await memory.remember(Array.from({ length: 20 }, (_, i) => ({ text: `note ${i}` })));
    expect(await memory.forget(written.slice(0, 5).map((r) => r.id))).toHaveLength(5);
    expect(await memory.checkIntegrity()).toMatchObject({ ok: true, records: 15, vectors: { count: 15 } });
    await memory.close();
    const reopened = await runtime(store);
    expect(await reopened.checkIntegrity()).toMatchObject({ ok: true, records: 15, vectors: { count: 15 } });
    await reopened.close();
  });

  it('embeds again the records of a vector chunk the browser lost, and then passes', async () => {
    // Chromium can lose the file behind a large value when it is killed; the IndexedDB store hands it on as null.
    class LostFirstChunk extends InMemoryStore {
      override async *readVectorChunks(model: string) {
        for await (const chunk of super.readVectorChunks(model)) yield (chunk.chunk === 0 ? null : chunk) as typeof chunk;
      }
    }
    const store = new LostFirstChunk();
    const memory = await runtime(store);
    await memory.remember(Array.from({ length: 40 }, (_, i) => ({ text: `note ${i}` })));
    await memory.stats(); // the compaction that writes chunk 0 is queued behind the write
    await memory.close();
    const reopened = await runtime(store);
    const before = await reopened.checkIntegrity();
    expect(before.ok).toBe(false);
    expect(before.problems[0]).toMatch(/has no vector of/);
    expect(await reopened.reembed()).toMatchObject({ pending: 0 });
    expect(await reopened.checkIntegrity()).toMatchObject({ ok: true, records: 40, vectors: { count: 40 } });
    await reopened.close();
  });
});
