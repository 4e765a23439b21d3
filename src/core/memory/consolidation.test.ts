// consolidate(): facts extracted from new turns with provenance, contradictions superseding, repeats merging,
// incremental and resumable passes, aborts, refused extractor output, episode summaries and explicit pruning.

import { describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../adapters/memory-store.js';
import type { ConsolidationReport } from '../api.js';
import { MnemoError } from '../errors.js';
import type { MemoryRecord, RememberInput } from '../record.js';
import { MemoryRuntime, type RuntimeDeps } from '../runtime.js';
import { codeOf, ManualClock, sequentialIds } from '../test-support.js';
import { llmExtractor, ruleExtractor, type Extractor } from './extractor.js';

const DAY = 24 * 60 * 60 * 1000;

async function open(extra: Partial<RuntimeDeps> = {}) {
  const clock = new ManualClock();
  const memory = await MemoryRuntime.open({
    namespace: 'test',
    store: new InMemoryStore(),
    clock,
    newId: sequentialIds(),
    ...extra,
  });
  return { memory, clock };
}

/** Remembers turns one second apart, so their order is their event order. */
async function say(memory: MemoryRuntime, clock: ManualClock, ...turns: RememberInput[]): Promise<MemoryRecord[]> {
  const out: MemoryRecord[] = [];
  for (const turn of turns) {
    out.push(...(await memory.remember(turn)));
    clock.advance(1000);
  }
  return out;
}

function report(fields: Partial<ConsolidationReport>): ConsolidationReport {
  return {
    processed: 0,
    factsAdded: 0,
    factsMerged: 0,
    factsInvalidated: 0,
    episodesSummarised: 0,
    pruned: 0,
    more: false,
    rejected: [],
    ...fields,
  };
}

async function everything(memory: MemoryRuntime): Promise<MemoryRecord[]> {
  return memory.list({ limit: 1000, order: 'asc' });
}

async function summaries(memory: MemoryRuntime): Promise<MemoryRecord[]> {
  return (await everything(memory)).filter((r) => r.meta['summaryOf'] !== undefined);
}

/** What a fact is, independent of ids and times: text, provenance, whether still valid. */
async function factShapes(memory: MemoryRuntime): Promise<string[]> {
  const facts = await memory.factList({ includeInvalid: true, limit: 1000 });
  return facts.map((f) => `${f.text} <- ${f.sourceIds.join(',')}${f.invalidAt === undefined ? '' : ' (invalid)'}`).sort();
}

/** Fifty turns, ids id000001..id000050: a like of its own each, and Ada moving house every tenth turn. */
function fiftyTurns(sessionOf: (i: number) => string = () => 's1'): RememberInput[] {
  return Array.from({ length: 50 }, (_, i) => ({
    text: i % 10 === 0 ? `I live in city${i}` : `I like hobby${i}`,
    speaker: i % 10 === 0 ? 'Ada' : i % 2 === 0 ? 'Bo' : 'Cy',
    sessionId: sessionOf(i),
  }));
}

describe('consolidate() with the rule extractor', () => {
  it('learns "Ada lives in Lisbon" from her turn, citing it', async () => {
    const { memory, clock } = await open();
    const [turn] = await say(memory, clock, { text: 'I live in Lisbon', speaker: 'Ada', sessionId: 's1' });
    expect(await memory.consolidate()).toEqual(report({ processed: 1, factsAdded: 1, episodesSummarised: 1 }));
    const facts = await memory.factList();
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({
      tier: 'semantic',
      text: 'Ada lives in Lisbon',
      sourceIds: [turn!.id],
      source: { kind: 'extractor' },
      // True from when it was said, not from when the pass ran.
      validFrom: turn!.eventAt,
    });
    expect(facts[0]!.invalidAt).toBeUndefined();
    expect((await memory.get(turn!.id))!.consolidatedAt).toBe(clock.now());
    // The fact is recalled like any memory.
    const hits = await memory.recall('where does Ada live', { tiers: ['semantic'] });
    expect(hits.map((h) => h.record.id)).toEqual([facts[0]!.id]);
  });

  it('supersedes "lives in Lisbon" with a later "I live in Porto", keeping both in the history', async () => {
    const { memory, clock } = await open();
    await say(memory, clock, { text: 'I live in Lisbon', speaker: 'Ada', sessionId: 's1' });
    await memory.consolidate();
    const [lisbon] = await memory.factList();
    const before = clock.now();
    clock.advance(DAY);
    const [porto] = await say(memory, clock, {
      text: 'Actually, I live in Porto now. I love it',
      speaker: 'Ada',
      sessionId: 's2',
    });
    expect(await memory.consolidate()).toEqual(
      report({ processed: 1, factsAdded: 2, factsInvalidated: 1, episodesSummarised: 1 }),
    );
    const now = await memory.factList();
    expect(now.map((f) => f.text).sort()).toEqual(['Ada lives in Porto now', 'Ada loves it']);
    const current = now.find((f) => f.text === 'Ada lives in Porto now')!;
    expect(current.sourceIds).toEqual([porto!.id]);
    const history = await memory.factHistory(current.id);
    expect(history.map((f) => f.text)).toEqual(['Ada lives in Lisbon', 'Ada lives in Porto now']);
    expect(history[0]!.id).toBe(lisbon!.id);
    expect(history[0]!.invalidAt).toBe(current.validFrom);
    expect(await memory.factHistory(lisbon!.id)).toEqual(history);
    // As it stood before the move.
    expect((await memory.factList({ asOf: before })).map((f) => f.text)).toEqual(['Ada lives in Lisbon']);
  });

  it('supersedes within one pass too, the later turn winning', async () => {
    const { memory, clock } = await open();
    await say(
      memory,
      clock,
      { text: 'I live in Lisbon', speaker: 'Ada', sessionId: 's1' },
      { text: 'I live in Porto', speaker: 'Ada', sessionId: 's1' },
    );
    expect(await memory.consolidate()).toMatchObject({ processed: 2, factsAdded: 2, factsInvalidated: 1 });
    const facts = await memory.factList();
    expect(facts.map((f) => f.text)).toEqual(['Ada lives in Porto']);
    expect((await memory.factHistory(facts[0]!.id)).map((f) => f.text)).toEqual(['Ada lives in Lisbon', 'Ada lives in Porto']);
  });

  it('supersedes a favourite colour', async () => {
    const { memory, clock } = await open();
    const [blue] = await say(memory, clock, { text: 'my favourite colour is blue', speaker: 'Ada', sessionId: 's1' });
    await memory.consolidate();
    clock.advance(DAY);
    const [green] = await say(memory, clock, { text: 'Hmm, my favourite colour is green these days', speaker: 'Ada' });
    expect(await memory.consolidate()).toEqual(report({ processed: 1, factsAdded: 1, factsInvalidated: 1 }));
    const [current] = await memory.factList();
    expect(current).toMatchObject({ text: "Ada's favourite colour is green these days", sourceIds: [green!.id] });
    const history = await memory.factHistory(current!.id);
    expect(history.map((f) => [f.text, f.sourceIds])).toEqual([
      ["Ada's favourite colour is blue", [blue!.id]],
      ["Ada's favourite colour is green these days", [green!.id]],
    ]);
    expect(history[0]!.invalidAt).toBe(green!.eventAt);
    // Another speaker's favourite colour is another fact, not a contradiction.
    await say(memory, clock, { text: 'My favourite colour is red', speaker: 'Bo' });
    expect(await memory.consolidate()).toMatchObject({ factsAdded: 1, factsInvalidated: 0 });
    expect((await memory.factList()).map((f) => f.text).sort()).toEqual([
      "Ada's favourite colour is green these days",
      "Bo's favourite colour is red",
    ]);
  });

  it('is incremental: a second pass with no new turns processes 0 and adds nothing', async () => {
    const { memory, clock } = await open();
    await say(
      memory,
      clock,
      { text: 'I live in Lisbon', speaker: 'Ada', sessionId: 's1' },
      { text: 'I love jazz', speaker: 'Bo', sessionId: 's1' },
    );
    expect(await memory.consolidate()).toMatchObject({ processed: 2, factsAdded: 2 });
    const before = await everything(memory);
    clock.advance(DAY);
    expect(await memory.consolidate()).toEqual(report({}));
    expect(await everything(memory)).toEqual(before);
  });

  it('merges a repeated statement into the fact it repeats (factsMerged), within and across passes', async () => {
    const { memory, clock } = await open();
    const [a, b] = await say(
      memory,
      clock,
      { text: 'I love jazz', speaker: 'Bo', sessionId: 's1' },
      { text: 'I really love jazz!', speaker: 'Bo', sessionId: 's1' },
    );
    expect(await memory.consolidate()).toEqual(report({ processed: 2, factsAdded: 1, factsMerged: 1, episodesSummarised: 1 }));
    const [c] = await say(memory, clock, { text: 'as I said, I love jazz', speaker: 'Bo', sessionId: 's2' });
    expect(await memory.consolidate()).toEqual(report({ processed: 1, factsMerged: 1, episodesSummarised: 1 }));
    const facts = await memory.factList({ includeInvalid: true });
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({ text: 'Bo loves jazz', sourceIds: [a!.id, b!.id, c!.id] });
  });

  it('skips the assistant and turns without a speaker', async () => {
    const { memory, clock } = await open();
    await say(memory, clock, { text: 'I live in Lisbon', speaker: 'assistant', sessionId: 's1' }, { text: 'I live in Porto' });
    expect(await memory.consolidate()).toMatchObject({ processed: 2, factsAdded: 0 });
    expect(await memory.factList()).toEqual([]);
  });

  it('resumes: maxRecords 20 over 50 turns takes 20, 20, 10 and ends with the facts of one full pass', async () => {
    const { memory, clock } = await open();
    await say(memory, clock, ...fiftyTurns());
    const passes = [];
    for (let i = 0; i < 3; i++) passes.push(await memory.consolidate({ maxRecords: 20 }));
    expect(passes.map((p) => [p.processed, p.more])).toEqual([
      [20, true],
      [20, true],
      [10, false],
    ]);
    expect(await memory.consolidate({ maxRecords: 20 })).toEqual(report({}));

    const fresh = await open();
    await say(fresh.memory, fresh.clock, ...fiftyTurns());
    const full = await fresh.memory.consolidate();
    expect(full).toMatchObject({ processed: 50, more: false, factsAdded: 50, factsInvalidated: 4 });
    expect(passes.reduce((n, p) => n + p.factsAdded, 0)).toBe(full.factsAdded);
    expect(passes.reduce((n, p) => n + p.factsInvalidated, 0)).toBe(full.factsInvalidated);
    const shapes = await factShapes(memory);
    expect(shapes).toHaveLength(50);
    expect(shapes).toEqual(await factShapes(fresh.memory));
    expect((await memory.factList({ limit: 1000 })).filter((f) => f.text.startsWith('Ada lives in')).map((f) => f.text)).toEqual([
      'Ada lives in city40',
    ]);
  });

  it('runs one pass at a time: two concurrent calls process each turn once', async () => {
    const { memory, clock } = await open();
    await say(memory, clock, ...fiftyTurns());
    const [a, b] = await Promise.all([memory.consolidate(), memory.consolidate()]);
    expect(a.processed + b.processed).toBe(50);
    expect(await memory.factList({ includeInvalid: true, limit: 1000 })).toHaveLength(50);
  });
});

describe('consolidate() interrupted', () => {
  it('rejects with ABORTED when aborted mid-pass, and the next pass finishes without duplicates', async () => {
    const controller = new AbortController();
    const batches: number[] = [];
    const extractor: Extractor = async (turns) => {
      batches.push(turns.length);
      if (batches.length === 1) controller.abort();
      return ruleExtractor(turns);
    };
    const { memory, clock } = await open({ extractor });
    await say(memory, clock, ...fiftyTurns());
    expect(await codeOf(memory.consolidate({}, { signal: controller.signal }))).toBe('ABORTED');
    expect(batches).toEqual([20]);
    // The first batch is kept: its facts and its marks.
    const turns = await memory.list({ tier: 'episodic', order: 'asc', limit: 100 });
    expect(turns.filter((t) => t.consolidatedAt !== undefined).map((t) => t.id)).toEqual(turns.slice(0, 20).map((t) => t.id));
    expect(await memory.factList({ includeInvalid: true, limit: 1000 })).toHaveLength(20);

    expect(await memory.consolidate()).toMatchObject({ processed: 30, more: false });
    expect(batches).toEqual([20, 20, 10]);
    const fresh = await open();
    await say(fresh.memory, fresh.clock, ...fiftyTurns());
    await fresh.memory.consolidate();
    const shapes = await factShapes(memory);
    expect(new Set(shapes).size).toBe(50);
    expect(shapes).toEqual(await factShapes(fresh.memory));
  });

  it('with a signal already aborted, does nothing', async () => {
    const { memory, clock } = await open();
    await say(memory, clock, ...fiftyTurns());
    const before = await everything(memory);
    const controller = new AbortController();
    controller.abort();
    expect(await codeOf(memory.consolidate({}, { signal: controller.signal }))).toBe('ABORTED');
    expect(await everything(memory)).toEqual(before);
    expect(await memory.consolidate()).toMatchObject({ processed: 50 });
  });

  it('still summarises, at the next pass, a session whose turns were consolidated before the abort', async () => {
    const controller = new AbortController();
    let calls = 0;
    const extractor: Extractor = async (turns) => {
      if (++calls === 1) controller.abort();
      return ruleExtractor(turns);
    };
    const { memory, clock } = await open({ extractor });
    // Session "a" is exactly the first batch; session "b" the rest.
    await say(memory, clock, ...fiftyTurns((i) => (i < 20 ? 'a' : 'b')));
    expect(await codeOf(memory.consolidate({}, { signal: controller.signal }))).toBe('ABORTED');
    expect(await summaries(memory)).toEqual([]);
    expect(await memory.consolidate()).toMatchObject({ processed: 30, episodesSummarised: 2 });
    expect((await summaries(memory)).map((s) => [s.meta['summaryOf'], s.meta['turns']]).sort()).toEqual([
      ['a', 20],
      ['b', 30],
    ]);
    // And not again: the pass after that has nothing to do.
    expect(await memory.consolidate()).toEqual(report({}));
  });

  it('fails the pass, changing nothing, when the language model itself fails; the next pass retries', async () => {
    let fail = true;
    const llm = async () => {
      if (fail) throw new Error('model offline');
      return '[{"fact": "Ada lives in Lisbon", "turns": [0]}]';
    };
    const { memory, clock } = await open({ extractor: llmExtractor(llm) });
    await say(memory, clock, { text: 'I live in Lisbon', speaker: 'Ada', sessionId: 's1' });
    const before = await everything(memory);
    await expect(memory.consolidate()).rejects.toThrow('model offline');
    expect(await everything(memory)).toEqual(before);
    fail = false;
    expect(await memory.consolidate()).toMatchObject({ processed: 1, factsAdded: 1 });
  });
});

describe('consolidate() with malformed extractor output', () => {
  const GOOD = '[{"fact": "Ada lives in Porto", "key": "Ada|lives in", "turns": [0]}, {"fact": "Bo loves jazz", "turns": [2]}]';

  async function withExistingFact() {
    let answer = '[{"fact": "Ada lives in Lisbon", "key": "Ada|lives in", "turns": [0]}]';
    const prompts: string[] = [];
    const llm = async (prompt: string) => {
      prompts.push(prompt);
      return answer;
    };
    const { memory, clock } = await open({ extractor: llmExtractor(llm) });
    await say(memory, clock, { text: 'I live in Lisbon', speaker: 'Ada', sessionId: 's1' });
    expect(await memory.consolidate()).toMatchObject({ factsAdded: 1 });
    clock.advance(DAY);
    const turns = await say(
      memory,
      clock,
      { text: 'I moved to Porto', speaker: 'Ada', sessionId: 's2' },
      { text: 'nice', speaker: 'Bo', sessionId: 's2' },
      { text: 'I love jazz', speaker: 'Bo', sessionId: 's2' },
    );
    return { memory, clock, turns, prompts, answer: (a: string) => (answer = a) };
  }

  it.each([
    ['not JSON', 'not json'],
    ['a numeric fact', '[{"fact": 3}]'],
    ['a turn index out of range', '[{"fact": "Ada lives in Porto", "key": "Ada|lives in", "turns": [3]}]'],
    [
      'a good item beside a bad one',
      '[{"fact": "Ada lives in Porto", "key": "Ada|lives in", "turns": [0]}, {"fact": "", "turns": [1]}]',
    ],
    ['an object instead of an array', '{"fact": "Ada lives in Porto", "turns": [0]}'],
    [
      'a lone surrogate in a fact',
      '[{"fact": "Ada lives in Porto", "key": "Ada|lives in", "turns": [0]}, {"fact": "Bo \\ud800 jazz", "turns": [2]}]',
    ],
    ['a lone surrogate in a key', '[{"fact": "Ada lives in Porto", "key": "Ada|\\udc00", "turns": [0]}]'],
  ])('refuses %s: lists the turns, writes nothing, and the next good pass takes them', async (_name, bad) => {
    const { memory, turns, answer } = await withExistingFact();
    const before = await everything(memory);
    answer(bad);
    const refused = await memory.consolidate();
    expect(refused).toMatchObject(report({ rejected: refused.rejected }));
    expect(refused.rejected.map((r) => r.id)).toEqual(turns.map((t) => t.id));
    for (const r of refused.rejected) expect(r.reason).toMatch(/refused|extractor|surrogate|must/i);
    expect(await everything(memory)).toEqual(before);
    // Refused again while the model keeps answering badly: nothing is lost, nothing written.
    expect((await memory.consolidate()).rejected).toHaveLength(3);
    expect(await everything(memory)).toEqual(before);

    answer(GOOD);
    expect(await memory.consolidate()).toEqual(
      report({ processed: 3, factsAdded: 2, factsInvalidated: 1, episodesSummarised: 1 }),
    );
    const facts = await memory.factList();
    expect(facts.map((f) => [f.text, f.sourceIds]).sort()).toEqual([
      ['Ada lives in Porto', [turns[0]!.id]],
      ['Bo loves jazz', [turns[2]!.id]],
    ]);
  });

  it.each<[string, (id: string, other: string) => unknown]>([
    ['not an array', () => ({ text: 'Ada lives in Porto' })],
    ['a null fact', () => [null]],
    ['an empty text', (id) => [{ text: '   ', sourceIds: [id] }]],
    ['a text over the limit', (id) => [{ text: 'x'.repeat(100_001), sourceIds: [id] }]],
    ['a lone surrogate', (id) => [{ text: 'Ada \ud800', sourceIds: [id] }]],
    ['an id outside the batch', (_id, other) => [{ text: 'Ada lives in Porto', sourceIds: [other] }]],
    ['no sourceIds', () => [{ text: 'Ada lives in Porto' }]],
    ['an empty key', (id) => [{ text: 'Ada lives in Porto', key: '', sourceIds: [id] }]],
    ['an importance of 2', (id) => [{ text: 'Ada lives in Porto', sourceIds: [id], importance: 2 }]],
    ['a NaN importance', (id) => [{ text: 'Ada lives in Porto', sourceIds: [id], importance: Number.NaN }]],
  ])('refuses a custom extractor answering %s, even after a good fact, and writes nothing', async (_name, bad) => {
    let output: unknown = [];
    const extractor: Extractor = async () => output as never;
    const { memory, clock } = await open({ extractor });
    const [first] = await say(memory, clock, { text: 'settled', speaker: 'Ada', sessionId: 's1' });
    output = [{ text: 'Ada lives in Lisbon', key: 'Ada|lives in', sourceIds: [first!.id] }];
    expect(await memory.consolidate()).toMatchObject({ factsAdded: 1 });
    const [turn] = await say(memory, clock, { text: 'I moved to Porto', speaker: 'Ada', sessionId: 's2' });
    const before = await everything(memory);
    const answer = bad(turn!.id, first!.id);
    output = Array.isArray(answer)
      ? [{ text: 'Ada lives in Porto', key: 'Ada|lives in', sourceIds: [turn!.id] }, ...(answer as unknown[])]
      : answer;
    const refused = await memory.consolidate();
    expect(refused).toEqual(report({ rejected: [{ id: turn!.id, reason: expect.stringMatching(/^extractor: /) as string }] }));
    expect(await everything(memory)).toEqual(before);
    // A good answer next time: the turn is taken then.
    output = [{ text: 'Ada lives in Porto', key: 'Ada|lives in', sourceIds: [turn!.id] }];
    expect(await memory.consolidate()).toMatchObject({ processed: 1, factsAdded: 1, factsInvalidated: 1, rejected: [] });
  });
});

describe('consolidate() episode summaries', () => {
  it('writes one summary per session, replaced (not duplicated) when the session gets new turns', async () => {
    const { memory, clock } = await open();
    const s1 = await say(
      memory,
      clock,
      { text: 'I live in Lisbon', speaker: 'Ada', sessionId: 's1' },
      { text: 'Lisbon has great tiles', speaker: 'Bo', sessionId: 's1' },
      { text: 'the tiles in Lisbon are blue', speaker: 'Ada', sessionId: 's1' },
    );
    const s2 = await say(
      memory,
      clock,
      { text: 'I love jazz', speaker: 'Bo', sessionId: 's2' },
      { text: 'jazz clubs are fun', speaker: 'Bo', sessionId: 's2' },
    );
    expect(await memory.consolidate()).toMatchObject({ processed: 5, episodesSummarised: 2 });
    const first = await summaries(memory);
    expect(first.map((s) => s.meta['summaryOf']).sort()).toEqual(['s1', 's2']);
    const one = first.find((s) => s.meta['summaryOf'] === 's1')!;
    const two = first.find((s) => s.meta['summaryOf'] === 's2')!;
    expect(one).toMatchObject({
      tier: 'episodic',
      sourceIds: s1.map((t) => t.id),
      source: { kind: 'extractor', name: 'mnemo-extractive-summary' },
      meta: { summaryOf: 's1', turns: 3 },
      eventAt: s1[0]!.eventAt,
    });
    expect(one.text).toBe(
      '2026-01-01, 3 turns (Ada, Bo): Ada: I live in Lisbon … Bo: Lisbon has great tiles … Ada: the tiles in Lisbon are blue',
    );
    expect(two.sourceIds).toEqual(s2.map((t) => t.id));
    // A summary is not a turn of its session and is never consolidated as one.
    expect((await memory.recent('s1')).map((t) => t.id)).toEqual(s1.map((t) => t.id));

    clock.advance(DAY);
    const [added] = await say(memory, clock, { text: 'we walked to the river in Lisbon', speaker: 'Bo', sessionId: 's1' });
    expect(await memory.consolidate()).toEqual(report({ processed: 1, episodesSummarised: 1 }));
    const second = await summaries(memory);
    expect(second).toHaveLength(2);
    const newOne = second.find((s) => s.meta['summaryOf'] === 's1')!;
    expect(newOne.id).not.toBe(one.id);
    expect(await memory.get(one.id)).toBeUndefined();
    expect(newOne.meta['turns']).toBe(4);
    expect(newOne.sourceIds).toEqual([...s1.map((t) => t.id), added!.id]);
    expect(newOne.text.startsWith('2026-01-01, 4 turns (Ada, Bo): ')).toBe(true);
    expect(second.find((s) => s.meta['summaryOf'] === 's2')).toEqual(two);
  });

  it('writes no summary for turns outside any session', async () => {
    const { memory, clock } = await open();
    await say(memory, clock, { text: 'I live in Lisbon', speaker: 'Ada' });
    expect(await memory.consolidate()).toMatchObject({ processed: 1, factsAdded: 1, episodesSummarised: 0 });
    expect(await summaries(memory)).toEqual([]);
  });
});

describe('consolidate() pruning', () => {
  /** Old weak, old strong and new weak turns, an old weak fact, all consolidated; then 30 days pass. */
  async function aged() {
    const { memory, clock } = await open();
    const oldWeak = await say(
      memory,
      clock,
      { text: 'weather talk alpha', speaker: 'Ada', sessionId: 's1', importance: 0.2 },
      { text: 'weather talk bravo', speaker: 'Ada', sessionId: 's1', importance: 0.2 },
      { text: 'weather talk charlie', speaker: 'Ada', sessionId: 's1', importance: 0.49 },
    );
    const [oldStrong] = await say(memory, clock, {
      text: 'my wedding day delta',
      speaker: 'Ada',
      sessionId: 's1',
      importance: 0.9,
    });
    const { fact: oldFact } = await memory.factAdd({ text: 'Ada owns an umbrella', importance: 0.2 });
    expect(await memory.consolidate()).toMatchObject({ processed: 4, pruned: 0 });
    clock.advance(30 * DAY);
    const newWeak = await say(memory, clock, { text: 'weather talk echo', speaker: 'Ada', sessionId: 's2', importance: 0.2 });
    expect(await memory.consolidate()).toMatchObject({ processed: 1, pruned: 0 });
    return { memory, clock, oldWeak, oldStrong: oldStrong!, oldFact, newWeak: newWeak[0]! };
  }

  it('deletes nothing without the explicit policy, however old and weak', async () => {
    const { memory, clock } = await aged();
    const before = await everything(memory);
    clock.advance(365 * DAY);
    expect(await memory.consolidate()).toEqual(report({}));
    expect(await everything(memory)).toEqual(before);
  });

  it('prunes only episodic records below both the retention and the importance thresholds', async () => {
    const { memory, oldWeak, oldStrong, oldFact, newWeak } = await aged();
    const before = await everything(memory);
    expect(await memory.consolidate({ prune: { belowRetention: 0.5 } })).toEqual(report({ pruned: 3 }));
    const gone = new Set(oldWeak.map((t) => t.id));
    expect(await everything(memory)).toEqual(before.filter((r) => !gone.has(r.id)));
    for (const id of [oldStrong.id, oldFact.id, newWeak.id]) expect(await memory.get(id)).toBeDefined();
    // Both summaries stay: importance 0.5 is not below 0.5, though the first is as old as its turns.
    expect(await summaries(memory)).toHaveLength(2);
  });

  it('honours belowImportance: a higher threshold takes the important old turn and the old summary too', async () => {
    const { memory, oldWeak, oldStrong } = await aged();
    const [oldSummary] = (await summaries(memory)).filter((s) => s.meta['summaryOf'] === 's1');
    expect(await memory.consolidate({ prune: { belowRetention: 0.5, belowImportance: 0.95 } })).toMatchObject({ pruned: 5 });
    for (const id of [...oldWeak.map((t) => t.id), oldStrong.id, oldSummary!.id]) expect(await memory.get(id)).toBeUndefined();
    expect((await summaries(memory)).map((s) => s.meta['summaryOf'])).toEqual(['s2']);
    expect(await memory.consolidate({ prune: { belowRetention: 0.5, belowImportance: 0.3 } })).toMatchObject({ pruned: 0 });
  });

  it('honours belowRetention: an hour-old turn (retention 0.96) goes only under a threshold above that', async () => {
    const { memory, clock } = await open();
    const [turn] = await memory.remember({ text: 'small talk', importance: 0 });
    clock.advance(DAY / 24);
    expect(await memory.consolidate({ prune: { belowRetention: 0.95 } })).toMatchObject({ processed: 1, pruned: 0 });
    expect(await memory.consolidate({ prune: { belowRetention: 0.97 } })).toMatchObject({ pruned: 1 });
    expect(await memory.get(turn!.id)).toBeUndefined();
  });

  it('spares an old turn that was just recalled (its retention restarts)', async () => {
    const { memory, oldWeak } = await aged();
    // k 1: only the hit is reinforced, not its neighbours (which match "bravo" through their context).
    const hits = await memory.recall('bravo', { k: 1, filter: { speaker: 'Ada' } });
    expect(hits.map((h) => h.record.id)).toEqual([oldWeak[1]!.id]);
    expect(await memory.consolidate({ prune: { belowRetention: 0.5 } })).toMatchObject({ pruned: 2 });
    expect(await memory.get(oldWeak[1]!.id)).toBeDefined();
  });

  it('prunes the tiers named, and only those', async () => {
    const { memory, oldWeak, oldFact } = await aged();
    expect(await memory.consolidate({ prune: { belowRetention: 0.5, tiers: ['semantic'] } })).toMatchObject({ pruned: 1 });
    expect(await memory.get(oldFact.id)).toBeUndefined();
    for (const t of oldWeak) expect(await memory.get(t.id)).toBeDefined();
  });

  it('never prunes a turn no pass has consolidated yet (left by maxRecords or refused)', async () => {
    const { memory, clock } = await open();
    const turns = await say(
      memory,
      clock,
      { text: 'I live in Lisbon', speaker: 'Ada', sessionId: 's1', importance: 0.1 },
      { text: 'I love jazz', speaker: 'Bo', sessionId: 's1', importance: 0.1 },
      { text: 'I like tea', speaker: 'Cy', sessionId: 's1', importance: 0.1 },
    );
    clock.advance(30 * DAY);
    expect(await memory.consolidate({ maxRecords: 1, prune: { belowRetention: 0.5 } })).toMatchObject({
      processed: 1,
      more: true,
      pruned: 1,
    });
    expect(await memory.get(turns[0]!.id)).toBeUndefined();
    expect(await memory.get(turns[1]!.id)).toBeDefined();
    expect(await memory.consolidate({ prune: { belowRetention: 0.5 } })).toMatchObject({ processed: 2, pruned: 2 });
    expect((await memory.factList()).map((f) => f.text).sort()).toEqual(['Ada lives in Lisbon', 'Bo loves jazz', 'Cy likes tea']);
  });
});

describe('consolidate() pruning refused turns', () => {
  it('keeps old weak turns whose extractor output was refused, for a later pass to take', async () => {
    let refuse = true;
    const extractor: Extractor = async (turns) => {
      if (refuse) throw new MnemoError('INVALID_ARGUMENT', 'Extractor output refused: model confused.');
      return ruleExtractor(turns);
    };
    const { memory, clock } = await open({ extractor });
    const turns = await say(memory, clock, { text: 'I live in Lisbon', speaker: 'Ada', sessionId: 's1', importance: 0.1 });
    clock.advance(30 * DAY);
    const refused = await memory.consolidate({ prune: { belowRetention: 0.5 } });
    expect(refused).toEqual(
      report({ rejected: [{ id: turns[0]!.id, reason: 'Extractor output refused: model confused.' }], pruned: 0 }),
    );
    expect(await memory.get(turns[0]!.id)).toBeDefined();
    refuse = false;
    expect(await memory.consolidate({ prune: { belowRetention: 0.5 } })).toEqual(
      report({ processed: 1, factsAdded: 1, episodesSummarised: 1, pruned: 1 }),
    );
    expect((await memory.factList()).map((f) => f.text)).toEqual(['Ada lives in Lisbon']);
  });
});

describe('consolidate() options', () => {
  it.each([
    [{ maxRecords: 0 }, 'INVALID_ARGUMENT'],
    [{ maxRecords: 2.5 }, 'INVALID_ARGUMENT'],
    [{ prune: {} }, 'INVALID_ARGUMENT'],
    [{ prune: { belowRetention: 2 } }, 'INVALID_ARGUMENT'],
    [{ prune: { belowRetention: 0.5, belowImportance: -1 } }, 'INVALID_ARGUMENT'],
    [{ prune: { belowRetention: 0.5, tiers: [] } }, 'INVALID_ARGUMENT'],
    [{ prune: { belowRetention: 0.5, tiers: ['longTerm'] } }, 'INVALID_ARGUMENT'],
    [{ prune: { belowRetention: 0.5, olderThan: 3 } }, 'UNKNOWN_OPTION'],
    [{ batch: 5 }, 'UNKNOWN_OPTION'],
  ])('refuses %j with %s, touching nothing', async (options, code) => {
    const { memory, clock } = await open();
    await say(memory, clock, { text: 'I live in Lisbon', speaker: 'Ada', sessionId: 's1', importance: 0 });
    clock.advance(30 * DAY);
    const before = await everything(memory);
    expect(await codeOf(memory.consolidate(options as never))).toBe(code);
    expect(await everything(memory)).toEqual(before);
  });
});
