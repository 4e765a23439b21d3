import { describe, expect, it } from 'vitest';
import { Bm25Index } from './bm25-index.js';

function index(docs: Record<string, string>): Bm25Index {
  const bm25 = new Bm25Index();
  for (const [id, text] of Object.entries(docs)) bm25.upsert(id, text);
  return bm25;
}

describe('Bm25Index', () => {
  it('ranks the document sharing the rarer query term first', () => {
    const bm25 = index({
      a: 'Ada prefers green tea in the morning',
      b: 'Bob drinks coffee in the morning',
      c: 'The weather in the morning was cold',
    });
    const hits = bm25.search('green tea morning', 3);
    // b and c share only "morning"; c is the shorter document, so length normalisation ranks it higher.
    expect(hits.map((h) => h.id)).toEqual(['a', 'c', 'b']);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('matches inflected forms through stemming', () => {
    const bm25 = index({ a: 'She was hiking in the mountains', b: 'He cooks pasta' });
    expect(bm25.search('hike mountain', 5).map((h) => h.id)).toEqual(['a']);
  });

  it('computes the textbook BM25 score', () => {
    const bm25 = new Bm25Index({ k1: 1.2, b: 0.75 });
    bm25.upsert('a', 'apple banana');
    bm25.upsert('b', 'cherry');
    // n = 2, df(apple) = 1 -> idf = ln(1 + 1.5/1.5); tf 1, |a| = 2, avgdl = 1.5.
    const idf = Math.log(2);
    const expected = (idf * 1 * 2.2) / (1 + 1.2 * (1 - 0.75 + (0.75 * 2) / 1.5));
    expect(bm25.search('apple', 1)[0]?.score).toBeCloseTo(expected, 12);
  });

  it('replaces a document on upsert and forgets it on remove', () => {
    const bm25 = index({ a: 'green tea' });
    bm25.upsert('a', 'black coffee');
    expect(bm25.search('tea', 5)).toEqual([]);
    expect(bm25.search('coffee', 5).map((h) => h.id)).toEqual(['a']);
    expect(bm25.remove('a')).toBe(true);
    expect(bm25.remove('a')).toBe(false);
    expect(bm25.search('coffee', 5)).toEqual([]);
    expect(bm25.size).toBe(0);
    expect(bm25.termCount).toBe(0);
  });

  it('applies the filter before cutting to k, so k matching hits come back', () => {
    const docs: Record<string, string> = {};
    for (let i = 0; i < 50; i++) docs[`d${i}`] = i % 10 === 0 ? 'tea' : 'tea tea tea';
    const bm25 = index(docs);
    const hits = bm25.search('tea', 3, (id) => Number(id.slice(1)) % 10 === 0);
    expect(hits.map((h) => h.id)).toEqual(['d0', 'd10', 'd20']);
  });

  it('reuses freed slots without mixing documents up', () => {
    const bm25 = index({ a: 'alpha', b: 'beta' });
    bm25.remove('a');
    bm25.upsert('c', 'gamma');
    expect(bm25.search('alpha', 5)).toEqual([]);
    expect(bm25.search('gamma', 5).map((h) => h.id)).toEqual(['c']);
    expect(bm25.search('beta', 5).map((h) => h.id)).toEqual(['b']);
  });

  it('answers nothing for a query of stop words only', () => {
    expect(index({ a: 'the cat' }).search('the of and', 5)).toEqual([]);
  });
});
