// The one record type of the memory model (DESIGN section 2) and the inputs that create it.

import type { SafetyFlag } from './safety/flags.js';
import type { Trust } from './safety/trust.js';

export const TIERS = ['working', 'shortTerm', 'episodic', 'semantic', 'procedural', 'archival'] as const;
export type Tier = (typeof TIERS)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** `web` and `tool`: content the app fetched (pages, mail, search results, tool output), trusted low. */
export const SOURCE_KINDS = ['user', 'app', 'llm', 'extractor', 'import', 'web', 'tool'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Who wrote a record and how far to trust it. */
export interface RecordSource {
  kind: SourceKind;
  /** Free-form name of the writer: an app id, a model id, an extractor name. */
  name?: string;
}

/** Which embedding model produced a record's vector; the vector itself lives in the vector store. */
export interface EmbeddingRef {
  model: string;
  dims: number;
}

export interface MemoryRecord {
  id: string;
  namespace: string;
  tier: Tier;
  text: string;
  /** Milliseconds since the epoch, as every time in Mnemo. */
  createdAt: number;
  /** When the remembered event happened (a turn's time), which may be long before `createdAt`. */
  eventAt: number;
  updatedAt: number;
  sessionId?: string;
  speaker?: string;
  /** 0..1, how much the record matters when ranking and forgetting. */
  importance: number;
  /** Memory strength S of the forgetting curve R = exp(-dt / S), in milliseconds; grows with each recall. */
  strength: number;
  lastRecalledAt?: number;
  accessCount: number;
  tags: string[];
  meta: JsonObject;
  source: RecordSource;
  /** Provenance: the records this one was derived from. */
  sourceIds: string[];
  embedding?: EmbeddingRef;
  /** Bi-temporal validity of semantic facts: when it became true, and when it stopped being true. */
  validFrom?: number;
  invalidAt?: number;
  /** When consolidation last took this record in: facts were extracted from it, its episode summarised. */
  consolidatedAt?: number;
  /**
   * Set by the runtime from the source kind and the trust of `sourceIds` (safety/trust.ts); a caller can only
   * lower it. Absent on records stored before it existed, which read as their source kind's default (`trustOf`).
   */
  trust?: Trust;
  /** What the poisoning detector found in the text (safety/detector.ts); absent when it found nothing. */
  flags?: SafetyFlag[];
}

/** What a caller passes to `remember()`. */
export interface RememberInput {
  text: string;
  tier?: Tier;
  speaker?: string;
  /** The chat-API name for the speaker ("user", "assistant"); give one or the other. */
  role?: string;
  sessionId?: string;
  /** Event time: epoch milliseconds, an ISO 8601 string, or a Date. Defaults to now. */
  at?: number | string | Date;
  importance?: number;
  tags?: string[];
  meta?: JsonObject;
  source?: RecordSource;
  sourceIds?: string[];
  /** 'low' marks content the app does not vouch for; 'high' is only kept where the source allows it. */
  trust?: Trust;
}

/** A day, the initial strength of a new memory: recall a day later keeps about 37% retention. */
export const INITIAL_STRENGTH_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_IMPORTANCE = 0.5;
