// One recall, ranked: candidates from the lexical and dense indexes, fused, then adjusted by the query's
// signals and each record's lifecycle, and optionally diversified.

import type { RecallScores } from '../api.js';
import { fuse, type FusionWeights } from '../fusion.js';
import type { VectorHit } from '../ports.js';
import type { ContextualLexicalIndex } from './contextual-lexical-index.js';
import { diversify, termCosine } from './diversify.js';
import type { FacetTable } from './facet-table.js';
import { boostsOf, formFactor, lifecycleFactor, retentionOf, type QuerySignals } from './ranking.js';

export interface DenseCandidates {
  vector: Float32Array;
  search(vector: Float32Array, k: number, filter: ((id: string) => boolean) | undefined): VectorHit[];
  similarity(vector: Float32Array, id: string): number | undefined;
  weights: FusionWeights;
}

export interface RecallPlan {
  query: string;
  k: number;
  /** Candidates taken from each index before fusion. */
  pool: number;
  filter: ((id: string) => boolean) | undefined;
  signals: QuerySignals;
  now: number;
  diversity: number;
}

export interface RankedHit {
  id: string;
  score: number;
  scores: RecallScores;
}

export function rankRecall(
  plan: RecallPlan,
  lexical: ContextualLexicalIndex,
  facets: FacetTable,
  dense: DenseCandidates | undefined,
): RankedHit[] {
  const adjustments = new Map<string, Omit<RecallScores, 'lexical' | 'dense' | 'relevance'> & { factor: number }>();
  const adjust = (id: string) => {
    let entry = adjustments.get(id);
    if (!entry) {
      const facet = facets.get(id);
      if (!facet) return { factor: 0, time: 1, speaker: 1, question: 1, importance: 0, retention: 0 };
      const boosts = boostsOf(plan.signals, facet);
      const retention = retentionOf(facet, plan.now);
      const question = formFactor(facet);
      const factor = boosts.time * boosts.speaker * question * lifecycleFactor(facet, retention);
      entry = { factor, ...boosts, question, importance: facet.importance, retention };
      adjustments.set(id, entry);
    }
    return entry;
  };

  const lexicalHits = lexical.search(plan.query, plan.pool, plan.filter, (id) => adjust(id).factor);
  const fused = dense
    ? fuse(
        lexicalHits,
        dense.search(dense.vector, plan.pool, plan.filter),
        (id) => dense.similarity(dense.vector, id),
        dense.weights,
      )
    : fuse(lexicalHits, [], () => undefined, { lexical: 1, dense: 0 });

  const ranked: RankedHit[] = fused.map((hit) => {
    const { factor, ...rest } = adjust(hit.id);
    const scores: RecallScores = { lexical: hit.lexical, relevance: hit.score, ...rest };
    if (hit.dense !== undefined) scores.dense = hit.dense;
    return { id: hit.id, score: hit.score * factor, scores };
  });
  ranked.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return diversify(ranked, plan.k, plan.diversity, (a, b) => termCosine(lexical.termsOf(a), lexical.termsOf(b)));
}
