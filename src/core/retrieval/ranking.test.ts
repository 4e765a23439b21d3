import { describe, expect, it } from 'vitest';
import type { MemoryRecord } from '../record.js';
import { ContextualLexicalIndex, lexicalDocumentOf } from './contextual-lexical-index.js';
import { FacetTable, facetOf } from './facet-table.js';
import { rankRecall } from './rank-recall.js';
import { RANKING, formFactor } from './ranking.js';

function turn(id: string, text: string, sessionId: string): MemoryRecord {
  return {
    id,
    namespace: 'ns',
    tier: 'episodic',
    text,
    sessionId,
    createdAt: 1_000,
    eventAt: 1_000,
    updatedAt: 1_000,
    importance: 0.5,
    strength: 86_400_000,
    accessCount: 0,
    tags: [],
    meta: {},
    source: { kind: 'user' },
    sourceIds: [],
  };
}

describe('formFactor', () => {
  it('lowers a record that asks a question, in any script’s question mark, and leaves statements alone', () => {
    expect(RANKING.askingFactor).toBeLessThan(1);
    expect(formFactor(facetOf(turn('a', 'Did you paint a sunset?', 's')))).toBe(RANKING.askingFactor);
    expect(formFactor(facetOf(turn('b', 'Wow! What colours did you use? I love it.', 's')))).toBe(RANKING.askingFactor);
    expect(formFactor(facetOf(turn('c', '夕日を描いたの？', 's')))).toBe(RANKING.askingFactor);
    expect(formFactor(facetOf(turn('d', 'I painted a sunset.', 's')))).toBe(1);
  });

  it('ranks a question below a statement of the same words', () => {
    const records = [turn('ask', 'Did you paint a sunset?', 's1'), turn('tell', 'You did paint a sunset.', 's2')];
    const lexical = new ContextualLexicalIndex();
    lexical.load(records.map(lexicalDocumentOf));
    const facets = new FacetTable();
    for (const record of records) facets.set(record);
    const hits = rankRecall(
      {
        query: 'paint sunset',
        k: 2,
        pool: 10,
        filter: undefined,
        signals: { windows: [], asksWhen: false, speaker: undefined },
        now: 1_000,
        diversity: 0,
      },
      lexical,
      facets,
      undefined,
    );
    expect(hits.map((h) => h.id)).toEqual(['tell', 'ask']);
    // Same words, same length: the same relevance, and only the question's form between them.
    expect(hits[0]!.scores.relevance).toBeCloseTo(hits[1]!.scores.relevance, 12);
    expect(hits[1]!.score / hits[0]!.score).toBeCloseTo(RANKING.askingFactor, 12);
  });
});
