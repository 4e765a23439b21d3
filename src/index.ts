// The public surface of the `mnemo` package: nothing is public unless it is exported here.

export { createMemory, type Coordination, type CreateMemoryOptions } from './sdk/create-memory.js';
export type { CoordinationEvent } from './sdk/tab-facade.js';
export type {
  ArchiveApi,
  ConsolidateCallbacks,
  EncryptionApi,
  FactsApi,
  InstructionsApi,
  MemoryClient,
  SignalOption,
  WorkingApi,
} from './sdk/memory-client.js';
export { MnemoError, isMnemoError, ERROR_CODES, type ErrorCode, type ErrorDetails, type SerializedError } from './core/errors.js';
export { TIERS, SOURCE_KINDS } from './core/record.js';
export type {
  EmbeddingRef,
  JsonObject,
  JsonValue,
  MemoryRecord,
  RecordSource,
  RememberInput,
  SourceKind,
  Tier,
} from './core/record.js';
export type {
  ArchiveInput,
  ArchivedDocument,
  BuiltContext,
  ConsolidateOptions,
  ConsolidationReport,
  ContextOptions,
  ContextPart,
  ContextSection,
  EmbedderInfo,
  EmbeddingOptions,
  EncryptionStatus,
  ModelLoadProgress,
  FactInput,
  FactListOptions,
  FactResult,
  ForgetFilter,
  ForgetOptions,
  ImportResult,
  Instant,
  ListOptions,
  MemoryStats,
  QuarantineReport,
  RecallFilter,
  RecallHit,
  RecallOptions,
  RecallScores,
  RecentOptions,
  ReembedReport,
  ToolCall,
  ToolDefinition,
  ToolOptions,
  ToolResult,
  WorkingBlock,
  WorkingBlockInput,
} from './core/api.js';
export type { DataLossReport, ForgetAuditEntry, QuarantineEntry, StoreEstimate } from './core/ports.js';
export type { IntegrityReport } from './core/integrity.js';
export { LIMITS } from './core/validate.js';
export { TRUST_LEVELS, TRUST_CEILING, type Trust } from './core/safety/trust.js';
export { SAFETY_FLAGS, type SafetyFlag } from './core/safety/flags.js';
export { isWithheld } from './core/safety/withheld.js';
export { MODEL_REGISTRY, type ModelSpec } from './core/embedding/model-registry.js';
