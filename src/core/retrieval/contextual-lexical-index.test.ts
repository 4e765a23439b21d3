import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContextualLexicalIndex, NEIGHBOUR_WEIGHTS, type LexicalDocument } from './contextual-lexical-index.js';

const WORDS = ['tea', 'lake', 'hike', 'paint', 'violin', 'kiwi', 'dance', 'boots'];

describe('ContextualLexicalIndex', () => {
  it('lends a turn its neighbours’ terms, the turn before weighing more than the turn after', () => {
    const index = new ContextualLexicalIndex();
    index.load([
      { id: 'q', text: 'what did you paint', group: 's', at: 1 },
      { id: 'a', text: 'a sunset', group: 's', at: 2 },
      { id: 'z', text: 'paint dries', group: 's', at: 3 },
    ]);
    const [first, second] = index.search('paint', 3).filter((h) => h.id !== 'q' && h.id !== 'z');
    expect(first?.id).toBe('a');
    expect(second).toBeUndefined();
    expect(NEIGHBOUR_WEIGHTS.before[0]).toBeGreaterThan(NEIGHBOUR_WEIGHTS.after[0]);
  });

  it('keeps groups apart and orders a group by time, whatever the arrival order', () => {
    const index = new ContextualLexicalIndex();
    index.upsert({ id: 'late', text: 'late', group: 's', at: 30 });
    index.upsert({ id: 'early', text: 'early', group: 's', at: 10 });
    index.upsert({ id: 'mid', text: 'mid', group: 's', at: 20 });
    index.upsert({ id: 'other', text: 'other', group: 't', at: 15 });
    expect(index.groupMembers('s')).toEqual(['early', 'mid', 'late']);
    expect(index.neighbours('mid', 1)).toEqual([
      ['early', -1],
      ['late', 1],
    ]);
  });

  it('incremental upserts and removes score exactly as a fresh load of the same documents', () => {
    const doc = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'),
      text: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 }).map((w) => w.join(' ')),
      group: fc.option(fc.constantFrom('s1', 's2'), { nil: undefined }),
      at: fc.integer({ min: 0, max: 5 }),
    });
    const op = fc.oneof(
      doc.map((d) => ({ kind: 'upsert' as const, doc: d })),
      fc.constantFrom('a', 'b', 'c').map((id) => ({ kind: 'remove' as const, id })),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.constantFrom(...WORDS), (ops, query) => {
        const live = new ContextualLexicalIndex();
        const final = new Map<string, LexicalDocument>();
        for (const o of ops) {
          if (o.kind === 'upsert') {
            const d: LexicalDocument = {
              id: o.doc.id,
              text: o.doc.text,
              at: o.doc.at,
              ...(o.doc.group !== undefined && { group: o.doc.group }),
            };
            live.upsert(d);
            final.set(d.id, d);
          } else {
            live.remove(o.id);
            final.delete(o.id);
          }
        }
        const fresh = new ContextualLexicalIndex();
        fresh.load(final.values());
        const round = (hits: { id: string; score: number }[]) => hits.map((h) => [h.id, Math.round(h.score * 1e9)]).sort();
        expect(round(live.search(query, 10))).toEqual(round(fresh.search(query, 10)));
        expect(live.size).toBe(final.size);
      }),
      { numRuns: 200 },
    );
  });
});
