// The one error class of Mnemo, its stable codes, and its plain-data form for crossing a worker boundary.

/**
 * Stable error codes. Callers branch on these; never rename one, only add.
 * `retryable` says whether the same call may succeed later without changing its input.
 */
export const ERROR_CODES = {
  INVALID_ARGUMENT: { retryable: false, summary: 'An argument has the wrong type or shape.' },
  UNKNOWN_OPTION: { retryable: false, summary: 'An options object holds a key Mnemo does not know.' },
  TEXT_EMPTY: { retryable: false, summary: 'A text is empty or only whitespace.' },
  TEXT_MALFORMED: { retryable: false, summary: 'A text holds a lone UTF-16 surrogate.' },
  TEXT_TOO_LONG: { retryable: false, summary: 'A text is longer than the limit.' },
  BATCH_TOO_LARGE: { retryable: false, summary: 'A batch holds more items than the limit.' },
  ABORTED: { retryable: true, summary: 'The caller aborted the call before it took effect.' },
  CLOSED: { retryable: false, summary: 'The memory was closed.' },
  INDEX_DIMENSION_MISMATCH: { retryable: false, summary: 'A vector has other dimensions than the index.' },
  INVALID_VECTOR: { retryable: false, summary: 'A vector is not a Float32Array, or holds NaN, Infinity or only zeros.' },
  INDEX_CORRUPT: { retryable: false, summary: 'A persisted index snapshot or log could not be read back.' },
  STORE_QUOTA_EXCEEDED: { retryable: false, summary: 'The browser refused the write: storage quota is full.' },
  STORE_BLOCKED: { retryable: true, summary: 'Another tab holds an older version of the database open.' },
  STORE_VERSION_CHANGED: {
    retryable: false,
    summary: 'A newer version of Mnemo upgraded the database; reload to continue.',
  },
  STORE_UNAVAILABLE: { retryable: true, summary: 'The storage cannot be opened or was closed by the browser.' },
  STORE_CLEARED: {
    retryable: false,
    summary: 'The database was deleted under the running memory (site data cleared, or deleted elsewhere); reopen it.',
  },
  STORE_FAILURE: { retryable: true, summary: 'The storage failed for an unexpected reason.' },
  WORKER_FAILURE: { retryable: true, summary: 'The memory worker failed to start or crashed.' },
  LEADER_LOST: {
    retryable: false,
    summary: 'The tab serving this memory closed or crashed before answering a write, which took effect once or not at all.',
  },
  PROTOCOL_ERROR: { retryable: false, summary: 'A message across the worker boundary was not understood.' },
  NOT_FOUND: { retryable: false, summary: 'The record, fact or working block named does not exist.' },
  BLOCK_FULL: { retryable: false, summary: 'A working block would exceed its character limit.' },
  READ_ONLY: { retryable: false, summary: 'A read-only working block cannot be changed this way.' },
  NOT_A_FACT: { retryable: false, summary: 'A fact verb was given the id of a record that is not a fact.' },
  FACT_INVALID: { retryable: false, summary: 'The fact was already invalidated; update its current version.' },
  NAMESPACE_NOT_EMPTY: { retryable: false, summary: 'An import needs an empty namespace.' },
  IMPORT_MALFORMED: { retryable: false, summary: 'An import file is not a Mnemo export; nothing was written.' },
  IMPORT_VERSION: { retryable: false, summary: 'An import file has a format version this Mnemo cannot read.' },
  TOOL_UNKNOWN: { retryable: false, summary: 'A tool call names a tool Mnemo does not offer.' },
  TOOL_ARGUMENTS: { retryable: false, summary: 'A tool call has arguments that are not valid JSON of the right shape.' },
  WRITE_BUDGET_EXCEEDED: {
    retryable: true,
    summary: 'A low-trust source wrote more records this minute than its budget allows; nothing of the batch was stored.',
  },
  UNTRUSTED_CONTENT: {
    retryable: false,
    summary: "A model's write into always-shown core memory was refused: the text reads like an instruction or hides characters.",
  },
  WRITE_FLOOD: {
    retryable: true,
    summary: 'A low-trust text nearly identical to several written just before was refused; nothing of the batch was stored.',
  },
  LOCKED: { retryable: false, summary: 'The memory is encrypted: open it with its passphrase.' },
  WRONG_PASSPHRASE: { retryable: false, summary: 'The passphrase does not unlock this encrypted memory; nothing was read.' },
  NOT_ENCRYPTED: { retryable: false, summary: 'The memory is not encrypted, so it has no passphrase to change.' },
  ENCRYPTION_UNSUPPORTED: { retryable: false, summary: "This host's storage cannot encrypt (only IndexedDB in a browser can)." },
  MODEL_UNAVAILABLE: { retryable: true, summary: 'The embedding model could not be fetched or loaded on this device.' },
  INTERNAL: { retryable: false, summary: 'A bug in Mnemo: please report it.' },
} as const satisfies Record<string, { retryable: boolean; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export type ErrorDetails = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

export interface MnemoErrorOptions {
  details?: ErrorDetails;
  cause?: unknown;
  retryable?: boolean;
}

/** The plain-data form of an error: what crosses postMessage intact. */
export interface SerializedError {
  name: 'MnemoError';
  code: ErrorCode;
  message: string;
  details: ErrorDetails;
  retryable: boolean;
  cause?: { name: string; message: string };
}

export class MnemoError extends Error {
  override readonly name = 'MnemoError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: MnemoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
  }

  toJSON(): SerializedError {
    const out: SerializedError = {
      name: 'MnemoError',
      code: this.code,
      message: this.message,
      details: this.details,
      retryable: this.retryable,
    };
    const cause = describeCause(this.cause);
    if (cause) out.cause = cause;
    return out;
  }

  /** Rebuilds an error from its plain-data form, keeping its code, details and retryability. */
  static fromJSON(data: SerializedError): MnemoError {
    const known = Object.hasOwn(ERROR_CODES, data.code);
    const error = new MnemoError(known ? data.code : 'PROTOCOL_ERROR', data.message, {
      details: known ? data.details : { ...data.details, originalCode: String(data.code) },
      retryable: data.retryable,
      cause: data.cause ? Object.assign(new Error(data.cause.message), { name: data.cause.name }) : undefined,
    });
    return error;
  }
}

export function isMnemoError(value: unknown): value is MnemoError {
  return value instanceof MnemoError;
}

/** Wraps anything thrown into a MnemoError; a MnemoError passes through unchanged. */
export function toMnemoError(value: unknown, fallback: ErrorCode = 'INTERNAL'): MnemoError {
  if (value instanceof MnemoError) return value;
  const cause = describeCause(value);
  return new MnemoError(fallback, cause ? `${cause.name}: ${cause.message}` : 'Unknown error', { cause: value });
}

function describeCause(cause: unknown): { name: string; message: string } | undefined {
  if (cause === undefined || cause === null) return undefined;
  if (cause instanceof Error) return { name: cause.name, message: cause.message };
  if (typeof cause === 'object' && 'name' in cause && 'message' in cause) {
    return { name: String(cause.name), message: String(cause.message) };
  }
  return {
    name: typeof cause,
    message:
      typeof cause === 'string' || typeof cause === 'number' || typeof cause === 'boolean' || typeof cause === 'bigint'
        ? cause.toString()
        : Object.prototype.toString.call(cause),
  };
}
