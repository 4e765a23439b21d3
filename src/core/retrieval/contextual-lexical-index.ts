// BM25 over turns indexed with the turns around them (RETRIEVAL-NOTES: +0.11 R@10 on LoCoMo): a turn's
// document is its own terms plus a share of the terms of the turns around it in the same session. The turn
// before weighs more than the turn after: a reply is explained by what it answers. Adding a turn
// re-indexes only the few turns whose neighbourhood it changed.

import { Bm25Index, termCounts, type LexicalHit } from '../bm25-index.js';
import type { MemoryRecord } from '../record.js';
import { SessionTimeline } from './session-timeline.js';

/**
 * Weight of a neighbour's terms by distance [1, 2], before and after. Symmetric 0.5/0.25 gave R@10 0.772 on
 * the LoCoMo dev conversations, 0.7/0.35 before with 0.3/0.15 after 0.779 (a broad plateau; see BENCHMARKS).
 */
export const NEIGHBOUR_WEIGHTS = { before: [0.7, 0.35], after: [0.3, 0.15] } as const satisfies Record<string, readonly number[]>;

export interface LexicalDocument {
  id: string;
  text: string;
  /** Documents of one group (the turns of a session, the chunks of a document) lend each other context. */
  group?: string;
  /** Orders a group. */
  at: number;
}

export class ContextualLexicalIndex {
  private readonly bm25 = new Bm25Index();
  private readonly own = new Map<string, Map<string, number>>();
  private readonly timeline = new SessionTimeline();
  private readonly radius = NEIGHBOUR_WEIGHTS.before.length;

  get size(): number {
    return this.bm25.size;
  }

  get termCount(): number {
    return this.bm25.termCount;
  }

  upsert(doc: LexicalDocument): void {
    const affected = this.place(doc);
    this.reindex(doc.id);
    for (const id of affected) this.reindex(id);
  }

  /** Indexes many documents, each neighbourhood computed once: for opening a memory. */
  load(docs: Iterable<LexicalDocument>): void {
    const ids: string[] = [];
    for (const doc of docs) {
      this.place(doc);
      ids.push(doc.id);
    }
    for (const id of ids) this.reindex(id);
  }

  remove(id: string): void {
    if (!this.own.delete(id)) return;
    const affected = this.timeline.remove(id, this.radius);
    this.bm25.remove(id);
    for (const other of affected) this.reindex(other);
  }

  /** The ids next to `id` in its group, nearest first, up to `radius` on each side. */
  neighbours(id: string, radius: number): [string, number][] {
    return this.timeline.neighbours(id, radius);
  }

  /** The documents of a group, in order. */
  groupMembers(group: string): string[] {
    return this.timeline.turns(group);
  }

  /** Own terms of a document (without context), for diversity. */
  termsOf(id: string): ReadonlyMap<string, number> | undefined {
    return this.own.get(id);
  }

  search(query: string, k: number, filter?: (id: string) => boolean, prior?: (id: string) => number): LexicalHit[] {
    return this.bm25.search(query, k, filter, prior);
  }

  private place(doc: LexicalDocument): string[] {
    this.own.set(doc.id, termCounts(doc.text));
    if (doc.group === undefined) {
      // A document that moved out of its group leaves its old neighbours behind.
      return this.timeline.remove(doc.id, this.radius);
    }
    const left = this.timeline.remove(doc.id, this.radius);
    return [...left, ...this.timeline.add(doc.id, doc.group, doc.at, this.radius)];
  }

  private reindex(id: string): void {
    const own = this.own.get(id);
    if (!own) return;
    const neighbours = this.timeline.neighbours(id, this.radius);
    if (neighbours.length === 0) {
      this.bm25.upsertTerms(id, own);
      return;
    }
    const merged = new Map(own);
    for (const [other, distance] of neighbours) {
      const weight = distance < 0 ? NEIGHBOUR_WEIGHTS.before[-distance - 1]! : NEIGHBOUR_WEIGHTS.after[distance - 1]!;
      for (const [term, count] of this.own.get(other) ?? []) merged.set(term, (merged.get(term) ?? 0) + weight * count);
    }
    this.bm25.upsertTerms(id, merged);
  }
}

export function sessionGroup(sessionId: string): string {
  return `session\u0000${sessionId}`;
}

/**
 * How a record is indexed: its speaker is part of what it says (RETRIEVAL-NOTES), and the turns of a session
 * or the chunks of an archived document are each other's context.
 */
export function lexicalDocumentOf(record: MemoryRecord): LexicalDocument {
  const doc: LexicalDocument = {
    id: record.id,
    text: record.speaker ? `${record.speaker}: ${record.text}` : record.text,
    at: record.eventAt,
  };
  const documentId = record.meta['documentId'];
  if ((record.tier === 'episodic' || record.tier === 'shortTerm') && record.sessionId !== undefined) {
    doc.group = sessionGroup(record.sessionId);
  } else if (record.tier === 'archival' && typeof documentId === 'string') {
    doc.group = `document\u0000${documentId}`;
  }
  return doc;
}
