// Short-term memory through recent(): the newest turns of a session that fit a token budget, oldest first;
// the turns that fall out of the window stay episodic and recallable.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../adapters/memory-store.js';
import { MnemoError } from '../errors.js';
import type { MemoryRecord } from '../record.js';
import { MemoryRuntime } from '../runtime.js';
import { ManualClock, sequentialIds } from '../test-support.js';
import { estimateTokens } from './token-count.js';

const WORDS = ['apple', 'river', 'violin', 'garden', 'pepper', 'marble', 'lantern', 'meadow', 'copper', 'harbour'];

async function open() {
  const clock = new ManualClock();
  const memory = await MemoryRuntime.open({ namespace: 'test', store: new InMemoryStore(), clock, newId: sequentialIds() });
  return { memory, clock };
}

/** How recent() counts a turn: as it is shown, "speaker: text". */
function cost(record: MemoryRecord): number {
  return estimateTokens(`${record.speaker ?? 'unknown'}: ${record.text}`);
}

/** The newest turns whose costs fit `budget`, oldest first: what recent() must return. */
function newestThatFit(turns: readonly MemoryRecord[], budget: number): string[] {
  const out: string[] = [];
  let used = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    used += cost(turns[i]!);
    if (used > budget) break;
    out.unshift(turns[i]!.id);
  }
  return out;
}

/** Fifty turns in session "chat", one a second, each with a word of its own ("marker7"). */
async function fiftyTurns(memory: MemoryRuntime, clock: ManualClock): Promise<MemoryRecord[]> {
  const turns: MemoryRecord[] = [];
  for (let i = 0; i < 50; i++) {
    const [turn] = await memory.remember({
      text: `turn ${i} mentions marker${i} and the ${WORDS[i % WORDS.length]!}`,
      speaker: i % 2 === 0 ? 'Ada' : 'Bo',
      sessionId: 'chat',
    });
    turns.push(turn!);
    clock.advance(1000);
  }
  return turns;
}

describe('recent()', () => {
  it('returns only the newest turns that fit a small budget, oldest first', async () => {
    const { memory, clock } = await open();
    const turns = await fiftyTurns(memory, clock);
    const budget = 40;
    const recent = await memory.recent('chat', { budgetTokens: budget });
    const expected = newestThatFit(turns, budget);
    expect(expected.length).toBeGreaterThan(1);
    expect(expected.length).toBeLessThan(10);
    expect(recent.map((r) => r.id)).toEqual(expected);
    expect(recent.at(-1)!.id).toBe(turns[49]!.id);
    expect(recent.reduce((sum, r) => sum + cost(r), 0)).toBeLessThanOrEqual(budget);
    // One more (older) turn would not have fitted.
    const older = turns[turns.length - recent.length - 1]!;
    expect(recent.reduce((sum, r) => sum + cost(r), 0) + cost(older)).toBeGreaterThan(budget);
    // The records come back whole.
    expect(recent).toEqual(turns.slice(-recent.length));
  });

  it('returns every turn, in order, when the default budget (1000) holds them all', async () => {
    const { memory, clock } = await open();
    const turns = await fiftyTurns(memory, clock);
    expect(turns.reduce((sum, r) => sum + cost(r), 0)).toBeLessThan(1000);
    expect((await memory.recent('chat')).map((r) => r.id)).toEqual(turns.map((t) => t.id));
  });

  it('keeps the turns that fell out of the window: they are episodic and recalled', async () => {
    const { memory, clock } = await open();
    const turns = await fiftyTurns(memory, clock);
    const window = new Set((await memory.recent('chat', { budgetTokens: 30 })).map((r) => r.id));
    expect(window.has(turns[3]!.id)).toBe(false);
    for (const i of [0, 3, 17, 30]) {
      const hits = await memory.recall(`marker${i}`, { k: 3 });
      expect(hits[0]?.record.id).toBe(turns[i]!.id);
      expect(hits[0]?.record.tier).toBe('episodic');
    }
    expect(await memory.list({ tier: 'episodic', sessionId: 'chat', limit: 100 })).toHaveLength(50);
  });

  it('never mixes in other sessions', async () => {
    const { memory, clock } = await open();
    const chat: string[] = [];
    for (let i = 0; i < 20; i++) {
      const [a] = await memory.remember({ text: `chat line ${i}`, speaker: 'Ada', sessionId: 'chat' });
      await memory.remember({ text: `other line ${i}`, speaker: 'Ada', sessionId: 'other' });
      await memory.remember({ text: `no session line ${i}`, speaker: 'Ada' });
      chat.push(a!.id);
      clock.advance(1000);
    }
    const recent = await memory.recent('chat', { budgetTokens: 1000 });
    expect(recent.map((r) => r.id)).toEqual(chat);
    expect(recent.every((r) => r.sessionId === 'chat')).toBe(true);
    expect((await memory.recent('other')).every((r) => r.sessionId === 'other')).toBe(true);
    expect(await memory.recent('nobody')).toEqual([]);
  });

  it('orders by event time, not by arrival', async () => {
    const { memory } = await open();
    const [late] = await memory.remember({ text: 'said last', speaker: 'Ada', sessionId: 's', at: '2024-01-03T00:00:00Z' });
    const [early] = await memory.remember({ text: 'said first', speaker: 'Ada', sessionId: 's', at: '2024-01-01T00:00:00Z' });
    const [middle] = await memory.remember({ text: 'said second', speaker: 'Ada', sessionId: 's', at: '2024-01-02T00:00:00Z' });
    expect((await memory.recent('s')).map((r) => r.id)).toEqual([early!.id, middle!.id, late!.id]);
    // The newest by event time is the one kept first.
    expect((await memory.recent('s', { budgetTokens: cost(late!) })).map((r) => r.id)).toEqual([late!.id]);
  });

  it('is a contiguous window: an oversized newest turn leaves nothing, even if older turns are small', async () => {
    const { memory, clock } = await open();
    await memory.remember({ text: 'short', speaker: 'Ada', sessionId: 's' });
    clock.advance(1000);
    const [long] = await memory.remember({ text: 'word '.repeat(60), speaker: 'Ada', sessionId: 's' });
    expect(cost(long!)).toBeGreaterThan(20);
    expect(await memory.recent('s', { budgetTokens: 20 })).toEqual([]);
  });

  it('counts a turn without a speaker as "unknown: text"', async () => {
    const { memory } = await open();
    const [turn] = await memory.remember({ text: 'x', sessionId: 's' });
    expect(estimateTokens('unknown: x')).toBe(4);
    expect(await memory.recent('s', { budgetTokens: 3 })).toEqual([]);
    expect((await memory.recent('s', { budgetTokens: 4 })).map((r) => r.id)).toEqual([turn!.id]);
  });

  it('drops a forgotten turn from the window', async () => {
    const { memory, clock } = await open();
    const turns = await fiftyTurns(memory, clock);
    await memory.forget(turns[49]!.id);
    const recent = await memory.recent('chat', { budgetTokens: 40 });
    expect(recent.map((r) => r.id)).toEqual(newestThatFit(turns.slice(0, 49), 40));
  });

  it('for any budget, is the longest newest suffix of the session that fits', async () => {
    const { memory, clock } = await open();
    const turns = await fiftyTurns(memory, clock);
    const total = turns.reduce((sum, r) => sum + cost(r), 0);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: total + 10 }), async (budget) => {
        const ids = (await memory.recent('chat', { budgetTokens: budget })).map((r) => r.id);
        expect(ids).toEqual(newestThatFit(turns, budget));
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    [{ budgetTokens: 0 }, 'INVALID_ARGUMENT'],
    [{ budgetTokens: 1.5 }, 'INVALID_ARGUMENT'],
    [{ budgetTokens: 1_000_001 }, 'INVALID_ARGUMENT'],
    [{ budgetTokens: '10' }, 'INVALID_ARGUMENT'],
    [{ budget: 10 }, 'UNKNOWN_OPTION'],
  ])('refuses options %j with %s', async (options, code) => {
    const { memory } = await open();
    await expect(memory.recent('s', options as never)).rejects.toSatisfy(
      (e: unknown) => e instanceof MnemoError && e.code === code,
    );
  });

  it('refuses a bad session id', async () => {
    const { memory } = await open();
    await expect(memory.recent('')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(memory.recent(7 as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
