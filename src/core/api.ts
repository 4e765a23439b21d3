// The public verbs of a memory and their option and result types, shared by the core, the wire and the SDK.

import type { SerializedError } from './errors.js';
import type { IntegrityReport } from './integrity.js';
import type { DataLossReport, ForgetAuditEntry, QuarantineEntry, StoreEstimate } from './ports.js';
import type { JsonObject, MemoryRecord, RecordSource, RememberInput, SourceKind, Tier } from './record.js';
import type { SafetyFlag } from './safety/flags.js';
import type { Trust } from './safety/trust.js';

/** An instant: epoch milliseconds, an ISO 8601 string, or a Date. */
export type Instant = number | string | Date;

export interface RecallFilter {
  sessionId?: string;
  speaker?: string;
  /** Records carrying every one of these tags. */
  tags?: string[];
  source?: SourceKind;
}

export interface RecallOptions {
  /** How many hits, 1-1000; default 10. */
  k?: number;
  /** Only these tiers; default all but `working` (working blocks are always in `context()`). */
  tiers?: Tier[];
  filter?: RecallFilter;
  /** Only records whose event time is in [from, to). */
  timeRange?: { from?: Instant; to?: Instant };
  /** Facts as they stood at this instant: invalidated facts are hidden unless they were valid then. Default now. */
  asOf?: Instant;
  /** "Last week", "in May" in the query are resolved against this instant. Default now. */
  referenceTime?: Instant;
  /** 0 (default) to 1: how much to favour hits unlike those ranked above them (MMR). */
  diversity?: number;
  /** Attach up to this many turns on each side of each hit from its session, 0-10; default 0. */
  expand?: number;
  /** Count this recall towards each hit's memory strength (the forgetting curve). Default true. */
  reinforce?: boolean;
}

/** Why a hit ranks where it does: `score` = `relevance` x `time` x `speaker` x `question` x the lifecycle factor. */
export interface RecallScores {
  /** BM25 score of the query against the record and its neighbouring turns (0: no shared term). */
  lexical: number;
  /** Cosine similarity of the query and record embeddings, when the memory has an embedder. */
  dense?: number;
  /** Lexical and dense fused, 0..1. */
  relevance: number;
  /** Multiplier: the record's event time is in a date window the query names. */
  time: number;
  /** Multiplier: the record was said by the one speaker the query names. */
  speaker: number;
  /** Multiplier below 1 for a record that asks a question: the answer after it says more. */
  question: number;
  importance: number;
  /** Retention of the forgetting curve, 0..1. */
  retention: number;
}

export interface RecallHit {
  record: MemoryRecord;
  /** The final ranking score; `scores` says where it came from. */
  score: number;
  scores: RecallScores;
  /** With `expand`: the turns around the hit in its session, in order, the hit itself excluded. */
  neighbours?: MemoryRecord[];
  /** For a chunk of an archived document: the document it belongs to. */
  document?: { id: string; title: string; source?: string };
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

/** A labelled block of working memory (Letta "core memory"), placed whole in every `context()`. */
export interface WorkingBlock {
  label: string;
  value: string;
  /** Characters the value may hold; a longer write fails with BLOCK_FULL. */
  limit: number;
  /** Only the app may change it (`working.set` with `{ force: true }`); tools and `append`/`replace` cannot. */
  readOnly: boolean;
  description?: string;
  updatedAt: number;
}

export interface WorkingBlockInput {
  value: string;
  limit?: number;
  readOnly?: boolean;
  description?: string;
}

/** A fact (semantic memory) to add. */
export interface FactInput {
  text: string;
  /**
   * What the fact is about ("Ada|lives in"): a valid fact with the same key and other text is superseded
   * by this one (a contradiction resolved by recency), and kept for `asOf` and `history`.
   */
  key?: string;
  /** Provenance: the records it was learnt from. */
  sourceIds?: string[];
  /** When it became true; default now. */
  validFrom?: Instant;
  importance?: number;
  tags?: string[];
  meta?: JsonObject;
  source?: RecordSource;
  /** 'low' for a fact the app does not vouch for; never higher than its source kind and sources allow. */
  trust?: Trust;
}

export interface FactListOptions {
  /** The facts valid at this instant; default now. Ignored with `includeInvalid`. */
  asOf?: Instant;
  /** Also the facts that were invalidated, with their `invalidAt`. */
  includeInvalid?: boolean;
  tags?: string[];
  /** Default 100, at most 1000. */
  limit?: number;
}

/** What adding a fact did: a near-identical valid fact is reinforced instead of duplicated. */
export interface FactResult {
  fact: MemoryRecord;
  /** "added"; "merged" into a near-identical fact; "superseded" an older version (update). */
  outcome: 'added' | 'merged' | 'superseded';
}

export interface ArchiveInput {
  /** The document's text, up to 10 MB; it is split into chunks of about 200 words. */
  text: string;
  title: string;
  source?: string;
  tags?: string[];
  /** 'low' for a document the app does not vouch for (a fetched page, a model's upload). Default 'high'. */
  trust?: Trust;
}

export interface ArchivedDocument {
  documentId: string;
  title: string;
  source?: string;
  chunkIds: string[];
}

export type ContextSection = 'working' | 'procedural' | 'facts' | 'episodes' | 'recent';

export interface ContextOptions {
  /** Tokens the whole context may take, 1-1,000,000; default 2000. */
  budgetTokens?: number;
  /**
   * How facts, episodes and recent turns split what working blocks and instructions (placed first, whole)
   * leave; normalised; a section's unused share passes to the next. Default 0.3 / 0.4 / 0.3.
   */
  shares?: Partial<Record<'facts' | 'episodes' | 'recent', number>>;
  /** The conversation whose recent turns close the context. */
  sessionId?: string;
  referenceTime?: Instant;
  /**
   * Also place low-trust records the poisoning detector flagged (instruction-like or hidden text from web
   * pages, tools or the model's own writes). Default false: they are listed in `withheld` instead.
   */
  includeFlagged?: boolean;
  /** Leave out every low-trust record, flagged or not: the detector misses injections worded in new ways. */
  onlyTrusted?: boolean;
}

export interface ContextPart {
  section: ContextSection;
  tokens: number;
  /** Records (or working block labels) placed, in order. */
  ids: string[];
}

export interface BuiltContext {
  text: string;
  tokens: number;
  budgetTokens: number;
  /** How tokens were counted. */
  tokenizer: string;
  parts: ContextPart[];
  /** What was relevant or due but did not fit (for recent turns: the newest one left out). */
  omitted: { section: ContextSection; id: string; tokens: number }[];
  /** Relevant or recent low-trust records left out: flagged (`includeFlagged` places them), or any with `onlyTrusted`. */
  withheld: { section: ContextSection; id: string; flags: SafetyFlag[] }[];
}

export interface ForgetFilter {
  tier?: Tier;
  sessionId?: string;
  speaker?: string;
  tags?: string[];
  /** Records whose event time is before this instant. */
  before?: Instant;
}

export interface ForgetOptions {
  /** Also forget the facts and summaries derived only from what is forgotten. Default false. */
  derived?: boolean;
}

/** Which embedding model a memory uses, and where it comes from. Plain data: it crosses the wire. */
export interface EmbeddingOptions {
  /** A model of the registry (`MODEL_REGISTRY`): 'Xenova/all-MiniLM-L6-v2', 'Xenova/bge-small-en-v1.5', ... */
  model: string;
  /** 'auto' (default): WebGPU on a hardware adapter whose dtype runs there, else WASM. */
  device?: 'auto' | 'wasm' | 'webgpu';
  /** Model files from this folder of the app ('/models/'), nothing from the hub. */
  localModelPath?: string;
  /** Model files from this host instead of huggingface.co ('https://models.example.com/'). */
  remoteHost?: string;
}

/** Loading an embedding model: files arriving, ONNX Runtime building its session, ready. */
export interface ModelLoadProgress {
  stage: 'download' | 'compile' | 'ready';
  /** The file this event is about (download stage). */
  file?: string;
  /** Bytes of `file` so far, and in all. */
  loaded?: number;
  total?: number;
  /** 0..1 across every file of the model, when the sizes are known. */
  fraction?: number;
}

/** The embedder in use, the device it runs on and why. */
export interface EmbedderInfo {
  model: string;
  dims: number;
  /** 'hash' is the built-in hash embedder (no model); 'cpu' is onnxruntime-node. */
  device: 'webgpu' | 'wasm' | 'cpu' | 'hash';
  reason: string;
  /** WASM threads in use (1 unless the page is cross-origin isolated). */
  threads?: number;
}

export interface MemoryStats {
  namespace: string;
  records: number;
  byTier: Record<Tier, number>;
  lexical: { documents: number; terms: number };
  vectors?: { model: string; dims: number; count: number; index: 'flat' | 'hnsw' };
  storage?: StoreEstimate;
  /** Where consolidation stands: the turns no pass has taken yet, and the last pass this runtime ran. */
  consolidation: ConsolidationStatus;
  embedder?: EmbedderInfo;
  /** Records still without a vector of the current model (stored before a model change), and whether the job runs. */
  reembedding?: { pending: number; running: boolean };
  /** Encryption at rest (always set by the runtime): on where the host's store can encrypt and a passphrase turned it on. */
  encryption?: EncryptionStatus;
  /** Rows found unreadable on disk: kept out of every answer, never deleted (see docs/RELIABILITY.md). */
  quarantine: QuarantineReport;
  /**
   * Set when the browser found the database corrupt, deleted it and opened it anew, empty (Chromium's `dataLoss`):
   * what the memory held before is gone. Stays, across reloads, until `acknowledgeDataLoss()`.
   */
  dataLoss?: DataLossReport;
}

export interface QuarantineReport {
  /** Records moved to the quarantine store (or, where the store has none, left in place and skipped). */
  records: number;
  /** Vectors left out of the index (NaN, truncated, malformed) since this memory opened; re-embedded. */
  vectors: number;
  /** The first quarantined records: id, why, when. */
  items: QuarantineEntry[];
}

/** Encryption at rest (docs/RELIABILITY.md): whether it is on, and how the key is derived. */
export interface EncryptionStatus {
  enabled: boolean;
  cipher?: 'AES-GCM-256';
  kdf?: 'PBKDF2-SHA256';
  iterations?: number;
  /** When encryption was turned on (epoch ms). */
  since?: number;
}

export interface ReembedReport {
  /** Records embedded by this call. */
  embedded: number;
  /** Records still without a vector of the current model (0 when done). */
  pending: number;
}

export interface ConsolidationStatus {
  /** Turns waiting for a consolidation pass. */
  pending: number;
  running: boolean;
  last?: { at: number; report?: ConsolidationReport; error?: SerializedError };
}

export interface RecentOptions {
  /** Tokens the recent turns may take, newest kept first; default 1000. */
  budgetTokens?: number;
}

export interface ConsolidateOptions {
  /** Stop after this many new records have been processed; the rest waits for the next pass. */
  maxRecords?: number;
  /**
   * Explicit pruning policy: forget records of these tiers (default episodic) whose retention is below
   * `belowRetention` and importance below `belowImportance` (default 0.5). Nothing is pruned without it.
   */
  prune?: { belowRetention: number; belowImportance?: number; tiers?: Tier[] };
}

export interface ConsolidationReport {
  /** New records examined since the last pass. */
  processed: number;
  factsAdded: number;
  factsMerged: number;
  factsInvalidated: number;
  /** Sessions summarised (or summarised again, with their new turns). */
  episodesSummarised: number;
  /** Records forgotten by the `prune` policy. */
  pruned: number;
  /** True when material is left for another pass. */
  more: boolean;
  /** Extractor output refused as malformed, per record; nothing was written for them. */
  rejected: { id: string; reason: string }[];
}

export interface ImportResult {
  records: number;
  vectors: number;
}

/** A call from a function-calling LLM: `arguments` as the JSON string the model produced, or parsed. */
export interface ToolCall {
  name: string;
  arguments: string | JsonObject;
}

/** What the app (never the model) decides about a tool call. */
export interface ToolOptions {
  /** Let memory_search and archival_search return low-trust records the poisoning detector flagged. Default false. */
  includeFlagged?: boolean;
}

export interface ToolResult {
  name: string;
  /** JSON text to hand back to the model. */
  content: string;
  isError: boolean;
}

/** A tool definition in the JSON-schema form function-calling APIs take (OpenAI `tools`, Anthropic `input_schema`). */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters: JsonObject;
}

/**
 * The verbs every memory answers, in the form they take over the wire: plain data in, plain data out.
 * The SDK adds an optional `{ signal }` to each and groups some (`working.set`, `facts.add`); the core
 * takes the signal as its last argument.
 */
export interface MemoryApi {
  /** Stores conversation turns or other records; a turn becomes an episodic record in its session. */
  remember(input: RememberInput | RememberInput[]): Promise<MemoryRecord[]>;
  recall(query: string, options?: RecallOptions): Promise<RecallHit[]>;
  get(id: string): Promise<MemoryRecord | undefined>;
  list(options?: ListOptions): Promise<MemoryRecord[]>;
  /** Deletes completely; resolves with the ids that existed and are now gone. */
  forget(target: string | string[] | ForgetFilter, options?: ForgetOptions): Promise<string[]>;
  stats(): Promise<MemoryStats>;
  /** Short-term memory: the newest turns of a session that fit the budget, oldest first. */
  recent(sessionId: string, options?: RecentOptions): Promise<MemoryRecord[]>;

  workingList(): Promise<WorkingBlock[]>;
  workingGet(label: string): Promise<WorkingBlock | undefined>;
  /** Creates or overwrites a block; `force` lets the app overwrite a read-only one. */
  workingSet(label: string, input: WorkingBlockInput, options?: { force?: boolean }): Promise<WorkingBlock>;
  workingAppend(label: string, text: string): Promise<WorkingBlock>;
  /** Replaces the one occurrence of `oldText`; fails with NOT_FOUND if absent, INVALID_ARGUMENT if ambiguous. */
  workingReplace(label: string, oldText: string, newText: string): Promise<WorkingBlock>;
  workingDelete(label: string, options?: { force?: boolean }): Promise<boolean>;

  factAdd(input: FactInput): Promise<FactResult>;
  /** A new version of a fact: the old one is invalidated (kept for `asOf` and `history`). */
  factUpdate(id: string, input: FactInput): Promise<FactResult>;
  factInvalidate(id: string, options?: { at?: Instant }): Promise<MemoryRecord>;
  factList(options?: FactListOptions): Promise<MemoryRecord[]>;
  /** Every version of a fact, oldest first. */
  factHistory(id: string): Promise<MemoryRecord[]>;

  /** A standing instruction or preference ("answer in French"), placed in every context. */
  instructionAdd(text: string, options?: { tags?: string[]; importance?: number }): Promise<MemoryRecord>;
  instructionList(): Promise<MemoryRecord[]>;

  archiveAdd(document: ArchiveInput): Promise<ArchivedDocument>;

  context(query: string, options?: ContextOptions): Promise<BuiltContext>;
  consolidate(options?: ConsolidateOptions): Promise<ConsolidationReport>;

  tools(): Promise<ToolDefinition[]>;
  executeTool(call: ToolCall, options?: ToolOptions): Promise<ToolResult>;

  /**
   * Embeds the records stored before a model change with the current model, in batches; resumable (what is
   * done is recorded with each record) and abortable. Runs by itself in the background after opening.
   */
  reembed(): Promise<ReembedReport>;

  /** The namespace as versioned JSON Lines: a header line, then one line per record (with its vector). */
  exportJsonl(): Promise<string>;
  /** Restores an export into this namespace, which must be empty. */
  importJsonl(jsonl: string): Promise<ImportResult>;

  /** Turns encryption at rest on, sealing what is stored; on an encrypted memory, only checks the passphrase. */
  encryptionEnable(passphrase: string): Promise<void>;
  /** Rewraps the data key under a new passphrase (nothing else is re-encrypted). */
  encryptionChangePassphrase(oldPassphrase: string, newPassphrase: string): Promise<void>;

  /** Checks every stored record, and that the lexical and vector indexes (HNSW graph included) agree with them. */
  checkIntegrity(): Promise<IntegrityReport>;
  /** Clears `stats().dataLoss` once the app has told the user; resolves true if there was a report. */
  acknowledgeDataLoss(): Promise<boolean>;
  /** Deletes quarantined records (`stats().quarantine`) for good, those of `ids` or all; resolves the ids deleted. */
  purgeQuarantine(ids?: string | string[]): Promise<string[]>;
  /** The audit log of forgets, oldest first: when, how many, and SHA-256 of "namespace\u0000id" for each. */
  forgetLog(): Promise<ForgetAuditEntry[]>;
}

export type MemoryMethod = keyof MemoryApi;

/** The verbs that may cross the wire; anything else is refused. */
export const MEMORY_METHODS = [
  'remember',
  'recall',
  'get',
  'list',
  'forget',
  'stats',
  'recent',
  'workingList',
  'workingGet',
  'workingSet',
  'workingAppend',
  'workingReplace',
  'workingDelete',
  'factAdd',
  'factUpdate',
  'factInvalidate',
  'factList',
  'factHistory',
  'instructionAdd',
  'instructionList',
  'archiveAdd',
  'context',
  'consolidate',
  'tools',
  'executeTool',
  'reembed',
  'exportJsonl',
  'importJsonl',
  'encryptionEnable',
  'encryptionChangePassphrase',
  'checkIntegrity',
  'acknowledgeDataLoss',
  'purgeQuarantine',
  'forgetLog',
] as const satisfies readonly MemoryMethod[];
