// Semantic memory through the runtime's verbs, over a real InMemoryStore: adding, merging, superseding,
// updating and invalidating facts, and what list, history and recall see at each instant.

import { describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../adapters/memory-store.js';
import type { FactInput } from '../api.js';
import { HashEmbedder } from '../embedding/hash-embedder.js';
import { INITIAL_STRENGTH_MS, type MemoryRecord } from '../record.js';
import { MemoryRuntime, type RuntimeDeps } from '../runtime.js';
import { codeOf, errorOf, ManualClock, sequentialIds } from '../test-support.js';

const T0 = Date.UTC(2026, 0, 1);
const SECOND = 1000;

async function open(clock = new ManualClock(T0), extra: Partial<RuntimeDeps> = {}) {
  const store = new InMemoryStore();
  const memory = await MemoryRuntime.open({ namespace: 'test', store, clock, newId: sequentialIds(), ...extra });
  return { memory, clock, store };
}

/** A fact with a `key`: facts sharing a key are versions of one statement ("where Ada lives"). */
function keyed(text: string, key: string, rest: Partial<FactInput> = {}): FactInput {
  return { text, key, ...rest };
}

const ids = (records: MemoryRecord[]) => records.map((r) => r.id);
const texts = (records: MemoryRecord[]) => records.map((r) => r.text);

describe('factAdd', () => {
  it('adds a new fact as a semantic record valid from now', async () => {
    const { memory } = await open();
    const result = await memory.factAdd({ text: 'Ada is vegetarian' });
    const expected: MemoryRecord = {
      id: 'id000001',
      namespace: 'test',
      tier: 'semantic',
      text: 'Ada is vegetarian',
      createdAt: T0,
      eventAt: T0,
      updatedAt: T0,
      importance: 0.5,
      strength: INITIAL_STRENGTH_MS,
      accessCount: 0,
      tags: [],
      meta: { factId: 'id000001' },
      source: { kind: 'app' },
      sourceIds: [],
      validFrom: T0,
      trust: 'high',
    };
    expect(result).toEqual({ fact: expected, outcome: 'added' });
    expect(await memory.get('id000001')).toEqual(expected);
    expect(await memory.factList()).toEqual([expected]);
  });

  it('keeps what it is given: validFrom, importance, tags, meta, source and provenance', async () => {
    const { memory } = await open();
    const [turn] = await memory.remember({ text: 'I stopped eating meat last year', speaker: 'Ada' });
    const { fact, outcome } = await memory.factAdd({
      text: 'Ada is vegetarian',
      sourceIds: [turn!.id],
      validFrom: '2025-06-01T00:00:00Z',
      importance: 0.9,
      tags: ['diet'],
      meta: { confidence: 0.8 },
      source: { kind: 'llm', name: 'gpt' },
    });
    expect(outcome).toBe('added');
    expect(fact).toMatchObject({
      id: 'id000002',
      sourceIds: ['id000001'],
      validFrom: Date.UTC(2025, 5, 1),
      eventAt: Date.UTC(2025, 5, 1),
      createdAt: T0,
      importance: 0.9,
      tags: ['diet'],
      meta: { confidence: 0.8, factId: 'id000002' },
      source: { kind: 'llm', name: 'gpt' },
    });
    expect((await memory.get(fact.id))?.sourceIds).toEqual(['id000001']);
  });

  it('adds unrelated facts side by side', async () => {
    const { memory } = await open();
    expect((await memory.factAdd({ text: 'Ada is vegetarian' })).outcome).toBe('added');
    expect((await memory.factAdd({ text: 'Ada plays the cello' })).outcome).toBe('added');
    expect(texts(await memory.factList()).sort()).toEqual(['Ada is vegetarian', 'Ada plays the cello']);
  });

  it('merges a near-identical fact into the valid one, uniting provenance and tags', async () => {
    const { memory, clock } = await open();
    await memory.factAdd({ text: 'Ada is vegetarian', sourceIds: ['t1', 't2'], tags: ['diet'], importance: 0.4 });
    clock.advance(SECOND);
    const result = await memory.factAdd({ text: 'Ada is vegetarian.', sourceIds: ['t2', 't3'], tags: ['food'], importance: 0.7 });
    expect(result.outcome).toBe('merged');
    expect(result.fact).toMatchObject({
      id: 'id000001',
      text: 'Ada is vegetarian',
      sourceIds: ['t1', 't2', 't3'],
      tags: ['diet', 'food'],
      importance: 0.7,
      strength: 2 * INITIAL_STRENGTH_MS,
      createdAt: T0,
      updatedAt: T0 + SECOND,
      validFrom: T0,
    });
    expect(result.fact.invalidAt).toBeUndefined();
    const valid = await memory.factList({ includeInvalid: true });
    expect(valid).toEqual([result.fact]);
    expect((await memory.stats()).byTier.semantic).toBe(1);
  });

  it('merges a restatement that differs only in stop words', async () => {
    const { memory } = await open();
    await memory.factAdd({ text: 'Ada is vegetarian' });
    const result = await memory.factAdd({ text: 'Ada is a vegetarian' });
    expect(result.outcome).toBe('merged');
    expect(result.fact.id).toBe('id000001');
    expect(texts(await memory.factList())).toEqual(['Ada is vegetarian']);
  });

  it('does not merge into an invalidated fact', async () => {
    const { memory, clock } = await open();
    const { fact } = await memory.factAdd({ text: 'Ada is vegetarian' });
    clock.advance(SECOND);
    await memory.factInvalidate(fact.id);
    clock.advance(SECOND);
    const again = await memory.factAdd({ text: 'Ada is vegetarian.' });
    expect(again.outcome).toBe('added');
    expect(again.fact.id).not.toBe(fact.id);
    expect(ids(await memory.factList())).toEqual([again.fact.id]);
  });

  it('still finds the valid twin when many invalidated copies of the same text exist', async () => {
    const { memory, clock } = await open();
    for (let i = 0; i < 6; i++) {
      const { fact } = await memory.factAdd({ text: 'Ada is vegetarian' });
      clock.advance(SECOND);
      await memory.factInvalidate(fact.id);
      clock.advance(SECOND);
    }
    const live = await memory.factAdd({ text: 'Ada is vegetarian' });
    expect(live.outcome).toBe('added');
    clock.advance(SECOND);
    const again = await memory.factAdd({ text: 'Ada is vegetarian.' });
    expect(again.outcome).toBe('merged');
    expect(again.fact.id).toBe(live.fact.id);
    expect(ids(await memory.factList())).toEqual([live.fact.id]);
  });

  it('does not merge into records of other tiers', async () => {
    const { memory } = await open();
    await memory.remember({ text: 'Ada is vegetarian' });
    const result = await memory.factAdd({ text: 'Ada is vegetarian' });
    expect(result.outcome).toBe('added');
    expect(result.fact.tier).toBe('semantic');
    expect(result.fact.id).toBe('id000002');
  });

  it('supersedes a valid fact with the same key and other text', async () => {
    const { memory, clock } = await open();
    const porto = (await memory.factAdd(keyed('Ada lives in Porto', 'ada.city'))).fact;
    clock.advance(SECOND);
    const result = await memory.factAdd(keyed('Ada lives in Lisbon', 'ada.city', { sourceIds: ['turn9'] }));
    expect(result.outcome).toBe('superseded');
    const lisbon = result.fact;
    expect(lisbon).toMatchObject({
      id: 'id000002',
      text: 'Ada lives in Lisbon',
      validFrom: T0 + SECOND,
      sourceIds: ['turn9'],
      meta: { factId: 'id000001', previousId: 'id000001', key: 'ada.city' },
    });
    expect(lisbon.invalidAt).toBeUndefined();

    const old = await memory.get(porto.id);
    expect(old?.invalidAt).toBe(lisbon.validFrom);
    expect(old?.invalidAt).toBe(T0 + SECOND);
    expect(old?.meta).toEqual({ factId: 'id000001', key: 'ada.city', supersededBy: 'id000002' });

    expect(ids(await memory.factList())).toEqual(['id000002']);
    expect(ids(await memory.factList({ asOf: T0 + SECOND / 2 }))).toEqual(['id000001']);
    expect(ids(await memory.factList({ asOf: T0 + SECOND }))).toEqual(['id000002']);
    expect(await memory.factList({ asOf: T0 - 1 })).toEqual([]);
    expect(ids(await memory.factList({ includeInvalid: true }))).toEqual(['id000002', 'id000001']);
    expect(ids(await memory.factHistory(porto.id))).toEqual(['id000001', 'id000002']);
    expect(ids(await memory.factHistory(lisbon.id))).toEqual(['id000001', 'id000002']);
  });

  it('merges a near-identical fact with the same key instead of superseding', async () => {
    const { memory } = await open();
    await memory.factAdd(keyed('Ada lives in Porto', 'ada.city', { sourceIds: ['a'] }));
    const result = await memory.factAdd(keyed('Ada lives in Porto.', 'ada.city', { sourceIds: ['b'] }));
    expect(result.outcome).toBe('merged');
    expect(result.fact).toMatchObject({ id: 'id000001', sourceIds: ['a', 'b'] });
    expect(ids(await memory.factList({ includeInvalid: true }))).toEqual(['id000001']);
  });

  it('leaves facts with other keys alone', async () => {
    const { memory, clock } = await open();
    await memory.factAdd(keyed('Ada lives in Porto', 'ada.city'));
    clock.advance(SECOND);
    const result = await memory.factAdd(keyed('Bob lives in Lisbon', 'bob.city'));
    expect(result.outcome).toBe('added');
    expect(texts(await memory.factList())).toEqual(['Bob lives in Lisbon', 'Ada lives in Porto']);
  });

  it('supersedes every valid version of a key along the chain', async () => {
    const { memory, clock } = await open();
    await memory.factAdd(keyed('Ada lives in Porto', 'ada.city'));
    clock.advance(SECOND);
    await memory.factAdd(keyed('Ada lives in Lisbon', 'ada.city'));
    clock.advance(SECOND);
    const third = await memory.factAdd(keyed('Ada lives in Madrid', 'ada.city'));
    expect(third.outcome).toBe('superseded');
    expect(third.fact.meta).toEqual({ factId: 'id000001', previousId: 'id000002', key: 'ada.city' });
    expect(texts(await memory.factList())).toEqual(['Ada lives in Madrid']);
    expect(texts(await memory.factList({ asOf: T0 + 1500 }))).toEqual(['Ada lives in Lisbon']);
    const history = await memory.factHistory('id000002');
    expect(texts(history)).toEqual(['Ada lives in Porto', 'Ada lives in Lisbon', 'Ada lives in Madrid']);
    expect(history.map((f) => f.invalidAt)).toEqual([T0 + SECOND, T0 + 2 * SECOND, undefined]);
  });

  it('keeps a key given to a fact that merges into one without a key, so a later version supersedes it', async () => {
    const { memory, clock } = await open();
    await memory.factAdd({ text: 'Ada lives in Porto' });
    const merged = await memory.factAdd(keyed('Ada lives in Porto', 'ada.city'));
    expect(merged.outcome).toBe('merged');
    expect(merged.fact.meta['key']).toBe('ada.city');
    clock.advance(SECOND);
    const lisbon = await memory.factAdd(keyed('Ada lives in Lisbon', 'ada.city'));
    expect(lisbon.outcome).toBe('superseded');
    expect(texts(await memory.factList())).toEqual(['Ada lives in Lisbon']);
  });

  it('refuses bad input with stable codes and stores nothing', async () => {
    const { memory, store } = await open();
    const cases: [unknown, string][] = [
      [{ text: '' }, 'TEXT_EMPTY'],
      [{ text: '  \n' }, 'TEXT_EMPTY'],
      [{}, 'INVALID_ARGUMENT'],
      [{ text: 42 }, 'INVALID_ARGUMENT'],
      [null, 'INVALID_ARGUMENT'],
      [{ text: 'broken \uD83D pair' }, 'TEXT_MALFORMED'],
      [{ text: 'ok', confidence: 1 }, 'UNKNOWN_OPTION'],
      [{ text: 'ok', validFrom: 'not a date' }, 'INVALID_ARGUMENT'],
      [{ text: 'ok', importance: 1.5 }, 'INVALID_ARGUMENT'],
      [{ text: 'ok', tags: 'diet' }, 'INVALID_ARGUMENT'],
      [{ text: 'ok', sourceIds: [''] }, 'INVALID_ARGUMENT'],
      [{ text: 'ok', source: { kind: 'robot' } }, 'INVALID_ARGUMENT'],
      [{ text: 'ok', key: '' }, 'INVALID_ARGUMENT'],
      [{ text: 'ok', meta: { n: Number.NaN } }, 'INVALID_ARGUMENT'],
    ];
    for (const [input, code] of cases) {
      expect(await codeOf(memory.factAdd(input as FactInput)), JSON.stringify(input)).toBe(code);
    }
    expect(await store.count()).toBe(0);
  });
});

describe('factUpdate', () => {
  it('writes a new version and invalidates the old one from its validFrom', async () => {
    const { memory, clock } = await open();
    const v1 = (await memory.factAdd({ text: 'Ada works at Acme', sourceIds: ['t1'] })).fact;
    clock.advance(SECOND);
    const result = await memory.factUpdate(v1.id, { text: 'Ada works at Globex', sourceIds: ['t2'] });
    expect(result.outcome).toBe('superseded');
    const v2 = result.fact;
    expect(v2).toMatchObject({
      id: 'id000002',
      tier: 'semantic',
      text: 'Ada works at Globex',
      validFrom: T0 + SECOND,
      sourceIds: ['t2'],
      meta: { factId: 'id000001', previousId: 'id000001' },
    });
    expect(await memory.get(v1.id)).toMatchObject({
      invalidAt: T0 + SECOND,
      updatedAt: T0 + SECOND,
      sourceIds: ['t1'],
      meta: { factId: 'id000001', supersededBy: 'id000002' },
    });
    expect(ids(await memory.factList())).toEqual(['id000002']);
    expect(ids(await memory.factList({ asOf: T0 }))).toEqual(['id000001']);
    expect(ids(await memory.factList({ includeInvalid: true }))).toEqual(['id000002', 'id000001']);
    expect(ids(await memory.factHistory('id000001'))).toEqual(['id000001', 'id000002']);
    expect(ids(await memory.factHistory('id000002'))).toEqual(['id000001', 'id000002']);
  });

  it('invalidates the old version at an explicit validFrom', async () => {
    const { memory, clock } = await open();
    const v1 = (await memory.factAdd({ text: 'Ada works at Acme' })).fact;
    clock.advance(10 * SECOND);
    const v2 = (await memory.factUpdate(v1.id, { text: 'Ada works at Globex', validFrom: T0 + 4 * SECOND })).fact;
    expect(v2.validFrom).toBe(T0 + 4 * SECOND);
    expect((await memory.get(v1.id))?.invalidAt).toBe(T0 + 4 * SECOND);
    expect(ids(await memory.factList({ asOf: T0 + 3 * SECOND }))).toEqual([v1.id]);
    expect(ids(await memory.factList({ asOf: T0 + 4 * SECOND }))).toEqual([v2.id]);
  });

  it('refuses to update a superseded version with FACT_INVALID, but updates the current one', async () => {
    const { memory, clock } = await open();
    const v1 = (await memory.factAdd({ text: 'Ada works at Acme' })).fact;
    clock.advance(SECOND);
    const v2 = (await memory.factUpdate(v1.id, { text: 'Ada works at Globex' })).fact;
    clock.advance(SECOND);
    const error = await errorOf(memory.factUpdate(v1.id, { text: 'Ada works at Initech' }));
    expect(error.code).toBe('FACT_INVALID');
    expect(error.details).toEqual({ id: 'id000001' });
    expect(error.message).toBe('The fact id000001 was invalidated; its newer version is id000002.');
    // Nothing was written by the refused update.
    expect(ids(await memory.factList({ includeInvalid: true }))).toEqual(['id000002', 'id000001']);

    const v3 = (await memory.factUpdate(v2.id, { text: 'Ada works at Initech' })).fact;
    expect(v3.meta).toEqual({ factId: 'id000001', previousId: v2.id });
    expect(texts(await memory.factHistory(v1.id))).toEqual(['Ada works at Acme', 'Ada works at Globex', 'Ada works at Initech']);
    expect(texts(await memory.factList())).toEqual(['Ada works at Initech']);
  });

  it('refuses to update an invalidated fact with FACT_INVALID', async () => {
    const { memory, clock } = await open();
    const fact = (await memory.factAdd({ text: 'Ada works at Acme' })).fact;
    clock.advance(SECOND);
    await memory.factInvalidate(fact.id);
    const error = await errorOf(memory.factUpdate(fact.id, { text: 'Ada works at Globex' }));
    expect(error.code).toBe('FACT_INVALID');
    expect(error.message).toBe('The fact id000001 was invalidated; no newer version exists.');
  });

  it('carries the key over, so a later fact with that key supersedes the new version', async () => {
    const { memory, clock } = await open();
    const v1 = (await memory.factAdd(keyed('Ada lives in Porto', 'ada.city'))).fact;
    clock.advance(SECOND);
    const v2 = (await memory.factUpdate(v1.id, { text: 'Ada lives in Lisbon' })).fact;
    expect(v2.meta['key']).toBe('ada.city');
    clock.advance(SECOND);
    const v3 = await memory.factAdd(keyed('Ada lives in Madrid', 'ada.city'));
    expect(v3.outcome).toBe('superseded');
    expect(v3.fact.meta['previousId']).toBe(v2.id);
    expect(texts(await memory.factList())).toEqual(['Ada lives in Madrid']);
  });

  it('fails with NOT_FOUND for an unknown id and NOT_A_FACT for an episodic record', async () => {
    const { memory, store } = await open();
    const [turn] = await memory.remember({ text: 'Ada said hello' });
    const missing = await errorOf(memory.factUpdate('nope', { text: 'x' }));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.details).toEqual({ id: 'nope' });
    const notFact = await errorOf(memory.factUpdate(turn!.id, { text: 'x' }));
    expect(notFact.code).toBe('NOT_A_FACT');
    expect(notFact.details).toEqual({ id: turn!.id });
    expect(await store.count()).toBe(1);
    expect(await memory.get(turn!.id)).toEqual(turn);
  });

  it('checks its input before looking the fact up', async () => {
    const { memory } = await open();
    const fact = (await memory.factAdd({ text: 'Ada works at Acme' })).fact;
    expect(await codeOf(memory.factUpdate(fact.id, { text: '' }))).toBe('TEXT_EMPTY');
    expect(await codeOf(memory.factUpdate(fact.id, { text: 'x', oops: 1 } as FactInput))).toBe('UNKNOWN_OPTION');
    expect(await codeOf(memory.factUpdate('', { text: 'x' }))).toBe('INVALID_ARGUMENT');
    expect(await memory.factList({ includeInvalid: true })).toEqual([fact]);
  });
});

describe('factInvalidate', () => {
  it('sets invalidAt to now, and the fact leaves the list of valid facts', async () => {
    const { memory, clock } = await open();
    const fact = (await memory.factAdd({ text: 'Ada is vegetarian' })).fact;
    clock.advance(3 * SECOND);
    const invalidated = await memory.factInvalidate(fact.id);
    expect(invalidated).toEqual({ ...fact, invalidAt: T0 + 3 * SECOND, updatedAt: T0 + 3 * SECOND });
    expect(await memory.get(fact.id)).toEqual(invalidated);
    expect(await memory.factList()).toEqual([]);
    expect(ids(await memory.factList({ asOf: T0 + 2 * SECOND }))).toEqual([fact.id]);
    expect(ids(await memory.factList({ includeInvalid: true }))).toEqual([fact.id]);
    expect(ids(await memory.factHistory(fact.id))).toEqual([fact.id]);
  });

  it('takes an explicit instant in any form', async () => {
    const { memory, clock } = await open();
    clock.advance(10 * SECOND);
    const a = (await memory.factAdd({ text: 'Ada is vegetarian', validFrom: T0 })).fact;
    const b = (await memory.factAdd({ text: 'Bob plays chess', validFrom: T0 })).fact;
    const c = (await memory.factAdd({ text: 'Cleo likes jazz', validFrom: T0 })).fact;
    expect((await memory.factInvalidate(a.id, { at: T0 + 2 * SECOND })).invalidAt).toBe(T0 + 2 * SECOND);
    expect((await memory.factInvalidate(b.id, { at: new Date(T0 + 3 * SECOND) })).invalidAt).toBe(T0 + 3 * SECOND);
    expect((await memory.factInvalidate(c.id, { at: '2026-01-01T00:00:04Z' })).invalidAt).toBe(T0 + 4 * SECOND);
    expect(texts(await memory.factList({ asOf: T0 + 2500 }))).toEqual(['Cleo likes jazz', 'Bob plays chess']);
  });

  it('accepts the instant the fact became valid, but refuses one before it with INVALID_ARGUMENT', async () => {
    const { memory } = await open();
    const fact = (await memory.factAdd({ text: 'Ada is vegetarian', validFrom: T0 + SECOND })).fact;
    const error = await errorOf(memory.factInvalidate(fact.id, { at: T0 }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.details).toEqual({ field: 'options.at' });
    expect(await memory.get(fact.id)).toEqual(fact);
    expect((await memory.factInvalidate(fact.id, { at: T0 + SECOND })).invalidAt).toBe(T0 + SECOND);
  });

  it('refuses a second invalidation with FACT_INVALID', async () => {
    const { memory, clock } = await open();
    const fact = (await memory.factAdd({ text: 'Ada is vegetarian' })).fact;
    clock.advance(SECOND);
    await memory.factInvalidate(fact.id);
    clock.advance(SECOND);
    expect(await codeOf(memory.factInvalidate(fact.id))).toBe('FACT_INVALID');
    expect((await memory.get(fact.id))?.invalidAt).toBe(T0 + SECOND);
  });

  it('fails with NOT_FOUND, NOT_A_FACT, UNKNOWN_OPTION and INVALID_ARGUMENT as due', async () => {
    const { memory } = await open();
    const [turn] = await memory.remember({ text: 'hello' });
    const fact = (await memory.factAdd({ text: 'Ada is vegetarian' })).fact;
    expect(await codeOf(memory.factInvalidate('missing'))).toBe('NOT_FOUND');
    expect(await codeOf(memory.factInvalidate(turn!.id))).toBe('NOT_A_FACT');
    expect(await codeOf(memory.factInvalidate(fact.id, { when: 1 } as never))).toBe('UNKNOWN_OPTION');
    expect(await codeOf(memory.factInvalidate(fact.id, { at: 'yesterday-ish' }))).toBe('INVALID_ARGUMENT');
    expect(await memory.get(fact.id)).toEqual(fact);
  });
});

describe('factList', () => {
  it('lists valid facts newest first, up to the limit', async () => {
    const { memory } = await open();
    await memory.factAdd({ text: 'Ada is vegetarian', validFrom: T0 - 3 * SECOND });
    await memory.factAdd({ text: 'Bob plays chess', validFrom: T0 - 1 * SECOND });
    await memory.factAdd({ text: 'Cleo likes jazz', validFrom: T0 - 2 * SECOND });
    expect(texts(await memory.factList())).toEqual(['Bob plays chess', 'Cleo likes jazz', 'Ada is vegetarian']);
    expect(texts(await memory.factList({ limit: 2 }))).toEqual(['Bob plays chess', 'Cleo likes jazz']);
  });

  it('leaves out facts not yet valid', async () => {
    const { memory } = await open();
    await memory.factAdd({ text: 'Ada moves to Lisbon', validFrom: T0 + 60 * SECOND });
    expect(await memory.factList()).toEqual([]);
    expect(texts(await memory.factList({ asOf: T0 + 60 * SECOND }))).toEqual(['Ada moves to Lisbon']);
    expect(texts(await memory.factList({ includeInvalid: true }))).toEqual(['Ada moves to Lisbon']);
  });

  it('lists only facts, not other tiers', async () => {
    const { memory } = await open();
    await memory.remember({ text: 'Ada is vegetarian' });
    await memory.instructionAdd('Answer in French');
    await memory.factAdd({ text: 'Bob plays chess' });
    expect(texts(await memory.factList())).toEqual(['Bob plays chess']);
  });

  it('filters by tags, every tag required', async () => {
    const { memory } = await open();
    await memory.factAdd({ text: 'Ada is vegetarian', tags: ['diet'] });
    await memory.factAdd({ text: 'Ada is allergic to nuts', tags: ['diet', 'health'] });
    await memory.factAdd({ text: 'Ada lives in Porto', tags: ['home'] });
    expect(texts(await memory.factList({ tags: ['diet'] })).sort()).toEqual(['Ada is allergic to nuts', 'Ada is vegetarian']);
    expect(texts(await memory.factList({ tags: ['diet', 'health'] }))).toEqual(['Ada is allergic to nuts']);
    expect(texts(await memory.factList({ tags: ['home'] }))).toEqual(['Ada lives in Porto']);
    expect(await memory.factList({ tags: ['work'] })).toEqual([]);
    expect(await memory.factList({ tags: ['home', 'diet'] })).toEqual([]);
  });

  it('filters invalidated facts by tags too', async () => {
    const { memory, clock } = await open();
    const a = (await memory.factAdd({ text: 'Ada is vegetarian', tags: ['diet'] })).fact;
    await memory.factAdd({ text: 'Ada lives in Porto', tags: ['home'] });
    clock.advance(SECOND);
    await memory.factInvalidate(a.id);
    expect(await memory.factList({ tags: ['diet'] })).toEqual([]);
    expect(ids(await memory.factList({ tags: ['diet'], includeInvalid: true }))).toEqual([a.id]);
  });

  it('refuses bad options', async () => {
    const { memory } = await open();
    expect(await codeOf(memory.factList({ all: true } as never))).toBe('UNKNOWN_OPTION');
    expect(await codeOf(memory.factList({ limit: 0 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(memory.factList({ limit: 1001 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(memory.factList({ asOf: 'soon' }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(memory.factList({ tags: 'diet' as never }))).toBe('INVALID_ARGUMENT');
  });
});

describe('factHistory', () => {
  it('fails with NOT_FOUND for an unknown id and NOT_A_FACT for an episodic record', async () => {
    const { memory } = await open();
    const [turn] = await memory.remember({ text: 'hello' });
    expect(await codeOf(memory.factHistory('missing'))).toBe('NOT_FOUND');
    const error = await errorOf(memory.factHistory(turn!.id));
    expect(error.code).toBe('NOT_A_FACT');
    expect(error.details).toEqual({ id: turn!.id });
  });

  it('keeps separate chains apart', async () => {
    const { memory, clock } = await open();
    const a = (await memory.factAdd({ text: 'Ada works at Acme' })).fact;
    const b = (await memory.factAdd({ text: 'Bob plays chess' })).fact;
    clock.advance(SECOND);
    const a2 = (await memory.factUpdate(a.id, { text: 'Ada works at Globex' })).fact;
    expect(ids(await memory.factHistory(b.id))).toEqual([b.id]);
    expect(ids(await memory.factHistory(a2.id))).toEqual([a.id, a2.id]);
  });
});

describe('after close', () => {
  it('fails every fact verb with CLOSED', async () => {
    const { memory } = await open();
    const fact = (await memory.factAdd({ text: 'Ada is vegetarian' })).fact;
    await memory.close();
    const calls: [string, () => Promise<unknown>][] = [
      ['add', () => memory.factAdd({ text: 'Bob plays chess' })],
      ['update', () => memory.factUpdate(fact.id, { text: 'Ada is vegan' })],
      ['invalidate', () => memory.factInvalidate(fact.id)],
      ['list', () => memory.factList()],
      ['history', () => memory.factHistory(fact.id)],
    ];
    for (const [what, call] of calls) expect(await codeOf(call()), what).toBe('CLOSED');
  });
});

describe('recall of facts', () => {
  it('hides an invalidated fact by default, but shows it asOf a time it was valid', async () => {
    const { memory, clock } = await open();
    const fact = (await memory.factAdd({ text: 'Ada lives in Porto' })).fact;
    expect((await memory.recall('Porto')).map((h) => h.record.id)).toEqual([fact.id]);
    clock.advance(10 * SECOND);
    await memory.factInvalidate(fact.id);
    clock.advance(SECOND);
    expect(await memory.recall('Porto')).toEqual([]);
    expect((await memory.recall('Porto', { asOf: T0 + 5 * SECOND })).map((h) => h.record.id)).toEqual([fact.id]);
    expect(await memory.recall('Porto', { asOf: T0 + 10 * SECOND })).toEqual([]);
    expect(await memory.recall('Porto', { asOf: T0 - 1 })).toEqual([]);
  });

  it('shows the version valid at each instant of a superseded chain', async () => {
    const { memory, clock } = await open();
    await memory.factAdd(keyed('Ada lives in Porto', 'ada.city'));
    clock.advance(10 * SECOND);
    await memory.factAdd(keyed('Ada lives in Lisbon', 'ada.city'));
    clock.advance(SECOND);
    const now = await memory.recall('where does Ada live', { tiers: ['semantic'] });
    expect(now.map((h) => h.record.text)).toEqual(['Ada lives in Lisbon']);
    const then = await memory.recall('where does Ada live', { tiers: ['semantic'], asOf: T0 + 5 * SECOND });
    expect(then.map((h) => h.record.text)).toEqual(['Ada lives in Porto']);
  });

  it('returns facts with their provenance', async () => {
    const { memory } = await open();
    const turns = await memory.remember([
      { text: 'I gave up meat', speaker: 'Ada', sessionId: 's1' },
      { text: 'Still no meat for me', speaker: 'Ada', sessionId: 's2' },
    ]);
    await memory.factAdd({ text: 'Ada is vegetarian', sourceIds: [turns[0]!.id] });
    await memory.factAdd({ text: 'Ada is vegetarian.', sourceIds: [turns[1]!.id] });
    const hits = await memory.recall('vegetarian', { tiers: ['semantic'] });
    expect(hits.map((h) => [h.record.text, h.record.sourceIds])).toEqual([['Ada is vegetarian', ['id000001', 'id000002']]]);
  });
});

describe('facts with an embedder', () => {
  it('embeds added and superseding facts, and merging writes no new vector', async () => {
    const { memory, clock } = await open(new ManualClock(T0), { embedder: new HashEmbedder() });
    const added = await memory.factAdd(keyed('Ada lives in Porto', 'ada.city'));
    expect(added.fact.embedding).toEqual({ model: 'mnemo-hash-v1-d256-n34', dims: 256 });
    expect((await memory.stats()).vectors?.count).toBe(1);
    expect((await memory.factAdd(keyed('Ada lives in Porto.', 'ada.city'))).outcome).toBe('merged');
    expect((await memory.stats()).vectors?.count).toBe(1);
    clock.advance(SECOND);
    expect((await memory.factAdd(keyed('Ada lives in Lisbon', 'ada.city'))).outcome).toBe('superseded');
    expect((await memory.stats()).vectors?.count).toBe(2);
    const hits = await memory.recall('Lisbon', { tiers: ['semantic'] });
    expect(hits.map((h) => h.record.text)).toEqual(['Ada lives in Lisbon']);
    expect(hits[0]?.scores.dense).toEqual(expect.any(Number));
  });
});
