import { describe, expect, it } from 'vitest';
import { newRecord } from '../memory/new-record.js';
import type { RecordSource } from '../record.js';
import { ManualClock, sequentialIds } from '../test-support.js';
import { shinglesOf, WriteGuard } from './write-guard.js';

const ids = sequentialIds('r');
const record = (text: string, source: RecordSource = { kind: 'web', name: 'a' }) =>
  newRecord({ id: ids(), namespace: 'n', now: 0 }, { tier: 'episodic', text, source });

describe('WriteGuard', () => {
  it('counts only low-trust records, per source kind and name', () => {
    const clock = new ManualClock();
    const guard = new WriteGuard(() => clock.now(), { lowTrustPerMinute: 2 });
    guard.admit([record('one'), record('two'), record('mine', { kind: 'user' }), record('three', { kind: 'web', name: 'b' })]);
    expect(() => guard.admit([record('four')])).toThrow(expect.objectContaining({ code: 'WRITE_BUDGET_EXCEEDED' }) as Error);
    guard.admit([record('five', { kind: 'web', name: 'b' }), record('six', { kind: 'user' })]);
  });

  it('reserves a batch at once, so two calls in flight cannot both pass, and gives it back on failure', () => {
    const guard = new WriteGuard(() => 0, { lowTrustPerMinute: 2 });
    const release = guard.admit([record('one'), record('two')]);
    expect(() => guard.admit([record('three')])).toThrow(expect.objectContaining({ code: 'WRITE_BUDGET_EXCEEDED' }) as Error);
    release();
    guard.admit([record('three')]);
  });

  it('says when to retry: a minute after the oldest write in the window', () => {
    const clock = new ManualClock(1_000_000);
    const guard = new WriteGuard(() => clock.now(), { lowTrustPerMinute: 1 });
    guard.admit([record('one')]);
    clock.advance(20_000);
    try {
      guard.admit([record('two')]);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ retryable: true, details: { retryAfterMs: 40_000 } });
    }
  });

  it('catches near-duplicates inside one batch too', () => {
    const guard = new WriteGuard(() => 0, { nearDuplicates: 2 });
    expect(() =>
      guard.admit([
        record('Buy cheap pills at pills.example now 1'),
        record('Buy cheap pills at pills.example now 2'),
        record('Buy cheap pills at pills.example now 3'),
      ]),
    ).toThrow(
      expect.objectContaining({ code: 'WRITE_FLOOD', details: expect.objectContaining({ index: 2 }) as unknown }) as Error,
    );
  });
});

describe('shinglesOf', () => {
  it('reads the normalised text, numbers blurred', () => {
    expect(shinglesOf('Deal #1 NOW')).toEqual(shinglesOf('deal #22 now'));
    expect(shinglesOf('ｄｅａｌ now')).toEqual(new Set(['deal now']));
  });
});
