// The integrity check of a memory: every stored record valid, and the lexical and vector indexes holding exactly
// the records that belong in them. Pure: the engine hands it what it read from the store and its indexes.

import { decodeRecord } from './memory/backup.js';
import type { MemoryRecord } from './record.js';
import type { HnswIntegrity } from './vectors/hnsw-integrity.js';

export interface IntegrityReport {
  /** True when no problem was found. */
  ok: boolean;
  /** Records read from the store. */
  records: number;
  /** Documents in the lexical (BM25) index. */
  lexical: number;
  vectors?: {
    model: string;
    index: 'flat' | 'hnsw';
    count: number;
    /** Live HNSW nodes a search from the entry point cannot reach (a recall risk, not corruption). */
    unreachable?: number;
  };
  /** What is wrong, one line each; at most `MAX_PROBLEMS`, `problemCount` says how many in all. */
  problems: string[];
  problemCount: number;
}

/** What the check reads: the store's records, and the in-memory indexes built from them. */
export interface IntegrityInput {
  namespace: string;
  /** Every record as the store returned it (unchecked). */
  records: readonly unknown[];
  lexical: { size: number; has(id: string): boolean };
  facets: { size: number; has(id: string): boolean };
  vectors?: {
    model: string;
    dims: number;
    kind: 'flat' | 'hnsw';
    /** Every live id with its stored vector. */
    entries(): Iterable<[string, Float32Array]>;
    graph?: HnswIntegrity;
  };
  /** Whether a record belongs in the vector index (every tier but working blocks). */
  needsVector(record: MemoryRecord): boolean;
}

export const MAX_PROBLEMS = 50;
// Vectors are stored normalised; float32 rounding keeps the norm within 1e-5 of 1, so 1e-3 flags real damage only.
const NORM_TOLERANCE = 1e-3;

export function checkIntegrity(input: IntegrityInput): IntegrityReport {
  const problems: string[] = [];
  let problemCount = 0;
  const problem = (message: string) => {
    if (problemCount++ < MAX_PROBLEMS) problems.push(message);
  };

  const valid = new Map<string, MemoryRecord>();
  input.records.forEach((value, i) => {
    let record: MemoryRecord;
    try {
      record = decodeRecord(value);
    } catch (error) {
      const id = typeof value === 'object' && value !== null && 'id' in value ? String(value.id) : `#${i}`;
      problem(`record ${id} is invalid: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (record.namespace !== input.namespace) problem(`record ${record.id} belongs to namespace "${record.namespace}"`);
    if (valid.has(record.id)) problem(`record ${record.id} is stored twice`);
    valid.set(record.id, record);
  });

  for (const [name, index] of [
    ['lexical index', input.lexical],
    ['facet table', input.facets],
  ] as const) {
    for (const id of valid.keys()) if (!index.has(id)) problem(`record ${id} is missing from the ${name}`);
    if (index.size !== input.records.length)
      problem(`the ${name} holds ${index.size} entries for ${input.records.length} records`);
  }

  const vectors = input.vectors;
  let count = 0;
  if (vectors) {
    const seen = new Set<string>();
    for (const [id, vector] of vectors.entries()) {
      count++;
      if (seen.has(id)) problem(`vector ${id} is indexed twice`);
      seen.add(id);
      const record = valid.get(id);
      if (!record) problem(`vector ${id} has no record`);
      else if (!input.needsVector(record)) problem(`vector ${id} belongs to a ${record.tier} record, which takes none`);
      checkStoredVector(id, vector, vectors.dims, problem);
    }
    for (const record of valid.values()) {
      // A record embedded with another model waits for re-embedding; it is not damage.
      if (input.needsVector(record) && record.embedding?.model === vectors.model && !seen.has(record.id))
        problem(`record ${record.id} has no vector of ${vectors.model}`);
    }
    for (const message of vectors.graph?.problems ?? []) problem(`HNSW graph: ${message}`);
    if (vectors.graph && vectors.graph.live !== count)
      problem(`HNSW graph has ${vectors.graph.live} live nodes for ${count} vectors`);
  }

  const report: IntegrityReport = {
    ok: problemCount === 0,
    records: input.records.length,
    lexical: input.lexical.size,
    problems,
    problemCount,
  };
  if (vectors) {
    report.vectors = { model: vectors.model, index: vectors.kind, count };
    if (vectors.graph) report.vectors.unreachable = vectors.graph.unreachable;
  }
  return report;
}

function checkStoredVector(id: string, vector: Float32Array, dims: number, problem: (message: string) => void): void {
  if (vector.length !== dims) return problem(`vector ${id} has ${vector.length} dimensions, not ${dims}`);
  let norm = 0;
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i]!;
    if (!Number.isFinite(x)) return problem(`vector ${id} holds ${x} at ${i}`);
    norm += x * x;
  }
  if (Math.abs(Math.sqrt(norm) - 1) > NORM_TOLERANCE) problem(`vector ${id} has norm ${Math.sqrt(norm)}, not 1`);
}
