// context(): working blocks and instructions first and whole, then relevant facts, relevant episodes and the
// session's recent turns, never past the budget, with what did not fit reported.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../adapters/memory-store.js';
import type { BuiltContext, ContextOptions, ContextSection } from '../api.js';
import { MnemoError } from '../errors.js';
import type { MemoryRecord } from '../record.js';
import { MemoryRuntime } from '../runtime.js';
import { ManualClock, sequentialIds } from '../test-support.js';
import { ESTIMATE_NAME, estimateTokens } from './token-count.js';

const DAY = 24 * 60 * 60 * 1000;
const ORDER: ContextSection[] = ['working', 'procedural', 'facts', 'episodes', 'recent'];
const HEADERS: Record<ContextSection, string> = {
  working: '## Working memory',
  procedural: '## Instructions',
  facts: '## Known facts',
  episodes: '## Relevant memories',
  recent: '## Recent conversation',
};

async function open() {
  const clock = new ManualClock();
  const memory = await MemoryRuntime.open({ namespace: 'test', store: new InMemoryStore(), clock, newId: sequentialIds() });
  return { memory, clock };
}

function part(context: BuiltContext, section: ContextSection) {
  return context.parts.find((p) => p.section === section);
}

function idsOf(context: BuiltContext, section: ContextSection): string[] {
  return part(context, section)?.ids ?? [];
}

function omittedIds(context: BuiltContext, section: ContextSection): string[] {
  return context.omitted.filter((o) => o.section === section).map((o) => o.id);
}

/** How context() shows a turn of the recent conversation. */
function turnLine(record: MemoryRecord): string {
  return `${record.speaker ?? 'unknown'}: ${record.text}`;
}

/** What every context must satisfy, whatever went into it. */
function checkInvariants(context: BuiltContext, budget: number): void {
  expect(context.budgetTokens).toBe(budget);
  expect(context.tokens).toBeLessThanOrEqual(budget);
  expect(context.parts.reduce((sum, p) => sum + p.tokens, 0)).toBe(context.tokens);
  expect(estimateTokens(context.text)).toBe(context.tokens);
  expect(context.tokenizer).toBe(ESTIMATE_NAME);
  // Sections in their order, each once, none empty, each with its header in the text in that order.
  const sections = context.parts.map((p) => p.section);
  expect(sections).toEqual(ORDER.filter((s) => sections.includes(s)));
  let at = -1;
  for (const p of context.parts) {
    expect(p.ids.length).toBeGreaterThan(0);
    const header = context.text.indexOf(HEADERS[p.section]);
    expect(header).toBeGreaterThan(at);
    at = header;
  }
  for (const section of ORDER) {
    if (!sections.includes(section)) expect(context.text).not.toContain(HEADERS[section]);
  }
  // Nothing placed twice; nothing both placed and omitted.
  const placed = context.parts.flatMap((p) => p.ids);
  expect(new Set(placed).size).toBe(placed.length);
  for (const o of context.omitted) expect(idsOf(context, o.section)).not.toContain(o.id);
  if (context.parts.length === 0) expect(context.text).toBe('');
}

describe('context() layout', () => {
  async function furnished() {
    const { memory, clock } = await open();
    await memory.workingSet('persona', { value: 'You are a kind assistant.' });
    await memory.workingSet('human', { value: 'Name: Ada' });
    const short = await memory.instructionAdd('Keep answers short');
    const french = await memory.instructionAdd('Answer in French', { importance: 0.9 });
    const { fact } = await memory.factAdd({ text: 'Ada lives in Lisbon' });
    const [old] = await memory.remember({
      text: 'We walked around Lisbon all day',
      speaker: 'Ada',
      sessionId: 'trip',
      at: '2025-06-01T10:00:00Z',
    });
    const chat = [];
    for (const [speaker, text] of [
      ['Ada', 'Hi there'],
      ['assistant', 'Hello Ada, how can I help?'],
      ['Ada', 'Tell me about my city'],
    ] as const) {
      chat.push(...(await memory.remember({ text, speaker, sessionId: 'chat' })));
      clock.advance(1000);
    }
    return { memory, clock, short, french, fact, old: old!, chat };
  }

  it('places working blocks, instructions, facts, episodes and recent turns in that order, each under its header', async () => {
    const { memory, short, french, fact, old, chat } = await furnished();
    const context = await memory.context('Lisbon', { sessionId: 'chat' });
    expect(context.text).toBe(
      [
        '## Working memory',
        '### human',
        'Name: Ada',
        '### persona',
        'You are a kind assistant.',
        '## Instructions',
        '- Answer in French',
        '- Keep answers short',
        '## Known facts',
        '- Ada lives in Lisbon (since 2026-01-01)',
        '## Relevant memories',
        '- [2025-06-01] Ada: We walked around Lisbon all day',
        '## Recent conversation',
        'Ada: Hi there',
        'assistant: Hello Ada, how can I help?',
        'Ada: Tell me about my city',
      ].join('\n'),
    );
    const tokens = (...lines: string[]) => estimateTokens(lines.join('\n'));
    expect(context.parts).toEqual([
      {
        section: 'working',
        ids: ['human', 'persona'],
        tokens: tokens('## Working memory', '### human', 'Name: Ada', '### persona', 'You are a kind assistant.'),
      },
      {
        section: 'procedural',
        ids: [french.id, short.id],
        tokens: tokens('## Instructions', '- Answer in French', '- Keep answers short'),
      },
      { section: 'facts', ids: [fact.id], tokens: tokens('## Known facts', '- Ada lives in Lisbon (since 2026-01-01)') },
      {
        section: 'episodes',
        ids: [old.id],
        tokens: tokens('## Relevant memories', '- [2025-06-01] Ada: We walked around Lisbon all day'),
      },
      { section: 'recent', ids: chat.map((t) => t.id), tokens: tokens('## Recent conversation', ...chat.map(turnLine)) },
    ]);
    expect(context.omitted).toEqual([]);
    expect(context.budgetTokens).toBe(2000);
    checkInvariants(context, 2000);
  });

  it('places working blocks and instructions whole and first, even when they use the whole budget', async () => {
    const { memory, fact, old, chat } = await furnished();
    const everything = await memory.context('Lisbon', { sessionId: 'chat' });
    const budget = part(everything, 'working')!.tokens + part(everything, 'procedural')!.tokens;
    const context = await memory.context('Lisbon', { sessionId: 'chat', budgetTokens: budget });
    expect(context.parts.map((p) => p.section)).toEqual(['working', 'procedural']);
    expect(context.tokens).toBe(budget);
    expect(context.text).toBe(everything.text.slice(0, everything.text.indexOf('\n## Known facts')));
    expect(context.omitted).toEqual([
      { section: 'facts', id: fact.id, tokens: estimateTokens('- Ada lives in Lisbon (since 2026-01-01)') },
      { section: 'episodes', id: old.id, tokens: estimateTokens('- [2025-06-01] Ada: We walked around Lisbon all day') },
      { section: 'recent', id: chat[2]!.id, tokens: estimateTokens('Ada: Tell me about my city') },
    ]);
    checkInvariants(context, budget);
  });

  it('leaves out a block too large for the budget whole, never cut, and reports it', async () => {
    const { memory } = await open();
    await memory.workingSet('human', { value: 'Name: Ada' });
    const notes = Array.from({ length: 300 }, (_, i) => `note${i}`).join(' ');
    await memory.workingSet('notes', { value: notes, limit: 10_000 });
    await memory.workingSet('persona', { value: 'Be kind.' });
    const context = await memory.context('', { budgetTokens: 100 });
    expect(context.parts).toEqual([
      {
        section: 'working',
        ids: ['human', 'persona'],
        tokens: estimateTokens('## Working memory\n### human\nName: Ada\n### persona\nBe kind.'),
      },
    ]);
    expect(context.text).not.toContain('note');
    expect(context.omitted).toEqual([{ section: 'working', id: 'notes', tokens: estimateTokens(`### notes\n${notes}`) }]);
    checkInvariants(context, 100);
  });

  it('gives nothing at all, and reports every block, when even the first block does not fit', async () => {
    const { memory } = await open();
    await memory.workingSet('human', { value: 'Name: Ada Lovelace, mathematician' });
    const context = await memory.context('', { budgetTokens: 3 });
    expect(context).toMatchObject({ text: '', tokens: 0, parts: [], budgetTokens: 3 });
    expect(context.omitted.map((o) => [o.section, o.id])).toEqual([['working', 'human']]);
  });

  it('places only valid facts: a superseded version is left out', async () => {
    const { memory, clock } = await open();
    const { fact: lisbon } = await memory.factAdd({ text: 'Ada lives in Lisbon' });
    clock.advance(DAY);
    const { fact: porto } = await memory.factUpdate(lisbon.id, { text: 'Ada lives in Porto' });
    const context = await memory.context('where does Ada live');
    expect(idsOf(context, 'facts')).toEqual([porto.id]);
    expect(omittedIds(context, 'facts')).toEqual([]);
    expect(context.text).toBe('## Known facts\n- Ada lives in Porto (since 2026-01-02)');
  });

  it('shows an archived chunk as a memory with its document title', async () => {
    const { memory } = await open();
    const doc = await memory.archiveAdd({ text: 'The ferry to Cacilhas leaves every 20 minutes.', title: 'Ferry timetable' });
    const context = await memory.context('ferry');
    expect(context.parts).toEqual([
      {
        section: 'episodes',
        ids: doc.chunkIds,
        tokens: estimateTokens(
          '## Relevant memories\n- [2026-01-01] The ferry to Cacilhas leaves every 20 minutes. (from "Ferry timetable")',
        ),
      },
    ]);
    expect(context.text).toContain('(from "Ferry timetable")');
  });
});

describe('context() budgets', () => {
  /** Working memory, ten long facts, and a 30-turn session of turns about jazz. */
  async function crowded() {
    const { memory, clock } = await open();
    await memory.workingSet('human', { value: 'Name: Bo' });
    for (let i = 0; i < 10; i++) {
      const tunes = Array.from({ length: i }, (_, j) => `tune${i}x${j}`).join(' ');
      expect((await memory.factAdd({ text: `Bo saw jazz band${i} play ${tunes} in club${i}` })).outcome).toBe('added');
      clock.advance(1000);
    }
    const turns: MemoryRecord[] = [];
    for (let i = 0; i < 30; i++) {
      turns.push(...(await memory.remember({ text: `jazz memory number${i} from the club`, speaker: 'Bo', sessionId: 'chat' })));
      clock.advance(1000);
    }
    return { memory, clock, turns };
  }

  it('reports every relevant fact that did not fit, with the tokens it would have taken', async () => {
    const { memory } = await crowded();
    const context = await memory.context('jazz band', { budgetTokens: 150 });
    checkInvariants(context, 150);
    const hits = await memory.recall('jazz band', { tiers: ['semantic'], k: 30, reinforce: false });
    expect(hits).toHaveLength(10);
    const placed = idsOf(context, 'facts');
    const omitted = context.omitted.filter((o) => o.section === 'facts');
    expect(placed.length).toBeGreaterThan(0);
    expect(omitted.length).toBeGreaterThan(0);
    expect([...placed, ...omitted.map((o) => o.id)].sort()).toEqual(hits.map((h) => h.record.id).sort());
    // Placed in rank order.
    expect(placed).toEqual(hits.map((h) => h.record.id).filter((id) => placed.includes(id)));
    for (const o of omitted) {
      const fact = hits.find((h) => h.record.id === o.id)!.record;
      expect(o.tokens).toBe(estimateTokens(`- ${fact.text} (since 2026-01-01)`));
    }
    // Facts keep to their share (0.3 of what working memory leaves).
    const rest = 150 - part(context, 'working')!.tokens;
    expect(part(context, 'facts')!.tokens).toBeLessThanOrEqual(Math.floor(rest * 0.3));
  });

  it('closes with the newest turns, oldest first, none of them repeated among the episodes', async () => {
    const { memory, turns } = await crowded();
    const context = await memory.context('jazz club', { budgetTokens: 400, sessionId: 'chat' });
    checkInvariants(context, 400);
    const recent = idsOf(context, 'recent');
    expect(recent.length).toBeGreaterThan(1);
    expect(recent.length).toBeLessThan(30);
    expect(recent).toEqual(turns.slice(-recent.length).map((t) => t.id));
    expect(context.text.endsWith(turns.slice(-recent.length).map(turnLine).join('\n'))).toBe(true);
    const episodes = idsOf(context, 'episodes');
    expect(episodes.length).toBeGreaterThan(0);
    for (const id of episodes) expect(recent).not.toContain(id);
    expect(omittedIds(context, 'episodes').filter((id) => recent.includes(id))).toEqual([]);
    // The recent window reports the newest turn it left out.
    expect(omittedIds(context, 'recent')).toEqual([turns[turns.length - recent.length - 1]!.id]);
    // The same recent turns as recent() with the tokens they were given.
    const window = await memory.recent('chat', {
      budgetTokens: part(context, 'recent')!.tokens - estimateTokens(HEADERS.recent),
    });
    expect(window.map((t) => t.id)).toEqual(recent);
  });

  it('gives the recent turns nothing with a recent share of 0, and the facts everything with a facts share of 1', async () => {
    const { memory, turns } = await crowded();
    const context = await memory.context('jazz band', {
      budgetTokens: 600,
      sessionId: 'chat',
      shares: { facts: 1, episodes: 0, recent: 0 },
    });
    checkInvariants(context, 600);
    expect(part(context, 'recent')).toBeUndefined();
    expect(omittedIds(context, 'recent')).toEqual([turns[29]!.id]);
    expect(idsOf(context, 'facts')).toHaveLength(10);
    const rest = 600 - part(context, 'working')!.tokens;
    const left = rest - part(context, 'facts')!.tokens;
    // What facts leave passes to the episodes, even with a share of 0.
    expect(part(context, 'episodes')?.tokens ?? 0).toBeLessThanOrEqual(left);
    expect(part(context, 'episodes')?.tokens ?? 0).toBeGreaterThan(0);
  });

  it('with an empty query, gives working memory, instructions and recent turns only', async () => {
    const { memory, turns } = await crowded();
    await memory.instructionAdd('Answer in French');
    for (const query of ['', '   ']) {
      const context = await memory.context(query, { budgetTokens: 2000, sessionId: 'chat' });
      checkInvariants(context, 2000);
      expect(context.parts.map((p) => p.section)).toEqual(['working', 'procedural', 'recent']);
      expect(context.omitted).toEqual([]);
      expect(idsOf(context, 'recent')).toEqual(turns.map((t) => t.id));
    }
    const bare = await memory.context('');
    expect(bare.parts.map((p) => p.section)).toEqual(['working', 'procedural']);
  });

  it('with nothing relevant to place, lets the recent turns use all that working memory leaves', async () => {
    const { memory, turns } = await crowded();
    for (const query of ['', 'zebra']) {
      const context = await memory.context(query, { budgetTokens: 120, sessionId: 'chat' });
      checkInvariants(context, 120);
      const rest = 120 - part(context, 'working')!.tokens - estimateTokens(HEADERS.recent);
      let used = 0;
      let n = 0;
      while (n < turns.length && used + estimateTokens(turnLine(turns[turns.length - 1 - n]!)) <= rest) {
        used += estimateTokens(turnLine(turns[turns.length - 1 - n]!));
        n++;
      }
      expect(n).toBeGreaterThan(3);
      expect(idsOf(context, 'recent')).toEqual(turns.slice(-n).map((t) => t.id));
    }
  });

  it('counts the tokens of its text exactly, for any budget', async () => {
    const { memory } = await crowded();
    for (const budget of [1, 5, 17, 60, 150, 333, 1000, 5000]) {
      const context = await memory.context('jazz club band', { budgetTokens: budget, sessionId: 'chat' });
      checkInvariants(context, budget);
    }
  });
});

describe('context() options', () => {
  it.each<[string, unknown, string]>([
    ['budgetTokens 0', { budgetTokens: 0 }, 'INVALID_ARGUMENT'],
    ['a negative budget', { budgetTokens: -5 }, 'INVALID_ARGUMENT'],
    ['a fractional budget', { budgetTokens: 10.5 }, 'INVALID_ARGUMENT'],
    ['a budget over 1,000,000', { budgetTokens: 1_000_001 }, 'INVALID_ARGUMENT'],
    ['a budget as a string', { budgetTokens: '100' }, 'INVALID_ARGUMENT'],
    ['shares all 0', { shares: { facts: 0, episodes: 0, recent: 0 } }, 'INVALID_ARGUMENT'],
    ['a negative share', { shares: { facts: -0.1 } }, 'INVALID_ARGUMENT'],
    ['a share above 1', { shares: { recent: 2 } }, 'INVALID_ARGUMENT'],
    ['a NaN share', { shares: { episodes: Number.NaN } }, 'INVALID_ARGUMENT'],
    ['shares not an object', { shares: 0.5 }, 'INVALID_ARGUMENT'],
    ['an unknown share', { shares: { archive: 0.5 } }, 'UNKNOWN_OPTION'],
    ['an unknown option', { topK: 3 }, 'UNKNOWN_OPTION'],
    ['an empty sessionId', { sessionId: '' }, 'INVALID_ARGUMENT'],
    ['a bad referenceTime', { referenceTime: 'yesterday' }, 'INVALID_ARGUMENT'],
    ['options that are not an object', 'big', 'INVALID_ARGUMENT'],
  ])('refuses %s', async (_name, options, code) => {
    const { memory } = await open();
    await memory.factAdd({ text: 'Ada lives in Lisbon' });
    const error = await memory.context('Lisbon', options as ContextOptions).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MnemoError);
    expect((error as MnemoError).code).toBe(code);
  });

  it('refuses a query that is not a string', async () => {
    const { memory } = await open();
    await expect(memory.context(42 as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('accepts the largest budget and partial shares', async () => {
    const { memory } = await open();
    await memory.factAdd({ text: 'Ada lives in Lisbon' });
    const context = await memory.context('Lisbon', { budgetTokens: 1_000_000, shares: { facts: 0.5 } });
    expect(idsOf(context, 'facts')).toHaveLength(1);
  });
});

describe('context() property', () => {
  const VOCAB = ['ada', 'lisbon', 'jazz', 'tea', 'river', 'garden', 'violin', 'porto', 'cat', 'music', 'ferry', 'club'];
  const word = fc.constantFrom(...VOCAB);
  const phrase = (max: number) => fc.array(word, { minLength: 1, maxLength: max }).map((ws) => ws.join(' '));
  const share = fc.double({ min: 0, max: 1, noNaN: true });
  const scenario = fc.record({
    blocks: fc.uniqueArray(
      fc.record({
        label: fc.constantFrom('persona', 'human', 'task', 'notes'),
        value: fc.array(word, { maxLength: 40 }).map((ws) => ws.join(' ')),
      }),
      { selector: (b) => b.label, maxLength: 3 },
    ),
    instructions: fc.array(fc.record({ text: phrase(10), importance: share }), { maxLength: 3 }),
    facts: fc.array(phrase(12), { maxLength: 6 }),
    turns: fc.array(
      fc.record({
        text: phrase(15),
        sessionId: fc.constantFrom('s1', 's2', 's3'),
        speaker: fc.option(fc.constantFrom('Ada', 'Bo'), { nil: undefined }),
        advance: fc.integer({ min: 0, max: 3 * DAY }),
      }),
      { maxLength: 25 },
    ),
    document: fc.option(phrase(60), { nil: undefined }),
    query: fc.oneof(fc.constant(''), phrase(4)),
    sessionId: fc.option(fc.constantFrom('s1', 's2', 's3', 'empty'), { nil: undefined }),
    budget: fc.integer({ min: 1, max: 3000 }),
    shares: fc.option(
      fc.record({ facts: share, episodes: share, recent: share }).filter((s) => s.facts + s.episodes + s.recent > 0),
      { nil: undefined },
    ),
  });

  it('never exceeds the budget, adds its parts up to its tokens, and accounts for everything relevant', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { memory, clock } = await open();
        for (const block of s.blocks) await memory.workingSet(block.label, { value: block.value, limit: 10_000 });
        const instructions = [];
        for (const i of s.instructions) instructions.push(await memory.instructionAdd(i.text, { importance: i.importance }));
        for (const text of s.facts) await memory.factAdd({ text });
        const turns: MemoryRecord[] = [];
        for (const t of s.turns) {
          turns.push(
            ...(await memory.remember({ text: t.text, sessionId: t.sessionId, ...(t.speaker && { speaker: t.speaker }) })),
          );
          clock.advance(t.advance);
        }
        if (s.document !== undefined) await memory.archiveAdd({ text: s.document, title: 'Doc' });

        const options: ContextOptions = { budgetTokens: s.budget };
        if (s.sessionId !== undefined) options.sessionId = s.sessionId;
        if (s.shares !== undefined) options.shares = s.shares;
        const context = await memory.context(s.query, options);
        checkInvariants(context, s.budget);

        // Every block and instruction is placed whole or reported; instructions by importance.
        const labels = s.blocks.map((b) => b.label);
        expect([...idsOf(context, 'working'), ...omittedIds(context, 'working')].sort()).toEqual([...labels].sort());
        expect(idsOf(context, 'working')).toEqual([...idsOf(context, 'working')].sort());
        expect([...idsOf(context, 'procedural'), ...omittedIds(context, 'procedural')].sort()).toEqual(
          instructions.map((r) => r.id).sort(),
        );
        const byImportance = (await memory.instructionList()).map((r) => r.id);
        expect(idsOf(context, 'procedural')).toEqual(byImportance.filter((id) => idsOf(context, 'procedural').includes(id)));

        // Recent turns: the newest of the session, oldest first; the newest left out is reported.
        const session =
          s.sessionId === undefined
            ? []
            : turns
                .filter((t) => t.sessionId === s.sessionId)
                .sort((a, b) => a.eventAt - b.eventAt || (a.id < b.id ? -1 : 1))
                .map((t) => t.id);
        const recent = idsOf(context, 'recent');
        expect(recent).toEqual(session.slice(session.length - recent.length));
        expect(omittedIds(context, 'recent')).toEqual(
          recent.length < session.length ? [session[session.length - recent.length - 1]] : [],
        );

        // Facts and episodes: with a query, every hit is placed (in rank order) or reported; without, none.
        const searching = s.query.trim().length > 0;
        const factHits = searching
          ? (await memory.recall(s.query, { tiers: ['semantic'], k: 30, reinforce: false })).map((h) => h.record.id)
          : [];
        const episodeHits = searching
          ? (await memory.recall(s.query, { tiers: ['episodic', 'archival'], k: 30, reinforce: false })).map((h) => h.record.id)
          : [];
        for (const [section, hits] of [
          ['facts', factHits],
          ['episodes', episodeHits.filter((id) => !recent.includes(id))],
        ] as const) {
          const placed = idsOf(context, section);
          expect([...placed, ...omittedIds(context, section)].sort()).toEqual([...hits].sort());
          expect(placed).toEqual(hits.filter((id) => placed.includes(id)));
        }

        // Facts keep to their share of what working memory and instructions leave.
        const shares = { facts: 0.3, episodes: 0.4, recent: 0.3, ...s.shares };
        const rest = s.budget - (part(context, 'working')?.tokens ?? 0) - (part(context, 'procedural')?.tokens ?? 0);
        const total = shares.facts + shares.episodes + shares.recent;
        expect(part(context, 'facts')?.tokens ?? 0).toBeLessThanOrEqual(Math.floor(rest * (shares.facts / total)));
        if (factHits.length + episodeHits.length > 0) {
          expect(part(context, 'recent')?.tokens ?? 0).toBeLessThanOrEqual(Math.floor(rest * (shares.recent / total)));
        }
      }),
      { numRuns: 100 },
    );
  });
});
