// The public verbs of a memory and their option and result types, shared by the core, the wire and the SDK.

import type { StoreEstimate } from './ports.js';
import type { MemoryRecord, RememberInput, Tier } from './record.js';

export interface RecallOptions {
  /** How many hits, 1-1000; default 10. */
  k?: number;
  /** Only these tiers; default all. */
  tiers?: Tier[];
  sessionId?: string;
}

export interface RecallScores {
  /** BM25 score of the query against the record text (0: no shared term). */
  lexical: number;
  /** Cosine similarity of the query and record embeddings, when the memory has an embedder. */
  dense?: number;
}

export interface RecallHit {
  record: MemoryRecord;
  /** The final ranking score; `scores` says where it came from. */
  score: number;
  scores: RecallScores;
}

export interface ListOptions {
  tier?: Tier;
  sessionId?: string;
  /** Default 50, at most 1000. */
  limit?: number;
  offset?: number;
  /** By creation time; default newest first. */
  order?: 'asc' | 'desc';
}

export interface MemoryStats {
  namespace: string;
  records: number;
  byTier: Record<Tier, number>;
  lexical: { documents: number; terms: number };
  vectors?: { model: string; dims: number; count: number; index: 'flat' | 'hnsw' };
  storage?: StoreEstimate;
}

/**
 * The verbs every memory answers, in the form they take over the wire: plain data in, plain data out.
 * The SDK adds an optional `{ signal }` to each; the core takes it as its last argument.
 */
export interface MemoryApi {
  remember(input: RememberInput | RememberInput[]): Promise<MemoryRecord[]>;
  recall(query: string, options?: RecallOptions): Promise<RecallHit[]>;
  get(id: string): Promise<MemoryRecord | undefined>;
  list(options?: ListOptions): Promise<MemoryRecord[]>;
  /** Deletes completely; resolves with the ids that existed and are now gone. */
  forget(ids: string | string[]): Promise<string[]>;
  stats(): Promise<MemoryStats>;
}

export type MemoryMethod = keyof MemoryApi;

/** The verbs that may cross the wire; anything else is refused. */
export const MEMORY_METHODS = ['remember', 'recall', 'get', 'list', 'forget', 'stats'] as const satisfies readonly MemoryMethod[];
