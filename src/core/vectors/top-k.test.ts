import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopK } from './top-k.js';

describe('TopK', () => {
  it('keeps the k best of any sequence and sorts them best first, in place or as objects', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ noNaN: true, min: -1000, max: 1000 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 50 }),
        (scores, k) => {
          const top = new TopK(k);
          scores.forEach((score, slot) => top.push(slot, score));
          const expected = scores
            .map((score) => Math.fround(score))
            .sort((a, b) => b - a)
            .slice(0, k);
          expect(top.sorted().map((e) => e.score)).toEqual(expected);
          top.sortDescending();
          expect(Array.from(top.scores.subarray(0, top.size))).toEqual(expected);
          top.reset(k + 5);
          expect(top.size).toBe(0);
          expect(top.threshold).toBe(-Infinity);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
