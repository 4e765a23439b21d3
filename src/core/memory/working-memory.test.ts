// Working memory through the runtime's verbs, over a real InMemoryStore: defaults, limits, read-only blocks,
// persistence, concurrency and input checks.

import { describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../adapters/memory-store.js';
import type { WorkingBlock } from '../api.js';
import type { RecordStore } from '../ports.js';
import { MemoryRuntime } from '../runtime.js';
import { codeOf, errorOf, ManualClock, sequentialIds } from '../test-support.js';
import { DEFAULT_BLOCK_LIMIT } from './working-memory.js';

const T0 = Date.UTC(2026, 0, 1);

async function open(store: RecordStore = new InMemoryStore(), clock = new ManualClock(T0), idPrefix = 'id') {
  return MemoryRuntime.open({ namespace: 'test', store, clock, newId: sequentialIds(idPrefix) });
}

describe('workingSet and workingGet', () => {
  it('creates a block with the default limit, not read-only, stamped with the clock', async () => {
    const memory = await open();
    const block = await memory.workingSet('persona', { value: 'I am a helpful assistant.' });
    const expected: WorkingBlock = {
      label: 'persona',
      value: 'I am a helpful assistant.',
      limit: 2000,
      readOnly: false,
      updatedAt: T0,
    };
    expect(block).toEqual(expected);
    expect(DEFAULT_BLOCK_LIMIT).toBe(2000);
    expect(await memory.workingGet('persona')).toEqual(expected);
  });

  it('stores the block as one working-tier record', async () => {
    const memory = await open();
    await memory.workingSet('human', { value: 'Name: Ana', limit: 100, readOnly: true, description: 'About the user' });
    const records = await memory.list({ tier: 'working' });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      id: 'id000001',
      tier: 'working',
      text: 'Name: Ana',
      meta: { label: 'human', limit: 100, readOnly: true, description: 'About the user' },
    });
    expect((await memory.stats()).byTier.working).toBe(1);
  });

  it('keeps every field given', async () => {
    const memory = await open();
    const block = await memory.workingSet('human', {
      value: 'Name: Ana',
      limit: 100,
      readOnly: true,
      description: 'About the user',
    });
    expect(block).toEqual({
      label: 'human',
      value: 'Name: Ana',
      limit: 100,
      readOnly: true,
      description: 'About the user',
      updatedAt: T0,
    });
  });

  it('overwrites in place, keeping limit, read-only flag and description when they are left out', async () => {
    const clock = new ManualClock(T0);
    const memory = await open(new InMemoryStore(), clock);
    await memory.workingSet('human', { value: 'Name: Ana', limit: 100, description: 'About the user' });
    clock.advance(5000);
    const block = await memory.workingSet('human', { value: 'Name: Ana Silva' });
    expect(block).toEqual({
      label: 'human',
      value: 'Name: Ana Silva',
      limit: 100,
      readOnly: false,
      description: 'About the user',
      updatedAt: T0 + 5000,
    });
    // Still one record, with the same id.
    const records = await memory.list({ tier: 'working' });
    expect(records.map((r) => r.id)).toEqual(['id000001']);
    expect(records[0]?.createdAt).toBe(T0);
    expect(records[0]?.updatedAt).toBe(T0 + 5000);
  });

  it('allows an empty value', async () => {
    const memory = await open();
    const block = await memory.workingSet('task', { value: '' });
    expect(block.value).toBe('');
    expect((await memory.workingGet('task'))?.value).toBe('');
  });

  it('answers undefined for a block that does not exist', async () => {
    const memory = await open();
    expect(await memory.workingGet('nothing')).toBeUndefined();
  });

  it('accepts a value exactly at the limit', async () => {
    const memory = await open();
    const block = await memory.workingSet('b', { value: 'x'.repeat(10), limit: 10 });
    expect(block.value).toBe('xxxxxxxxxx');
  });

  it('refuses a value over the limit with BLOCK_FULL and writes nothing', async () => {
    const store = new InMemoryStore();
    const memory = await open(store);
    const error = await errorOf(memory.workingSet('b', { value: 'x'.repeat(11), limit: 10 }));
    expect(error.code).toBe('BLOCK_FULL');
    expect(error.details).toEqual({ label: 'b', limit: 10, length: 11 });
    expect(await memory.workingGet('b')).toBeUndefined();
    expect(await store.count()).toBe(0);
  });

  it('refuses a value over the default limit', async () => {
    const memory = await open();
    expect(await codeOf(memory.workingSet('b', { value: 'y'.repeat(2001) }))).toBe('BLOCK_FULL');
    expect((await memory.workingSet('b', { value: 'y'.repeat(2000) })).value).toHaveLength(2000);
  });

  it('checks an overwrite against the limit the block keeps, and leaves the old value on failure', async () => {
    const memory = await open();
    await memory.workingSet('b', { value: 'short', limit: 8 });
    expect(await codeOf(memory.workingSet('b', { value: 'much too long' }))).toBe('BLOCK_FULL');
    expect(await memory.workingGet('b')).toEqual({ label: 'b', value: 'short', limit: 8, readOnly: false, updatedAt: T0 });
    // A new, larger limit in the same call lets it through.
    expect((await memory.workingSet('b', { value: 'much too long', limit: 20 })).value).toBe('much too long');
  });
});

describe('workingAppend', () => {
  it('adds a line, without a leading newline to an empty block', async () => {
    const clock = new ManualClock(T0);
    const memory = await open(new InMemoryStore(), clock);
    await memory.workingSet('notes', { value: '' });
    clock.advance(1000);
    expect(await memory.workingAppend('notes', 'likes tea')).toEqual({
      label: 'notes',
      value: 'likes tea',
      limit: 2000,
      readOnly: false,
      updatedAt: T0 + 1000,
    });
    clock.advance(1000);
    const block = await memory.workingAppend('notes', 'lives in Lisbon');
    expect(block.value).toBe('likes tea\nlives in Lisbon');
    expect(block.updatedAt).toBe(T0 + 2000);
    expect((await memory.workingGet('notes'))?.value).toBe('likes tea\nlives in Lisbon');
  });

  it('fails with NOT_FOUND for a missing block and creates none', async () => {
    const memory = await open();
    const error = await errorOf(memory.workingAppend('missing', 'text'));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.details).toEqual({ label: 'missing' });
    expect(await memory.workingList()).toEqual([]);
  });

  it('fails with BLOCK_FULL past the limit and changes nothing', async () => {
    const memory = await open();
    await memory.workingSet('b', { value: 'abcdefgh', limit: 10 });
    // "abcdefgh\nij" is 11 characters.
    const error = await errorOf(memory.workingAppend('b', 'ij'));
    expect(error.code).toBe('BLOCK_FULL');
    expect(error.details).toEqual({ label: 'b', limit: 10, length: 11 });
    expect(await memory.workingGet('b')).toEqual({ label: 'b', value: 'abcdefgh', limit: 10, readOnly: false, updatedAt: T0 });
    // One character fewer fits exactly.
    expect((await memory.workingAppend('b', 'i')).value).toBe('abcdefgh\ni');
  });

  it('loses none of 20 concurrent appends', async () => {
    const memory = await open();
    await memory.workingSet('log', { value: '' });
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const results = await Promise.all(lines.map((line) => memory.workingAppend('log', line)));
    const all = lines.join('\n');
    expect((await memory.workingGet('log'))?.value).toBe(all);
    // Each append saw the one before it: the results grow one line at a time, in call order.
    expect(results.map((b) => b.value)).toEqual(lines.map((_, i) => lines.slice(0, i + 1).join('\n')));
    expect((await memory.list({ tier: 'working' })).length).toBe(1);
  });
});

describe('workingReplace', () => {
  it('replaces the one occurrence', async () => {
    const clock = new ManualClock(T0);
    const memory = await open(new InMemoryStore(), clock);
    await memory.workingSet('human', { value: 'Name: Ana\nCity: Porto' });
    clock.advance(250);
    expect(await memory.workingReplace('human', 'Porto', 'Lisbon')).toEqual({
      label: 'human',
      value: 'Name: Ana\nCity: Lisbon',
      limit: 2000,
      readOnly: false,
      updatedAt: T0 + 250,
    });
    expect((await memory.workingGet('human'))?.value).toBe('Name: Ana\nCity: Lisbon');
  });

  it('replaces with an empty text, deleting the occurrence', async () => {
    const memory = await open();
    await memory.workingSet('human', { value: 'Name: Ana (temporary)' });
    expect((await memory.workingReplace('human', ' (temporary)', '')).value).toBe('Name: Ana');
  });

  it('fails with NOT_FOUND when the text is absent, and changes nothing', async () => {
    const memory = await open();
    await memory.workingSet('human', { value: 'Name: Ana' });
    const error = await errorOf(memory.workingReplace('human', 'Bob', 'Carl'));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.details).toEqual({ label: 'human' });
    expect((await memory.workingGet('human'))?.value).toBe('Name: Ana');
  });

  it('fails with INVALID_ARGUMENT when the text occurs more than once, and changes nothing', async () => {
    const memory = await open();
    await memory.workingSet('human', { value: 'likes tea; likes cake' });
    const error = await errorOf(memory.workingReplace('human', 'likes', 'loves'));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.details).toEqual({ field: 'oldText' });
    expect((await memory.workingGet('human'))?.value).toBe('likes tea; likes cake');
    // Quoting more of it makes it unique.
    expect((await memory.workingReplace('human', 'likes cake', 'loves cake')).value).toBe('likes tea; loves cake');
  });

  it('refuses an empty text to replace', async () => {
    const memory = await open();
    await memory.workingSet('human', { value: 'Name: Ana' });
    expect(await codeOf(memory.workingReplace('human', '', 'x'))).toBe('INVALID_ARGUMENT');
  });

  it('fails with NOT_FOUND for a missing block', async () => {
    const memory = await open();
    expect(await codeOf(memory.workingReplace('missing', 'a', 'b'))).toBe('NOT_FOUND');
  });

  it('fails with BLOCK_FULL when the result is over the limit, and changes nothing', async () => {
    const memory = await open();
    await memory.workingSet('b', { value: 'ab', limit: 5 });
    const error = await errorOf(memory.workingReplace('b', 'b', 'bcdef'));
    expect(error.code).toBe('BLOCK_FULL');
    expect(error.details).toEqual({ label: 'b', limit: 5, length: 6 });
    expect((await memory.workingGet('b'))?.value).toBe('ab');
  });
});

describe('workingDelete', () => {
  it('deletes a block and its record, answering true', async () => {
    const store = new InMemoryStore();
    const memory = await open(store);
    await memory.workingSet('task', { value: 'plan the trip' });
    expect(await memory.workingDelete('task')).toBe(true);
    expect(await memory.workingGet('task')).toBeUndefined();
    expect(await store.count()).toBe(0);
  });

  it('answers false for a block that does not exist', async () => {
    const memory = await open();
    expect(await memory.workingDelete('task')).toBe(false);
  });
});

describe('read-only blocks', () => {
  async function withReadOnly() {
    const memory = await open();
    await memory.workingSet('persona', { value: 'I am Mnemo.', readOnly: true });
    return memory;
  }

  const frozen: WorkingBlock = { label: 'persona', value: 'I am Mnemo.', limit: 2000, readOnly: true, updatedAt: T0 };

  it('refuses append, replace, delete and set with READ_ONLY, changing nothing', async () => {
    const memory = await withReadOnly();
    const attempts: [string, () => Promise<unknown>][] = [
      ['append', () => memory.workingAppend('persona', 'more')],
      ['replace', () => memory.workingReplace('persona', 'Mnemo', 'Other')],
      ['delete', () => memory.workingDelete('persona')],
      ['set', () => memory.workingSet('persona', { value: 'changed' })],
      ['set readOnly false', () => memory.workingSet('persona', { value: 'changed', readOnly: false })],
      ['set force false', () => memory.workingSet('persona', { value: 'changed' }, { force: false })],
      ['delete force false', () => memory.workingDelete('persona', { force: false })],
    ];
    for (const [what, attempt] of attempts) {
      const error = await errorOf(attempt());
      expect(error.code, what).toBe('READ_ONLY');
      expect(error.details, what).toEqual({ label: 'persona' });
    }
    expect(await memory.workingGet('persona')).toEqual(frozen);
  });

  it('refuses a replace of absent text with READ_ONLY before looking for it', async () => {
    const memory = await withReadOnly();
    expect(await codeOf(memory.workingReplace('persona', 'absent', 'x'))).toBe('READ_ONLY');
  });

  it('lets set overwrite with force, keeping the block read-only', async () => {
    const memory = await withReadOnly();
    const block = await memory.workingSet('persona', { value: 'I am Mnemo, v2.' }, { force: true });
    expect(block).toEqual({ ...frozen, value: 'I am Mnemo, v2.' });
    expect(await codeOf(memory.workingAppend('persona', 'x'))).toBe('READ_ONLY');
  });

  it('lets set with force make the block writable again', async () => {
    const memory = await withReadOnly();
    await memory.workingSet('persona', { value: 'I am Mnemo.', readOnly: false }, { force: true });
    expect((await memory.workingAppend('persona', 'Hello.')).value).toBe('I am Mnemo.\nHello.');
  });

  it('lets delete remove it with force', async () => {
    const memory = await withReadOnly();
    expect(await memory.workingDelete('persona', { force: true })).toBe(true);
    expect(await memory.workingGet('persona')).toBeUndefined();
  });
});

describe('workingList', () => {
  it('lists every block ordered by label', async () => {
    const memory = await open();
    expect(await memory.workingList()).toEqual([]);
    await memory.workingSet('task', { value: 'c' });
    await memory.workingSet('human', { value: 'b' });
    await memory.workingSet('persona', { value: 'a', readOnly: true });
    expect(await memory.workingList()).toEqual([
      { label: 'human', value: 'b', limit: 2000, readOnly: false, updatedAt: T0 },
      { label: 'persona', value: 'a', limit: 2000, readOnly: true, updatedAt: T0 },
      { label: 'task', value: 'c', limit: 2000, readOnly: false, updatedAt: T0 },
    ]);
  });

  it('lists only working blocks, not other records', async () => {
    const memory = await open();
    await memory.remember({ text: 'an episodic turn' });
    await memory.workingSet('human', { value: 'Name: Ana' });
    expect((await memory.workingList()).map((b) => b.label)).toEqual(['human']);
  });
});

describe('persistence', () => {
  it('keeps blocks across reopening a runtime on the same store', async () => {
    const store = new InMemoryStore();
    const first = await open(store, new ManualClock(T0), 'a');
    await first.workingSet('persona', { value: 'I am Mnemo.', readOnly: true, limit: 50, description: 'Who I am' });
    await first.workingSet('human', { value: 'Name: Ana' });
    await first.workingAppend('human', 'City: Porto');
    await first.close();

    const second = await open(store, new ManualClock(T0 + 60_000), 'b');
    expect(await second.workingList()).toEqual([
      { label: 'human', value: 'Name: Ana\nCity: Porto', limit: 2000, readOnly: false, updatedAt: T0 },
      { label: 'persona', value: 'I am Mnemo.', limit: 50, readOnly: true, description: 'Who I am', updatedAt: T0 },
    ]);
    // The reopened runtime finds and changes the same block rather than making another.
    expect((await second.workingReplace('human', 'Porto', 'Lisbon')).value).toBe('Name: Ana\nCity: Lisbon');
    expect(await codeOf(second.workingAppend('persona', 'x'))).toBe('READ_ONLY');
    expect((await second.list({ tier: 'working' })).map((r) => r.id).sort()).toEqual(['a000001', 'a000002']);
  });
});

describe('after close', () => {
  it('fails every working verb with CLOSED', async () => {
    const memory = await open();
    await memory.workingSet('human', { value: 'Name: Ana' });
    await memory.close();
    const calls: [string, () => Promise<unknown>][] = [
      ['list', () => memory.workingList()],
      ['get', () => memory.workingGet('human')],
      ['set', () => memory.workingSet('human', { value: 'x' })],
      ['append', () => memory.workingAppend('human', 'x')],
      ['replace', () => memory.workingReplace('human', 'Ana', 'Bob')],
      ['delete', () => memory.workingDelete('human')],
    ];
    for (const [what, call] of calls) expect(await codeOf(call()), what).toBe('CLOSED');
  });
});

describe('recall and working blocks', () => {
  it('leaves blocks out of recall by default, but finds them with tiers ["working"]', async () => {
    const memory = await open();
    await memory.workingSet('persona', { value: 'The assistant adores astronomy' });
    await memory.remember({ text: 'We talked about astronomy and telescopes' });
    const byDefault = await memory.recall('astronomy');
    expect(byDefault.map((h) => h.record.tier)).toEqual(['episodic']);
    const working = await memory.recall('astronomy', { tiers: ['working'] });
    expect(working).toHaveLength(1);
    expect(working[0]?.record).toMatchObject({
      id: 'id000001',
      tier: 'working',
      text: 'The assistant adores astronomy',
      meta: { label: 'persona' },
    });
  });

  it('recalls the new value after an append, not the old one', async () => {
    const memory = await open();
    await memory.workingSet('notes', { value: 'likes tea' });
    await memory.workingAppend('notes', 'owns a kayak');
    const hits = await memory.recall('kayak', { tiers: ['working'] });
    expect(hits.map((h) => h.record.text)).toEqual(['likes tea\nowns a kayak']);
  });

  it('no longer recalls a deleted block', async () => {
    const memory = await open();
    await memory.workingSet('notes', { value: 'owns a kayak' });
    await memory.workingDelete('notes');
    expect(await memory.recall('kayak', { tiers: ['working'] })).toEqual([]);
  });
});

describe('input checks', () => {
  it('reports bad input as a rejected promise, never a synchronous throw', async () => {
    const memory = await open();
    await memory.workingSet('human', { value: 'Name: Ana' });
    const calls: [string, () => Promise<unknown>][] = [
      ['append', () => memory.workingAppend('human', 7 as never)],
      ['append label', () => memory.workingAppend('', 'x')],
      ['replace', () => memory.workingReplace('human', '', 'x')],
      ['replace label', () => memory.workingReplace('', 'a', 'b')],
      ['set', () => memory.workingSet('', { value: 'x' })],
      ['delete', () => memory.workingDelete('')],
      ['get', () => memory.workingGet('')],
    ];
    for (const [what, call] of calls) {
      let result: Promise<unknown> | undefined;
      expect(() => (result = call()), what).not.toThrow();
      expect(await codeOf(result!), what).toBe('INVALID_ARGUMENT');
    }
  });

  it('refuses a lone surrogate with TEXT_MALFORMED in a value, label, appended or replacing text', async () => {
    const memory = await open();
    await memory.workingSet('human', { value: 'Name: Ana' });
    const cases: [string, () => Promise<unknown>][] = [
      ['set value', () => memory.workingSet('other', { value: 'broken \uD83D pair' })],
      ['set label', () => memory.workingSet('bad\uDC00label', { value: 'ok' })],
      ['append', () => memory.workingAppend('human', 'x \uD83D y')],
      ['replace old', () => memory.workingReplace('human', 'Ana\uD83D', 'Bob')],
      ['replace new', () => memory.workingReplace('human', 'Ana', 'B\uDC00ob')],
      ['get label', () => memory.workingGet('\uD83D')],
      ['delete label', () => memory.workingDelete('\uD83D')],
    ];
    for (const [what, attempt] of cases) expect(await codeOf(attempt()), what).toBe('TEXT_MALFORMED');
    expect(await memory.workingList()).toEqual([
      { label: 'human', value: 'Name: Ana', limit: 2000, readOnly: false, updatedAt: T0 },
    ]);
  });

  it('accepts a well-formed surrogate pair', async () => {
    const memory = await open();
    expect((await memory.workingSet('mood', { value: 'happy \uD83D\uDE00' })).value).toBe('happy 😀');
  });

  it('refuses unknown options with UNKNOWN_OPTION', async () => {
    const memory = await open();
    await memory.workingSet('human', { value: 'Name: Ana' });
    const setInput = await errorOf(memory.workingSet('x', { value: 'v', size: 10 } as never));
    expect(setInput.code).toBe('UNKNOWN_OPTION');
    expect(setInput.details).toMatchObject({ field: 'block', option: 'size' });
    const setOptions = await errorOf(memory.workingSet('x', { value: 'v' }, { force: true, hard: true } as never));
    expect(setOptions.code).toBe('UNKNOWN_OPTION');
    expect(setOptions.details).toMatchObject({ field: 'options', option: 'hard' });
    const deleteOptions = await errorOf(memory.workingDelete('human', { soft: true } as never));
    expect(deleteOptions.code).toBe('UNKNOWN_OPTION');
    expect(deleteOptions.details).toMatchObject({ field: 'options', option: 'soft' });
    expect(await memory.workingGet('x')).toBeUndefined();
    expect((await memory.workingGet('human'))?.value).toBe('Name: Ana');
  });

  it('refuses malformed arguments with INVALID_ARGUMENT', async () => {
    const memory = await open();
    const cases: [string, () => Promise<unknown>][] = [
      ['empty label', () => memory.workingSet('', { value: 'v' })],
      ['long label', () => memory.workingSet('l'.repeat(257), { value: 'v' })],
      ['no value', () => memory.workingSet('a', {} as never)],
      ['number value', () => memory.workingSet('a', { value: 42 } as never)],
      ['input not an object', () => memory.workingSet('a', 'text' as never)],
      ['zero limit', () => memory.workingSet('a', { value: '', limit: 0 })],
      ['fractional limit', () => memory.workingSet('a', { value: '', limit: 1.5 })],
      ['limit over the text limit', () => memory.workingSet('a', { value: '', limit: 100_001 })],
      ['readOnly not boolean', () => memory.workingSet('a', { value: '', readOnly: 'yes' } as never)],
      ['long description', () => memory.workingSet('a', { value: '', description: 'd'.repeat(1001) })],
      ['append number', () => memory.workingAppend('a', 7 as never)],
      ['get empty label', () => memory.workingGet('')],
    ];
    for (const [what, attempt] of cases) expect(await codeOf(attempt()), what).toBe('INVALID_ARGUMENT');
    expect(await memory.workingList()).toEqual([]);
  });
});
