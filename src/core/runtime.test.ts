import { describe, expect, it } from 'vitest';
import { InMemoryStore } from '../adapters/memory-store.js';
import { HashEmbedder } from './embedding/hash-embedder.js';
import type { MnemoError } from './errors.js';
import type { RecordStore, StoreChange } from './ports.js';
import { MemoryRuntime, type RuntimeDeps } from './runtime.js';
import { codeOf, ManualClock, sequentialIds } from './test-support.js';
import { LIMITS } from './validate.js';

async function open(store: RecordStore = new InMemoryStore(), clock = new ManualClock(), extra: Partial<RuntimeDeps> = {}) {
  return MemoryRuntime.open({ namespace: 'test', store, clock, newId: sequentialIds(), ...extra });
}

describe('MemoryRuntime.remember', () => {
  it('fills every field of the record model', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const memory = await open(new InMemoryStore(), clock);
    const [record] = await memory.remember({
      text: 'Ada prefers green tea',
      speaker: 'Ada',
      sessionId: 's1',
      at: '2023-05-07T10:00:00Z',
      tags: ['drinks'],
    });
    expect(record).toEqual({
      id: 'id000001',
      namespace: 'test',
      tier: 'episodic',
      text: 'Ada prefers green tea',
      createdAt: Date.UTC(2026, 5, 1),
      eventAt: Date.UTC(2023, 4, 7, 10),
      updatedAt: Date.UTC(2026, 5, 1),
      sessionId: 's1',
      speaker: 'Ada',
      importance: 0.5,
      strength: 86_400_000,
      accessCount: 0,
      tags: ['drinks'],
      meta: {},
      source: { kind: 'user' },
      sourceIds: [],
      trust: 'high',
    });
    expect(await memory.get('id000001')).toEqual(record);
  });

  it('stores a batch in one call and indexes all of it', async () => {
    const memory = await open();
    const records = await memory.remember([{ text: 'one apple' }, { text: 'two apples' }, { text: 'a pear' }]);
    expect(records.map((r) => r.id)).toEqual(['id000001', 'id000002', 'id000003']);
    expect((await memory.recall('apple')).map((h) => h.record.id).sort()).toEqual(['id000001', 'id000002']);
  });

  it('rejects bad input with stable codes and stores nothing', async () => {
    const store = new InMemoryStore();
    const memory = await open(store);
    const cases: [unknown, string][] = [
      [{ text: '' }, 'TEXT_EMPTY'],
      [{ text: '   \n\t' }, 'TEXT_EMPTY'],
      [{ text: 42 }, 'INVALID_ARGUMENT'],
      [{}, 'INVALID_ARGUMENT'],
      [null, 'INVALID_ARGUMENT'],
      ['just a string', 'INVALID_ARGUMENT'],
      [{ text: 'broken \uD83D pair' }, 'TEXT_MALFORMED'],
      [{ text: 'x'.repeat(10 * 1024 * 1024) }, 'TEXT_TOO_LONG'],
      [{ text: 'ok', topK: 3 }, 'UNKNOWN_OPTION'],
      [{ text: 'ok', tier: 'longTerm' }, 'INVALID_ARGUMENT'],
      [{ text: 'ok', importance: 2 }, 'INVALID_ARGUMENT'],
      [{ text: 'ok', at: 'not a date' }, 'INVALID_ARGUMENT'],
      [{ text: 'ok', meta: { when: new Map() } }, 'INVALID_ARGUMENT'],
      [{ text: 'ok', meta: { n: Number.NaN } }, 'INVALID_ARGUMENT'],
      [{ text: 'ok', tags: 'tea' }, 'INVALID_ARGUMENT'],
      [{ text: 'ok', source: { kind: 'robot' } }, 'INVALID_ARGUMENT'],
      [[{ text: 'fine' }, { text: '' }], 'TEXT_EMPTY'],
      [[], 'INVALID_ARGUMENT'],
    ];
    for (const [input, code] of cases) {
      expect(await codeOf(memory.remember(input as never)), JSON.stringify(input)?.slice(0, 60)).toBe(code);
    }
    expect(await store.count()).toBe(0);
    expect((await memory.stats()).records).toBe(0);
  });

  it('reports where in a batch the bad entry is', async () => {
    const memory = await open();
    const error = await memory
      .remember([{ text: 'fine' }, { text: 'also fine' }, { text: '' }])
      .catch((e: unknown) => e as MnemoError);
    expect(error).toMatchObject({ code: 'TEXT_EMPTY', details: { field: 'input[2].text' } });
  });

  it('rejects a batch over the limit', async () => {
    const memory = await open();
    const batch = Array.from({ length: LIMITS.maxBatchSize + 1 }, () => ({ text: 'x' }));
    expect(await codeOf(memory.remember(batch))).toBe('BATCH_TOO_LARGE');
  });

  it('does nothing when aborted before the write', async () => {
    const store = new InMemoryStore();
    const memory = await open(store);
    const controller = new AbortController();
    controller.abort();
    expect(await codeOf(memory.remember({ text: 'never stored' }, { signal: controller.signal }))).toBe('ABORTED');
    expect(await store.count()).toBe(0);
  });
});

describe('MemoryRuntime.recall', () => {
  it('finds a memory by its words, with the lexical score explained', async () => {
    const memory = await open();
    await memory.remember([
      { text: 'Ada prefers green tea', speaker: 'user', sessionId: 's1' },
      { text: 'The meeting moved to Thursday', speaker: 'user', sessionId: 's2' },
    ]);
    const hits = await memory.recall('what does Ada drink', { k: 5 });
    expect(hits).toHaveLength(1);
    expect(hits[0]?.record.text).toBe('Ada prefers green tea');
    expect(hits[0]?.scores).toEqual({
      lexical: hits[0]?.scores.lexical,
      relevance: 1,
      time: 1,
      speaker: 1,
      question: 1,
      importance: 0.5,
      retention: 1,
    });
    expect(hits[0]?.scores.lexical).toBeGreaterThan(0);
    // Default importance and full retention leave relevance as it is.
    expect(hits[0]?.score).toBe(1);
  });

  it('matches the speaker name, which is indexed with the text', async () => {
    const memory = await open();
    await memory.remember([
      { text: 'I love hiking', speaker: 'Caroline' },
      { text: 'I love hiking', speaker: 'Melanie' },
    ]);
    expect((await memory.recall('Caroline hiking')).map((h) => h.record.speaker)).toEqual(['Caroline', 'Melanie']);
  });

  it('filters by tier and session before taking the top k', async () => {
    const memory = await open();
    await memory.remember([
      { text: 'tea tea tea', sessionId: 'a' },
      { text: 'tea tea', sessionId: 'b' },
      { text: 'tea', tier: 'semantic' },
    ]);
    expect((await memory.recall('tea', { k: 1, filter: { sessionId: 'b' } })).map((h) => h.record.text)).toEqual(['tea tea']);
    expect((await memory.recall('tea', { k: 1, tiers: ['semantic'] })).map((h) => h.record.text)).toEqual(['tea']);
  });

  it('rejects bad queries and options with stable codes', async () => {
    const memory = await open();
    const cases: [unknown, unknown, string][] = [
      ['', undefined, 'TEXT_EMPTY'],
      [42, undefined, 'INVALID_ARGUMENT'],
      ['\uDC00', undefined, 'TEXT_MALFORMED'],
      ['x'.repeat(LIMITS.maxTextLength + 1), undefined, 'TEXT_TOO_LONG'],
      ['tea', { k: 0 }, 'INVALID_ARGUMENT'],
      ['tea', { k: -3 }, 'INVALID_ARGUMENT'],
      ['tea', { k: 2.5 }, 'INVALID_ARGUMENT'],
      ['tea', { k: LIMITS.maxK + 1 }, 'INVALID_ARGUMENT'],
      ['tea', { topK: 5 }, 'UNKNOWN_OPTION'],
      ['tea', { tiers: [] }, 'INVALID_ARGUMENT'],
      ['tea', { tiers: ['nope'] }, 'INVALID_ARGUMENT'],
      ['tea', 'k=5', 'INVALID_ARGUMENT'],
    ];
    for (const [query, options, code] of cases) {
      expect(
        await codeOf(memory.recall(query as string, options as never)),
        `${String(query).slice(0, 20)} ${JSON.stringify(options)}`,
      ).toBe(code);
    }
  });
});

describe('MemoryRuntime lifecycle', () => {
  it('rebuilds its index from the store when reopened', async () => {
    const store = new InMemoryStore();
    const first = await open(store);
    await first.remember({ text: 'Ada prefers green tea' });
    const second = await MemoryRuntime.open({ namespace: 'test', store, clock: new ManualClock(), newId: sequentialIds('b') });
    expect((await second.recall('green tea')).map((h) => h.record.text)).toEqual(['Ada prefers green tea']);
  });

  it('forgets completely: record, index entry and stats', async () => {
    const memory = await open();
    const [a, b] = await memory.remember([{ text: 'green tea' }, { text: 'black tea' }]);
    expect(await memory.forget([a!.id, 'missing'])).toEqual([a!.id]);
    expect(await memory.get(a!.id)).toBeUndefined();
    expect((await memory.recall('tea')).map((h) => h.record.id)).toEqual([b!.id]);
    expect((await memory.recall('green')).length).toBe(0);
    expect(await memory.forget(a!.id)).toEqual([]);
    const stats = await memory.stats();
    expect(stats.records).toBe(1);
    expect(stats.byTier.episodic).toBe(1);
  });

  it('lists newest first by default, pages, and filters', async () => {
    const clock = new ManualClock();
    const memory = await open(new InMemoryStore(), clock);
    for (const text of ['first', 'second', 'third']) {
      await memory.remember({ text, sessionId: text === 'second' ? 'b' : 'a' });
      clock.advance(1000);
    }
    expect((await memory.list()).map((r) => r.text)).toEqual(['third', 'second', 'first']);
    expect((await memory.list({ order: 'asc', limit: 2 })).map((r) => r.text)).toEqual(['first', 'second']);
    expect((await memory.list({ order: 'asc', limit: 2, offset: 2 })).map((r) => r.text)).toEqual(['third']);
    expect((await memory.list({ sessionId: 'a' })).map((r) => r.text)).toEqual(['third', 'first']);
    expect(await codeOf(memory.list({ limit: 0 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(memory.list({ order: 'newest' as never }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(memory.list({ page: 2 } as never))).toBe('UNKNOWN_OPTION');
  });

  it('counts records per tier', async () => {
    const memory = await open();
    await memory.remember([{ text: 'a' }, { text: 'b', tier: 'semantic' }, { text: 'c', tier: 'archival' }, { text: 'd' }]);
    const stats = await memory.stats();
    expect(stats).toMatchObject({ namespace: 'test', records: 4, lexical: { documents: 4 } });
    expect(stats.byTier).toEqual({ working: 0, shortTerm: 0, episodic: 2, semantic: 1, procedural: 0, archival: 1 });
  });

  it('fails every call with CLOSED after close, and closes its store', async () => {
    const store = new InMemoryStore();
    let closed = false;
    store.close = async () => {
      closed = true;
    };
    const memory = await open(store);
    await memory.close();
    expect(closed).toBe(true);
    expect(await codeOf(memory.recall('x'))).toBe('CLOSED');
    expect(await codeOf(memory.remember({ text: 'x' }))).toBe('CLOSED');
    expect(await codeOf(memory.stats())).toBe('CLOSED');
  });

  it('applies changes another runtime announces, and repairs itself when a refresh fails', async () => {
    const shared = new InMemoryStore();
    const listeners: ((change: StoreChange) => void)[] = [];
    let failReads = false;
    const observed: RecordStore = Object.assign(Object.create(shared) as InMemoryStore, {
      subscribe: (listener: (change: StoreChange) => void) => {
        listeners.push(listener);
        return () => undefined;
      },
      getMany: (ids: readonly string[]) => (failReads ? Promise.reject(new Error('disk hiccup')) : shared.getMany(ids)),
    });
    const reader = await open(observed);
    const writer = await open(shared);
    const [tea] = await writer.remember({ text: 'green tea' });
    for (const listener of listeners) listener({ kind: 'put', ids: [tea!.id] });
    expect((await reader.recall('tea')).map((h) => h.record.id)).toEqual([tea!.id]);

    failReads = true;
    const [coffee] = await writer.remember({ text: 'black coffee' });
    for (const listener of listeners) listener({ kind: 'put', ids: [coffee!.id] });
    failReads = false;
    // The failed refresh marked the index stale; this read rebuilds it from the store.
    expect((await reader.recall('coffee')).map((h) => h.record.id)).toEqual([coffee!.id]);

    await writer.forget(tea!.id);
    for (const listener of listeners) listener({ kind: 'delete', ids: [tea!.id] });
    expect(await reader.recall('tea')).toEqual([]);
  });
});

describe('MemoryRuntime with an embedder (hybrid recall)', () => {
  const embedder = new HashEmbedder();
  const openHybrid = (store: RecordStore = new InMemoryStore()) => open(store, new ManualClock(), { embedder });

  it('finds a memory the words miss but the vectors catch, and explains both scores', async () => {
    const memory = await openHybrid();
    await memory.remember([{ text: 'Ada prefers green tea' }, { text: 'The quarterly report is due' }]);
    // A misspelt query shares no term with the memory, only character n-grams.
    const [hit] = await memory.recall('gren tae', { k: 1 });
    expect(hit?.record.text).toBe('Ada prefers green tea');
    expect(hit?.scores.lexical).toBe(0);
    expect(hit?.scores.dense).toBeGreaterThan(0);
    const [both] = await memory.recall('green tea', { k: 1 });
    expect(both?.scores.lexical).toBeGreaterThan(0);
    expect(both?.scores.dense).toBeGreaterThan(0.5);
  });

  it('stores the embedding reference with each record and keeps vectors across a reopen', async () => {
    const store = new InMemoryStore();
    const first = await openHybrid(store);
    const [record] = await first.remember({ text: 'Ada prefers green tea' });
    expect(record?.embedding).toEqual({ model: embedder.model, dims: 256 });
    await first.close();
    const second = await openHybrid(store);
    expect((await second.stats()).vectors).toEqual({ model: embedder.model, dims: 256, count: 1, index: 'flat' });
    expect((await second.recall('gren tae'))[0]?.record.id).toBe(record?.id);
  });

  it('forgets the vector with the record', async () => {
    const memory = await openHybrid();
    const [tea] = await memory.remember([{ text: 'Ada prefers green tea' }, { text: 'Bob drinks coffee' }]);
    await memory.forget(tea!.id);
    expect((await memory.stats()).vectors?.count).toBe(1);
    expect((await memory.recall('gren tae')).map((h) => h.record.id)).not.toContain(tea!.id);
  });

  it('applies tier and session filters to the dense candidates too', async () => {
    const memory = await openHybrid();
    await memory.remember([
      { text: 'green tea', sessionId: 'a' },
      { text: 'green tea', sessionId: 'b', tier: 'semantic' },
    ]);
    const hits = await memory.recall('gren tae', { filter: { sessionId: 'b' } });
    expect(hits.map((h) => h.record.sessionId)).toEqual(['b']);
  });

  it('builds the HNSW index in deferred slices while recall keeps answering from the flat one', async () => {
    const tasks: (() => void)[] = [];
    // Time moves 10 ms per reading, so a 25 ms slice ends after a few dozen inserts.
    const clock = new ManualClock();
    clock.now = () => (clock.time += 10);
    const memory = await open(new InMemoryStore(), clock, {
      embedder,
      vectors: { hnswThreshold: 50 },
      defer: (task) => tasks.push(task),
    });
    await memory.remember(Array.from({ length: 80 }, (_, i) => ({ text: `note number ${i} on topic ${i % 7}` })));
    expect((await memory.stats()).vectors?.index).toBe('flat');
    expect(tasks).toHaveLength(1);
    expect((await memory.recall('note number 42', { k: 1 }))[0]?.record.text).toBe('note number 42 on topic 0');
    let slices = 0;
    while (tasks.length > 0) {
      tasks.shift()!();
      await memory.stats();
      slices++;
    }
    expect(slices).toBeGreaterThan(1);
    expect((await memory.stats()).vectors).toMatchObject({ index: 'hnsw', count: 80 });
    expect((await memory.recall('note number 42', { k: 1 }))[0]?.record.text).toBe('note number 42 on topic 0');
  });

  it('compacts the vector log once it is long, and reopens from the chunks', async () => {
    const store = new InMemoryStore();
    const memory = await open(store, new ManualClock(), { embedder, vectors: { compactAfter: 10 } });
    await memory.remember(Array.from({ length: 25 }, (_, i) => ({ text: `note number ${i}` })));
    await memory.stats(); // waits for the queued compaction
    expect((await store.readVectorLog(0)).entries).toEqual([]);
    const reopened = await openHybrid(store);
    expect((await reopened.stats()).vectors?.count).toBe(25);
  });
});

describe('MemoryRuntime with a misbehaving embedder', () => {
  for (const [label, make, code] of [
    ['NaN', () => Float32Array.of(Number.NaN, 1, 0, 0), 'INVALID_VECTOR'],
    ['zeros', () => new Float32Array(4), 'INVALID_VECTOR'],
    ['wrong size', () => new Float32Array(3), 'INDEX_DIMENSION_MISMATCH'],
    ['not a Float32Array', () => [1, 0, 0, 0] as unknown as Float32Array, 'INVALID_VECTOR'],
  ] as const) {
    it(`rejects a vector of ${label} with a typed error and stores nothing`, async () => {
      const store = new InMemoryStore();
      const embedder = { model: 'broken', dims: 4, embed: async (texts: readonly string[]) => texts.map(() => make()) };
      const memory = await open(store, new ManualClock(), { embedder });
      expect(await codeOf(memory.remember({ text: 'x' }))).toBe(code);
      expect(await store.count()).toBe(0);
      expect((await store.readVectorLog(0)).entries).toEqual([]);
    });
  }
});

describe('MemoryRuntime with an embedder that does not normalise', () => {
  it('reports true cosines, also for a lexical candidate the dense search did not return', async () => {
    const hash = new HashEmbedder();
    // Scales every vector by 5: the index normalises what it stores, and the query must be normalised too.
    const loud = {
      model: 'loud',
      dims: hash.dims,
      embed: async (texts: readonly string[]) => texts.map((t) => hash.embedOne(t).map((x) => x * 5)),
    };
    // Rank by words, so the dense score shown is the one computed directly.
    const memory = await open(new InMemoryStore(), new ManualClock(), { embedder: loud, fusion: { lexical: 1, dense: 0 } });
    // Sixty near spellings fill the dense top 50; the one real match is found by its word only.
    await memory.remember(Array.from({ length: 60 }, (_, i) => ({ text: `greeny greenly ${i}` })));
    const [target] = await memory.remember({ text: 'the green one is mine among many other words written here' });
    const hits = await memory.recall('green', { k: 1 });
    expect(hits[0]?.record.id).toBe(target!.id);
    const cosine = hash.embedOne('green').reduce((sum, x, i) => sum + x * hash.embedOne(target!.text)[i]!, 0);
    expect(hits[0]?.scores.dense).toBeCloseTo(cosine, 5);
  });
});
