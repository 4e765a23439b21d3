// The memory model's cross-cutting verbs through MemoryRuntime: recall's signals and options, short-term
// turns, complete forgetting, export/import, tools, and namespace isolation.

import { describe, expect, it } from 'vitest';
import { InMemoryStore } from '../adapters/memory-store.js';
import { HashEmbedder } from './embedding/hash-embedder.js';
import { INITIAL_STRENGTH_MS } from './record.js';
import { MemoryRuntime, type RuntimeDeps } from './runtime.js';
import { codeOf, ManualClock, sequentialIds } from './test-support.js';

const DAY = 86_400_000;

function open(extra: Partial<RuntimeDeps> = {}) {
  return MemoryRuntime.open({
    namespace: 'test',
    store: new InMemoryStore(),
    clock: new ManualClock(),
    newId: sequentialIds(),
    ...extra,
  });
}

describe('recall signals', () => {
  it('indexes a turn with the turns around it, so a reply is found by the question it answers', async () => {
    const memory = await open();
    await memory.remember([
      { text: 'What did you do while camping?', speaker: 'Ada', sessionId: 's' },
      { text: 'We roasted marshmallows and went on a hike.', speaker: 'Bo', sessionId: 's' },
      { text: 'Marshmallows are sticky.', speaker: 'Ada', sessionId: 'other' },
    ]);
    const hits = await memory.recall('what did Bo do camping');
    expect(hits[0]?.record.text).toBe('We roasted marshmallows and went on a hike.');
  });

  it('boosts turns by the one speaker the query names, and says so', async () => {
    const memory = await open();
    await memory.remember([
      { text: 'I painted a sunset', speaker: 'Ada', sessionId: 'a' },
      { text: 'I painted a sunset', speaker: 'Bo', sessionId: 'b' },
    ]);
    const hits = await memory.recall('what did Bo paint');
    expect(hits.map((h) => [h.record.speaker, h.scores.speaker])).toEqual([
      ['Bo', 2],
      ['Ada', 1],
    ]);
  });

  it('boosts records in a date window the query names, resolved against referenceTime', async () => {
    const memory = await open();
    await memory.remember([
      { text: 'We went to the lake', sessionId: 'may', at: '2023-05-14T10:00:00Z' },
      { text: 'We went to the lake', sessionId: 'june', at: '2023-06-20T10:00:00Z' },
    ]);
    const inMay = await memory.recall('lake in May 2023');
    expect(inMay.map((h) => [h.record.sessionId, h.scores.time])).toEqual([
      ['may', 2],
      ['june', 1],
    ]);
    const lastMonth = await memory.recall('the lake last month', { referenceTime: '2023-07-02T00:00:00Z' });
    expect(lastMonth[0]?.record.sessionId).toBe('june');
    expect(lastMonth[0]?.scores.time).toBe(2);
  });

  it('filters by speaker, tags, source, session and event time before taking the top k', async () => {
    const memory = await open();
    await memory.remember([
      { text: 'tea at noon', speaker: 'Ada', tags: ['drink'], at: '2023-01-01T12:00:00Z' },
      { text: 'tea at dawn', speaker: 'Bo', tags: ['drink', 'morning'], at: '2023-02-01T06:00:00Z', source: { kind: 'app' } },
      { text: 'tea at dusk', speaker: 'Bo', sessionId: 's9', at: '2023-03-01T18:00:00Z' },
    ]);
    const texts = async (options: object) => (await memory.recall('tea', options)).map((h) => h.record.text).sort();
    expect(await texts({ filter: { speaker: 'Bo' } })).toEqual(['tea at dawn', 'tea at dusk']);
    expect(await texts({ filter: { tags: ['drink', 'morning'] } })).toEqual(['tea at dawn']);
    expect(await texts({ filter: { source: 'app' } })).toEqual(['tea at dawn']);
    expect(await texts({ filter: { sessionId: 's9' } })).toEqual(['tea at dusk']);
    expect(await texts({ timeRange: { from: '2023-01-15T00:00:00Z', to: '2023-02-15T00:00:00Z' } })).toEqual(['tea at dawn']);
    expect(await codeOf(memory.recall('tea', { timeRange: { from: 5, to: 5 } }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(memory.recall('tea', { filter: { colour: 'red' } as object }))).toBe('UNKNOWN_OPTION');
    expect(await codeOf(memory.recall('tea', { diversity: 2 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(memory.recall('tea', { expand: 11 }))).toBe('INVALID_ARGUMENT');
  });

  it('attaches the neighbouring turns of each hit with expand', async () => {
    const memory = await open();
    await memory.remember(['one', 'two apples', 'three', 'four', 'five'].map((text) => ({ text, sessionId: 's' })));
    const [hit] = await memory.recall('apples', { k: 1, expand: 2 });
    expect(hit?.neighbours?.map((r) => r.text)).toEqual(['one', 'three', 'four']);
  });

  it('strengthens recalled records on the forgetting curve, and ranks faded ones lower', async () => {
    const clock = new ManualClock();
    const memory = await open({ clock });
    const [kept, faded] = await memory.remember([{ text: 'violin lessons' }, { text: 'violin lessons' }]);
    await memory.recall('violin', { k: 1 });
    await memory.stats(); // the reinforcement is queued behind the recall
    const strengthened = await memory.get(kept!.id);
    expect(strengthened).toMatchObject({ accessCount: 1, lastRecalledAt: clock.now(), strength: 2 * INITIAL_STRENGTH_MS });
    clock.advance(3 * DAY);
    const hits = await memory.recall('violin', { reinforce: false });
    expect(hits.map((h) => h.record.id)).toEqual([kept!.id, faded!.id]);
    expect(hits[0]!.scores.retention).toBeCloseTo(Math.exp(-3 / 2), 6);
    expect(hits[1]!.scores.retention).toBeCloseTo(Math.exp(-3), 6);
    expect((await memory.get(faded!.id))?.accessCount).toBe(0);
  });

  it('ranks important records higher, all else equal', async () => {
    const memory = await open();
    await memory.remember([
      { text: 'passport number', importance: 0.1 },
      { text: 'passport number', importance: 0.9 },
    ]);
    expect((await memory.recall('passport')).map((h) => h.record.importance)).toEqual([0.9, 0.1]);
  });

  it('stores a chat role as the speaker', async () => {
    const memory = await open();
    const [record] = await memory.remember({ text: 'hello', role: 'user' });
    expect(record?.speaker).toBe('user');
    expect(await codeOf(memory.remember({ text: 'hello', role: 'user', speaker: 'Ada' }))).toBe('INVALID_ARGUMENT');
  });
});

describe('forget', () => {
  it('deletes by filter, everywhere: record, vector, lexical postings', async () => {
    const memory = await open({ embedder: new HashEmbedder() });
    await memory.remember([
      { text: 'kiwi smoothie', sessionId: 'a' },
      { text: 'kiwi tart', sessionId: 'b' },
    ]);
    const gone = await memory.forget({ sessionId: 'a' });
    expect(gone).toHaveLength(1);
    const stats = await memory.stats();
    expect(stats.records).toBe(1);
    expect(stats.vectors?.count).toBe(1);
    expect((await memory.recall('smoothie')).map((h) => h.record.text)).toEqual(['kiwi tart']);
    expect(await codeOf(memory.forget({}))).toBe('INVALID_ARGUMENT');
  });

  it('with derived, also forgets facts whose every source is forgotten', async () => {
    const memory = await open();
    const [a, b] = await memory.remember([
      { text: 'I live in Lisbon', speaker: 'Ada', sessionId: 's' },
      { text: 'Lisbon is sunny' },
    ]);
    const onlyA = await memory.factAdd({ text: 'Ada lives in Lisbon', sourceIds: [a!.id] });
    const both = await memory.factAdd({ text: 'Lisbon has sun and Ada', sourceIds: [a!.id, b!.id] });
    const gone = await memory.forget(a!.id, { derived: true });
    expect(gone.sort()).toEqual([a!.id, onlyA.fact.id].sort());
    expect(await memory.get(both.fact.id)).toBeDefined();
  });
});

describe('export and import', () => {
  it('reproduces identical recall in an empty namespace, vectors included', async () => {
    const clock = new ManualClock();
    const source = await open({ clock, embedder: new HashEmbedder() });
    await source.remember([
      { text: 'We hiked in the mountains', speaker: 'Ada', sessionId: 't', at: '2023-05-20T09:00:00Z' },
      { text: 'The cabin was cold', speaker: 'Bo', sessionId: 't', at: '2023-05-20T09:05:00Z' },
    ]);
    await source.workingSet('persona', { value: '' });
    await source.factAdd({ text: 'Ada owns boots', key: 'Ada|boots' });
    await source.factUpdate((await source.factList())[0]!.id, { text: 'Ada owns new boots' });
    await source.recall('mountains'); // reinforcement is exported too
    const backup = await source.exportJsonl();
    const target = await MemoryRuntime.open({
      namespace: 'copy',
      store: new InMemoryStore(),
      clock,
      newId: sequentialIds('x'),
      embedder: new HashEmbedder(),
    });
    expect(await target.importJsonl(backup)).toEqual({ records: 5, vectors: 4 });
    for (const query of ['hike mountains', 'cold cabin in May 2023', 'boots']) {
      const expected = await source.recall(query, { reinforce: false });
      expect(expected.length).toBeGreaterThan(0);
      expect(await target.recall(query, { reinforce: false })).toEqual(
        expected.map((h) => ({ ...h, record: { ...h.record, namespace: 'copy' } })),
      );
    }
    // The superseded fact came along: history and asOf still see it.
    expect((await target.factList({ includeInvalid: true })).map((f) => f.text).sort()).toEqual([
      'Ada owns boots',
      'Ada owns new boots',
    ]);
    expect(await codeOf(target.importJsonl(backup))).toBe('NAMESPACE_NOT_EMPTY');
  });

  it('imports more records than one remember() batch may hold', async () => {
    const source = await open();
    for (let start = 0; start < 10_050; start += 5_025) {
      await source.remember(Array.from({ length: 5_025 }, (_, i) => ({ text: `record ${start + i}` })));
    }
    const target = await open();
    expect(await target.importJsonl(await source.exportJsonl())).toEqual({ records: 10_050, vectors: 0 });
    expect((await target.stats()).records).toBe(10_050);
  });

  it('writes nothing from a malformed backup', async () => {
    const source = await open();
    await source.remember([{ text: 'one' }, { text: 'two' }]);
    const lines = (await source.exportJsonl()).trim().split('\n');
    const target = await open();
    expect(await codeOf(target.importJsonl([lines[0], lines[1], '{"record": 42}'].join('\n')))).toBe('IMPORT_MALFORMED');
    expect((await target.stats()).records).toBe(0);
  });
});

describe('tools', () => {
  it('lets a function-calling model drive the memory, and answers its mistakes', async () => {
    const memory = await open();
    const tools = await memory.tools();
    expect(tools.map((t) => t.name)).toContain('core_memory_append');
    await memory.workingSet('human', { value: 'Name: Ada' });
    const appended = await memory.executeTool({ name: 'core_memory_append', arguments: '{"label":"human","text":"Likes tea"}' });
    expect(appended.isError).toBe(false);
    expect((await memory.workingGet('human'))?.value).toBe('Name: Ada\nLikes tea');
    await memory.executeTool({ name: 'memory_add', arguments: { text: 'Ada booked a flight to Oslo' } });
    const found = await memory.executeTool({ name: 'memory_search', arguments: { query: 'flight Oslo' } });
    expect((JSON.parse(found.content) as { text: string; tier: string }[])[0]).toMatchObject({
      text: 'Ada booked a flight to Oslo',
      tier: 'episodic',
    });
    const bad = await memory.executeTool({ name: 'core_memory_replace', arguments: '{"label":"human"' });
    expect(bad.isError).toBe(true);
    expect((JSON.parse(bad.content) as { error: { code: string } }).error.code).toBe('TOOL_ARGUMENTS');
  });
});

describe('namespaces', () => {
  it('shares no state between two runtimes (one IndexedDB database per namespace is tested in Chromium)', async () => {
    const a = await MemoryRuntime.open({
      namespace: 'alice',
      store: new InMemoryStore(),
      clock: new ManualClock(),
      newId: sequentialIds(),
    });
    const b = await MemoryRuntime.open({
      namespace: 'bob',
      store: new InMemoryStore(),
      clock: new ManualClock(),
      newId: sequentialIds(),
    });
    await a.remember({ text: 'alice secret' });
    expect(await b.recall('secret')).toEqual([]);
    expect((await a.recall('secret'))[0]?.record.namespace).toBe('alice');
  });
});

describe('consolidate with the app’s language model', () => {
  it('takes facts and summaries from the model, and falls back to the extractive summary when it refuses one', async () => {
    const memory = await open();
    await memory.remember([
      { text: 'I moved to Porto in March', speaker: 'Ada', sessionId: 's1' },
      { text: 'Nice!', speaker: 'Bo', sessionId: 's1' },
    ]);
    const llm = async (prompt: string) =>
      prompt.startsWith('Summarise')
        ? '   '
        : '[{"fact": "Ada lives in Porto", "key": "Ada|lives in", "turns": [0], "importance": 0.8}]';
    const progress: number[] = [];
    const report = await memory.consolidate({}, { llm, onProgress: (r) => progress.push(r.processed) });
    expect(report).toMatchObject({ processed: 2, factsAdded: 1, episodesSummarised: 1 });
    expect(report.rejected).toEqual([{ id: 'id000001', reason: 'Extractor output refused: the summary is empty.' }]);
    expect(progress).toEqual([2]);
    const [fact] = await memory.factList();
    expect(fact).toMatchObject({ text: 'Ada lives in Porto', importance: 0.8, source: { kind: 'llm' }, sourceIds: ['id000001'] });
    const summary = (await memory.list({ tier: 'episodic' })).find((r) => r.meta['summaryOf'] === 's1');
    expect(summary?.source).toEqual({ kind: 'extractor', name: 'mnemo-extractive-summary' });
    expect((await memory.stats()).consolidation).toMatchObject({ pending: 0, running: false, last: { report } });
  });

  it('runs by itself once the memory is idle, when the host can schedule', async () => {
    const timers: { task: () => void; delayMs: number; cancelled: boolean }[] = [];
    const schedule = (task: () => void, delayMs: number) => {
      const timer = { task, delayMs, cancelled: false };
      timers.push(timer);
      return () => (timer.cancelled = true);
    };
    const memory = await open({ schedule, consolidateWhenIdleMs: 5000 });
    await memory.remember({ text: 'I live in Oslo', speaker: 'Ada', sessionId: 's' });
    await memory.remember({ text: 'I love skiing', speaker: 'Ada', sessionId: 's' });
    expect(timers.map((t) => [t.delayMs, t.cancelled])).toEqual([
      [5000, true],
      [5000, false],
    ]);
    timers[1]!.task();
    await expect.poll(async () => (await memory.stats()).consolidation.last?.report?.factsAdded).toBe(2);
    expect((await memory.factList()).map((f) => f.text).sort()).toEqual(['Ada lives in Oslo', 'Ada loves skiing']);
  });
});

describe('a change of embedding model', () => {
  it('re-embeds what was stored under the old model, resumably, and never mixes dimensions', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock();
    const texts = Array.from({ length: 70 }, (_, i) => ({ text: `note ${i} about kiwi number ${i}` }));
    const before = await MemoryRuntime.open({
      namespace: 'm',
      store,
      clock,
      newId: sequentialIds('a'),
      embedder: new HashEmbedder({ dims: 64 }),
    });
    await before.remember(texts);
    await before.workingSet('persona', { value: 'no vector for me' });
    await before.close();

    // Reopened with another model (other dims): 70 records lack its vector; the working block needs none.
    const other = new HashEmbedder({ dims: 32 });
    const first = await MemoryRuntime.open({ namespace: 'm', store, clock, newId: sequentialIds('b'), embedder: other });
    expect((await first.stats()).reembedding).toEqual({ pending: 70, running: false });
    expect((await first.stats()).vectors).toMatchObject({ model: other.model, dims: 32, count: 0 });
    // Stopped after the first batch: the work done stays done.
    const controller = new AbortController();
    const progress: number[] = [];
    const stopped = await first
      .reembed({
        signal: controller.signal,
        onProgress: (r) => {
          progress.push(r.pending);
          controller.abort();
        },
      })
      .catch((e: { code: string }) => e.code);
    expect(stopped).toBe('ABORTED');
    expect(progress).toEqual([38]);
    await first.close();

    const second = await MemoryRuntime.open({ namespace: 'm', store, clock, newId: sequentialIds('c'), embedder: other });
    expect((await second.stats()).reembedding?.pending).toBe(38);
    expect(await second.reembed()).toEqual({ embedded: 38, pending: 0 });
    const stats = await second.stats();
    expect(stats.vectors).toMatchObject({ model: other.model, dims: 32, count: 70 });
    expect(stats.reembedding).toEqual({ pending: 0, running: false });
    expect((await second.get('a000007'))?.embedding).toEqual({ model: other.model, dims: 32 });
    const [hit] = await second.recall('kiwi number 7');
    expect(hit?.scores.dense).toBeGreaterThan(0);
    expect(await second.reembed()).toEqual({ embedded: 0, pending: 0 });
  });

  it('runs by itself after opening when the host can defer work', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock();
    const seed = await MemoryRuntime.open({ namespace: 'm', store, clock, newId: sequentialIds('a') });
    await seed.remember(Array.from({ length: 40 }, (_, i) => ({ text: `plain ${i}` })));
    await seed.close();
    const tasks: (() => void)[] = [];
    const memory = await MemoryRuntime.open({
      namespace: 'm',
      store,
      clock,
      newId: sequentialIds('b'),
      embedder: new HashEmbedder(),
      defer: (task) => tasks.push(task),
    });
    expect((await memory.stats()).reembedding?.pending).toBe(40);
    // Each deferred task embeds one batch of 32 and, when it is done, defers the next: two tasks here.
    let ran = 0;
    for (let round = 0; round < 10 && (await memory.stats()).reembedding?.pending !== 0; round++) {
      for (const task of tasks.splice(0)) {
        task();
        ran++;
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(ran).toBe(2);
    expect((await memory.stats()).reembedding).toEqual({ pending: 0, running: false });
    expect((await memory.stats()).vectors?.count).toBe(40);
  });
});
