// Input checks at the core's entry points: every bad input becomes a MnemoError with a stable code.

import { MnemoError } from './errors.js';
import { SOURCE_KINDS, TIERS, type JsonObject, type RecordSource, type Tier } from './record.js';
import { SAFETY_FLAGS, type SafetyFlag } from './safety/flags.js';
import { TRUST_LEVELS, type Trust } from './safety/trust.js';

export const LIMITS = {
  /** Characters (UTF-16 code units) in one record's text; longer documents belong in the chunked archive. */
  maxTextLength: 100_000,
  maxBatchSize: 10_000,
  maxK: 1_000,
  maxListLimit: 1_000,
  maxNamespaceLength: 128,
  maxLabelLength: 256,
  maxTags: 64,
  /** Bytes of `meta` once serialised as JSON. */
  maxMetaBytes: 64 * 1024,
} as const;

const NAMESPACE = /^[\p{L}\p{N}_.:-]+$/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function invalid(field: string, message: string): MnemoError {
  return new MnemoError('INVALID_ARGUMENT', `${field}: ${message}`, { details: { field } });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Rejects keys outside `allowed`, so a typo ("topK") fails loudly instead of being ignored. */
export function checkOptions(value: unknown, allowed: readonly string[], field: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw invalid(field, 'must be a plain object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new MnemoError('UNKNOWN_OPTION', `${field}: unknown option "${key}" (known: ${allowed.join(', ')})`, {
        details: { field, option: key, known: allowed },
      });
    }
  }
  return value;
}

export function checkText(value: unknown, field: string): string {
  if (typeof value !== 'string') {
    throw new MnemoError('INVALID_ARGUMENT', `${field}: must be a string, got ${describe(value)}`, {
      details: { field },
    });
  }
  if (value.length > LIMITS.maxTextLength) {
    throw new MnemoError('TEXT_TOO_LONG', `${field}: ${value.length} characters, the limit is ${LIMITS.maxTextLength}`, {
      details: { field, length: value.length, limit: LIMITS.maxTextLength },
    });
  }
  if (value.trim().length === 0) throw new MnemoError('TEXT_EMPTY', `${field}: must not be empty`, { details: { field } });
  const surrogate = LONE_SURROGATE.exec(value);
  if (surrogate) {
    throw new MnemoError('TEXT_MALFORMED', `${field}: lone UTF-16 surrogate at index ${surrogate.index}`, {
      details: { field, index: surrogate.index },
    });
  }
  return value;
}

/** A string that may be empty (a working block's value), but never malformed. */
export function checkString(value: unknown, field: string, maxLength: number = LIMITS.maxTextLength): string {
  if (typeof value !== 'string') throw invalid(field, `must be a string, got ${describe(value)}`);
  if (value.length > maxLength) {
    throw new MnemoError('TEXT_TOO_LONG', `${field}: ${value.length} characters, the limit is ${maxLength}`, {
      details: { field, length: value.length, limit: maxLength },
    });
  }
  if (LONE_SURROGATE.test(value))
    throw new MnemoError('TEXT_MALFORMED', `${field}: lone UTF-16 surrogate`, { details: { field } });
  return value;
}

export function checkNamespace(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > LIMITS.maxNamespaceLength || !NAMESPACE.test(value)) {
    throw invalid('namespace', `must be 1-${LIMITS.maxNamespaceLength} letters, digits or "_.:-", got ${describe(value)}`);
  }
  return value;
}

/** A short label such as a speaker, session id or tag. */
export function checkLabel(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > LIMITS.maxLabelLength) {
    throw invalid(field, `must be a string of 1-${LIMITS.maxLabelLength} characters, got ${describe(value)}`);
  }
  if (LONE_SURROGATE.test(value))
    throw new MnemoError('TEXT_MALFORMED', `${field}: lone UTF-16 surrogate`, { details: { field } });
  return value;
}

export function checkInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(field, `must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

export function checkUnitInterval(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw invalid(field, `must be a number from 0 to 1, got ${describe(value)}`);
  }
  return value;
}

export function checkBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalid(field, `must be true or false, got ${describe(value)}`);
  return value;
}

export function checkTier(value: unknown, field: string): Tier {
  if (!TIERS.includes(value as Tier)) throw invalid(field, `must be one of ${TIERS.join(', ')}, got ${describe(value)}`);
  return value as Tier;
}

export function checkLabels(value: unknown, field: string, max: number): string[] {
  if (!Array.isArray(value)) throw invalid(field, 'must be an array of strings');
  if (value.length > max) throw invalid(field, `at most ${max} entries`);
  return value.map((item, i) => checkLabel(item, `${field}[${i}]`));
}

/** An instant as epoch milliseconds, from a number, an ISO 8601 string or a Date. */
export function checkInstant(value: unknown, field: string): number {
  const ms =
    typeof value === 'number'
      ? value
      : typeof value === 'string'
        ? Date.parse(value)
        : value instanceof Date
          ? value.getTime()
          : Number.NaN;
  // Dates are valid within +-8.64e15 ms of the epoch (ECMAScript time values).
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw invalid(field, `must be epoch milliseconds, an ISO 8601 string or a valid Date, got ${describe(value)}`);
  }
  return ms;
}

export function checkSource(value: unknown, field: string): RecordSource {
  const options = checkOptions(value, ['kind', 'name'], field);
  if (!SOURCE_KINDS.includes(options['kind'] as RecordSource['kind'])) {
    throw invalid(`${field}.kind`, `must be one of ${SOURCE_KINDS.join(', ')}`);
  }
  const source: RecordSource = { kind: options['kind'] as RecordSource['kind'] };
  if (options['name'] !== undefined) source.name = checkLabel(options['name'], `${field}.name`);
  return source;
}

export function checkTrust(value: unknown, field: string): Trust {
  if (!TRUST_LEVELS.includes(value as Trust))
    throw invalid(field, `must be one of ${TRUST_LEVELS.join(', ')}, got ${describe(value)}`);
  return value as Trust;
}

export function checkFlags(value: unknown, field: string): SafetyFlag[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > SAFETY_FLAGS.length)
    throw invalid(field, `must be a non-empty array of ${SAFETY_FLAGS.join(', ')}`);
  return value.map((flag: unknown, i) => {
    if (!SAFETY_FLAGS.includes(flag as SafetyFlag)) throw invalid(`${field}[${i}]`, `must be one of ${SAFETY_FLAGS.join(', ')}`);
    return flag as SafetyFlag;
  });
}

/** JSON-serialisable plain data only, so it survives IndexedDB, postMessage and export alike. */
export function checkMeta(value: unknown, field: string): JsonObject {
  if (!isPlainObject(value)) throw invalid(field, 'must be a plain object');
  let json: string;
  try {
    json = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new Error('non-finite number');
      if (typeof v === 'object' && v !== null && !Array.isArray(v) && !isPlainObject(v)) throw new Error('non-plain object');
      if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') {
        throw new Error(`a ${typeof v}`);
      }
      return v;
    });
  } catch (error) {
    throw invalid(field, `must hold JSON data only (${error instanceof Error ? error.message : String(error)})`);
  }
  if (json.length > LIMITS.maxMetaBytes) throw invalid(field, `larger than ${LIMITS.maxMetaBytes} bytes as JSON`);
  return JSON.parse(json) as JsonObject;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${value.toString()}`;
  }
  return value === undefined ? 'undefined' : `a ${typeof value}`;
}
