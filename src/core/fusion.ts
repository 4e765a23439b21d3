// Hybrid ranking: lexical and dense candidates merged by a weighted sum of normalised scores
// (RETRIEVAL-NOTES: a weighted sum beat reciprocal-rank fusion on the LoCoMo dev conversations).

import type { LexicalHit } from './bm25-index.js';
import type { VectorHit } from './ports.js';

export interface FusionWeights {
  lexical: number;
  dense: number;
}

export interface FusedHit {
  id: string;
  score: number;
  lexical: number;
  dense?: number;
}

/**
 * Lexical scores are divided by the best one; dense cosines are min-max scaled over the candidates, since
 * every embedder has its own range of typical similarities. `denseOf` supplies the cosine of a lexical
 * candidate the dense search did not return, so every candidate is judged on both.
 */
export function fuse(
  lexical: readonly LexicalHit[],
  dense: readonly VectorHit[],
  denseOf: (id: string) => number | undefined,
  weights: FusionWeights,
): FusedHit[] {
  const byId = new Map<string, FusedHit>();
  for (const hit of lexical) byId.set(hit.id, { id: hit.id, score: 0, lexical: hit.score });
  for (const hit of dense) {
    const entry = byId.get(hit.id);
    if (entry) entry.dense = hit.score;
    else byId.set(hit.id, { id: hit.id, score: 0, lexical: 0, dense: hit.score });
  }
  const entries = [...byId.values()];
  for (const entry of entries) {
    if (entry.dense === undefined) {
      const similarity = denseOf(entry.id);
      if (similarity !== undefined) entry.dense = similarity;
    }
  }
  const maxLexical = Math.max(0, ...entries.map((e) => e.lexical));
  const denseScores = entries.flatMap((e) => (e.dense === undefined ? [] : [e.dense]));
  const minDense = Math.min(...denseScores);
  const spread = Math.max(...denseScores) - minDense;
  for (const entry of entries) {
    const lexicalPart = maxLexical > 0 ? entry.lexical / maxLexical : 0;
    const densePart = entry.dense === undefined ? 0 : spread > 0 ? (entry.dense - minDense) / spread : 1;
    entry.score = weights.lexical * lexicalPart + weights.dense * densePart;
  }
  return entries.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
