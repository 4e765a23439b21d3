// What the core needs from the outside world. Adapters implement these; only a composition root wires them.

import type { AbortSignalLike } from './abort.js';
import type { EmbedderInfo } from './api.js';
import type { MemoryRecord, Tier } from './record.js';

export interface ListQuery {
  tier?: Tier;
  sessionId?: string;
  /** Number of records to skip, for paging. */
  offset?: number;
  limit: number;
  /** By `createdAt`, ties broken by `id`. */
  order: 'asc' | 'desc';
}

/** A change made by another runtime on the same storage (another tab, another worker). */
export type StoreChange = { kind: 'put'; ids: string[] } | { kind: 'delete'; ids: string[] };

export interface StoreEstimate {
  /** Bytes used by the origin, when the platform tells. */
  usage?: number;
  quota?: number;
  persisted?: boolean;
}

/**
 * The browser found the store's database corrupt when it opened it, deleted it and created it anew, empty: what
 * it held before is gone. Kept in the store until acknowledged (see docs/RELIABILITY.md, Upgrades and corruption).
 */
export interface DataLossReport {
  /** Chromium's `dataLoss` (`IDBDataLossAmount`): 'total', everything the database held was deleted. */
  amount: 'total';
  /** Chromium's `dataLossMessage`, such as "IndexedDB (database was corrupt): checksum mismatch"; may be empty. */
  message: string;
  /** When the store was opened empty (epoch ms). */
  at: number;
}

/**
 * Durable storage of records. Every method either takes full effect or none:
 * a resolved `put` or `delete` means the data is durable.
 */
/** A vector to persist with its record, in the same transaction. */
export interface VectorWrite {
  id: string;
  model: string;
  vector: Float32Array;
}

/**
 * The vectors of slots [chunk * VECTOR_CHUNK_SIZE, ...) of one model's index, stored as one value, so a cold
 * start reads a few hundred values; a null id is an empty slot.
 */
export interface VectorChunk {
  chunk: number;
  model: string;
  dims: number;
  ids: (string | null)[];
  /** ids.length x dims floats. */
  data: Float32Array;
}

/**
 * The vector log: every change since the chunks were last compacted, in commit order. One entry holds all the
 * vectors of one model written by one call (ids.length x dims floats), so a bulk write is one value, not n.
 */
export type VectorLogEntry =
  | { seq: number; kind: 'put'; model: string; ids: string[]; vectors: Float32Array }
  | { seq: number; kind: 'delete'; ids: string[] };

/** A persisted index image (an HNSW graph) valid for the chunks as compacted through `throughSeq`. */
export interface IndexSnapshot {
  name: string;
  model: string;
  throughSeq: number;
  bytes: Uint8Array;
}

/** What a compaction writes, in one transaction: new or rewritten chunks, the log entries it folded, a snapshot. */
export interface VectorCompaction {
  model: string;
  chunks: VectorChunk[];
  removeChunks: number[];
  /** Log entries with seq <= this are folded into the chunks and deleted. */
  throughSeq: number;
  /**
   * The fold this compaction builds on. If another runtime compacted since, the store refuses (resolves
   * false) and writes nothing, since the chunks on disk no longer have the layout this one rewrites.
   */
  previousThroughSeq: number;
  snapshot?: IndexSnapshot;
}

export const VECTOR_CHUNK_SIZE = 1024;

/** A row moved out of the records because the core could not read it; its raw value stays in the store. */
export interface QuarantineEntry {
  id: string;
  reason: string;
  /** Epoch milliseconds. */
  at: number;
}

/**
 * One forget, as the audit log keeps it: what proves that a known record was forgotten, and when, without
 * holding anything it said. `idHashes` are hex SHA-256 digests of "namespace\u0000id" (see docs/RELIABILITY.md).
 */
export interface ForgetAuditEntry {
  at: number;
  count: number;
  idHashes: string[];
}

export interface RecordStore {
  /** Stores records and, in the same transaction, logs their vectors: both are durable when it resolves. */
  put(records: readonly MemoryRecord[], vectors?: readonly VectorWrite[]): Promise<void>;
  get(id: string): Promise<MemoryRecord | undefined>;
  getMany(ids: readonly string[]): Promise<(MemoryRecord | undefined)[]>;
  /** Deletes the records that exist and logs the deletion of their vectors; resolves with the ids deleted. */
  delete(ids: readonly string[]): Promise<string[]>;
  /** The chunks of one model, in chunk order. */
  readVectorChunks(model: string): AsyncIterable<VectorChunk>;
  /** Log entries with seq > afterSeq, and the seq through which the log was folded into chunks. */
  readVectorLog(afterSeq: number): Promise<{ entries: VectorLogEntry[]; foldedThroughSeq: number }>;
  readIndexSnapshot(name: string): Promise<IndexSnapshot | undefined>;
  compactVectors(compaction: VectorCompaction): Promise<boolean>;
  list(query: ListQuery): Promise<MemoryRecord[]>;
  /** Every record, in batches, for building in-memory indexes at start-up. */
  scan(batchSize: number): AsyncIterable<MemoryRecord[]>;
  count(): Promise<number>;
  /**
   * Moves the rows of `ids` that still exist out of the records, as they are, into a quarantine, in one
   * transaction; resolves with the ids moved. Rows are moved, not read, so this works under any decorator.
   */
  quarantine?(ids: readonly string[], reason: string, at: number): Promise<string[]>;
  /** Deletes quarantined rows, those of `ids` or all of them, for good; returns the ids deleted. */
  purgeQuarantine?(ids?: readonly string[]): Promise<string[]>;
  listQuarantine?(): Promise<QuarantineEntry[]>;
  /**
   * Appends to the audit log of forgets the entry for `ids` forgotten at `at`: hashes only (`ForgetAuditEntry`).
   * The store hashes, since the pure core has no digest of its own (WebCrypto is a platform API).
   */
  logForget?(ids: readonly string[], at: number): Promise<void>;
  readForgetLog?(): Promise<ForgetAuditEntry[]>;
  /** Listens to changes other runtimes make; returns the unsubscribe function. */
  subscribe?(listener: (change: StoreChange) => void): () => void;
  estimate?(): Promise<StoreEstimate>;
  /** The browser's report of a database it deleted as corrupt and opened empty, until acknowledged. */
  readDataLoss?(): Promise<DataLossReport | undefined>;
  /** Deletes that report; resolves true if there was one. */
  acknowledgeDataLoss?(): Promise<boolean>;
  close(): Promise<void>;
}

export interface Clock {
  now(): number;
}

/** A source of unique record ids; injected so tests are deterministic. */
export type IdGenerator = () => string;

/** Turns texts into normalised vectors. The embedding issue supplies real models; tests use a hash embedder. */
export interface Embedder {
  readonly model: string;
  readonly dims: number;
  /** The share of the dense score in hybrid ranking that suits this embedder (0..1); default 0.5. */
  readonly denseWeight?: number;
  /** The device it runs on and why, for `stats()`. */
  readonly info?: EmbedderInfo;
  /**
   * `kind` says whether the texts are queries or documents to store: models such as multilingual-e5 need a
   * different prefix for each ("query: ", "passage: "). Default "document".
   */
  embed(texts: readonly string[], options?: { signal?: AbortSignalLike; kind?: 'query' | 'document' }): Promise<Float32Array[]>;
}

export interface VectorHit {
  id: string;
  /** Cosine similarity for normalised vectors: higher is closer. */
  score: number;
}

export interface VectorSearchOptions {
  /** Only ids passing this are returned; k come back whenever k pass. */
  filter?: (id: string) => boolean;
  /** HNSW only: the size of the candidate list; larger is slower and more exact. */
  efSearch?: number;
}

/** Nearest-neighbour search over normalised vectors; flat (exact) and HNSW implement it. */
export interface VectorIndex {
  readonly dims: number;
  readonly size: number;
  /** Adds a vector, or replaces the vector of an id already present. The vector is copied and normalised. */
  upsert(id: string, vector: Float32Array): void;
  remove(id: string): boolean;
  has(id: string): boolean;
  search(query: Float32Array, k: number, options?: VectorSearchOptions): VectorHit[];
}
