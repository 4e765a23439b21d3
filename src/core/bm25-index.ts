// An incremental in-memory BM25 index over record texts: the lexical half of recall.

import { tokenize } from './tokenizer.js';

export interface Bm25Params {
  /** Term-frequency saturation. 0.9 and b 0.4 scored best on the LoCoMo dev turns (RETRIEVAL-NOTES). */
  k1: number;
  /** Length normalisation, 0 (none) to 1 (full). */
  b: number;
}

export const DEFAULT_BM25: Bm25Params = { k1: 0.9, b: 0.4 };

export interface LexicalHit {
  id: string;
  score: number;
}

interface Doc {
  id: string;
  length: number;
  terms: ReadonlyMap<string, number>;
}

export class Bm25Index {
  private readonly params: Bm25Params;
  // Dense integer slots keep postings small; freed slots are reused.
  private readonly slotOf = new Map<string, number>();
  private readonly docs: (Doc | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private readonly postings = new Map<string, Map<number, number>>();
  private totalLength = 0;

  constructor(params: Partial<Bm25Params> = {}) {
    this.params = { ...DEFAULT_BM25, ...params };
  }

  get size(): number {
    return this.slotOf.size;
  }

  get termCount(): number {
    return this.postings.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Adds a document, or replaces the text of one already indexed. */
  upsert(id: string, text: string): void {
    this.upsertTerms(id, termCounts(text));
  }

  /**
   * Adds a document as a bag of weighted terms (a turn plus a fraction of its neighbours' terms), or
   * replaces one already indexed. Its length is the sum of the weights.
   */
  upsertTerms(id: string, terms: ReadonlyMap<string, number>): void {
    this.remove(id);
    let length = 0;
    for (const weight of terms.values()) length += weight;
    const slot = this.freeSlots.pop() ?? this.docs.length;
    this.docs[slot] = { id, length, terms };
    this.slotOf.set(id, slot);
    this.totalLength += length;
    for (const [term, tf] of terms) {
      let list = this.postings.get(term);
      if (!list) this.postings.set(term, (list = new Map<number, number>()));
      list.set(slot, tf);
    }
  }

  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const doc = this.docs[slot];
    if (doc) {
      for (const term of doc.terms.keys()) {
        const list = this.postings.get(term);
        list?.delete(slot);
        if (list?.size === 0) this.postings.delete(term);
      }
      this.totalLength -= doc.length;
    }
    this.docs[slot] = undefined;
    this.slotOf.delete(id);
    this.freeSlots.push(slot);
    return true;
  }

  /**
   * The k best documents for a query, best first; `filter` is applied before the cut, so k come back when k
   * match. `prior` multiplies a document's score for the cut only (a boost the caller applies later), so a
   * boosted document is not lost below the cut; the scores returned are plain BM25.
   */
  search(query: string, k: number, filter?: (id: string) => boolean, prior?: (id: string) => number): LexicalHit[] {
    const n = this.slotOf.size;
    if (n === 0 || k <= 0) return [];
    const { k1, b } = this.params;
    const avgLength = this.totalLength / n || 1;
    const queryTerms = new Map<string, number>();
    for (const term of tokenize(query)) queryTerms.set(term, (queryTerms.get(term) ?? 0) + 1);

    const scores = new Map<number, number>();
    for (const [term, queryCount] of queryTerms) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.size + 0.5) / (list.size + 0.5));
      for (const [slot, tf] of list) {
        const length = this.docs[slot]?.length ?? 0;
        const weight = (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / avgLength));
        scores.set(slot, (scores.get(slot) ?? 0) + queryCount * weight);
      }
    }

    const ranked: { id: string; score: number; key: number }[] = [];
    for (const [slot, score] of scores) {
      const id = this.docs[slot]?.id;
      if (id !== undefined && (!filter || filter(id))) ranked.push({ id, score, key: prior ? score * prior(id) : score });
    }
    ranked.sort((x, y) => y.key - x.key || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    return ranked.slice(0, k).map(({ id, score }) => ({ id, score }));
  }
}

/** How often each term occurs in a text. */
export function termCounts(text: string): Map<string, number> {
  const terms = new Map<string, number>();
  for (const term of tokenize(text)) terms.set(term, (terms.get(term) ?? 0) + 1);
  return terms;
}
