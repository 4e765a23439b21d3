// The backup format of one namespace: a pure codec between records (with their vectors) and versioned JSON Lines.
//
// Line 1 is the header; then one line per record: {"record": {...}, "vector": "<base64 of little-endian float32>"}.
// Decoding checks every line before returning anything, so an import built on it writes all or nothing.

import { MnemoError } from '../errors.js';
import type { EmbeddingRef, MemoryRecord, Tier } from '../record.js';
import {
  LIMITS,
  checkInstant,
  checkInteger,
  checkLabel,
  checkLabels,
  checkMeta,
  checkNamespace,
  checkOptions,
  checkSource,
  checkFlags,
  checkText,
  checkTier,
  checkTrust,
  checkUnitInterval,
  invalid,
  isPlainObject,
} from '../validate.js';
import { checkDims } from '../vectors/vector-checks.js';

export const BACKUP_FORMAT = 'mnemo-backup';
export const BACKUP_VERSION = 1;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  namespace: string;
  /** Epoch milliseconds. */
  exportedAt: number;
  /** How many record lines follow; a shorter file was cut off. */
  records: number;
  /** The model of the vectors in this file; absent when the file holds none. */
  embedding?: { model: string; dims: number };
}

export interface BackupEntry {
  record: MemoryRecord;
  vector?: Float32Array;
}

const HEADER_KEYS = ['format', 'version', 'namespace', 'exportedAt', 'records', 'embedding'] as const;
const LINE_KEYS = ['record', 'vector'] as const;
const REQUIRED_RECORD_KEYS = [
  'id',
  'namespace',
  'tier',
  'text',
  'createdAt',
  'eventAt',
  'updatedAt',
  'importance',
  'strength',
  'accessCount',
  'tags',
  'meta',
  'source',
  'sourceIds',
] as const satisfies readonly (keyof MemoryRecord)[];
const OPTIONAL_RECORD_KEYS = [
  'sessionId',
  'speaker',
  'lastRecalledAt',
  'embedding',
  'validFrom',
  'invalidAt',
  'consolidatedAt',
  'trust',
  'flags',
] as const satisfies readonly (keyof MemoryRecord)[];
// The canonical key order of a record line, so two exports of the same data are byte-identical.
export const RECORD_KEYS: readonly (keyof MemoryRecord)[] = [
  'id',
  'namespace',
  'tier',
  'text',
  'createdAt',
  'eventAt',
  'updatedAt',
  'sessionId',
  'speaker',
  'importance',
  'strength',
  'lastRecalledAt',
  'accessCount',
  'tags',
  'meta',
  'source',
  'sourceIds',
  'embedding',
  'validFrom',
  'invalidAt',
  'consolidatedAt',
  'trust',
  'flags',
];

// ---------------------------------------------------------------------------------------------------------------
// Encoding

/** The whole file, ending with a newline. Throws INVALID_ARGUMENT for a header or vector the decoder would refuse. */
export function encodeBackup(
  header: Omit<BackupHeader, 'format' | 'version' | 'records'>,
  entries: readonly BackupEntry[],
): string {
  const head = encodeHeader(header, entries.length);
  const lines = [JSON.stringify(head)];
  entries.forEach((entry, i) => lines.push(encodeEntry(entry, head.embedding, i)));
  return lines.join('\n') + '\n';
}

function encodeHeader(header: Omit<BackupHeader, 'format' | 'version' | 'records'>, records: number): BackupHeader {
  const out: BackupHeader = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    namespace: checkNamespace(header.namespace),
    exportedAt: checkTime(header.exportedAt, 'header.exportedAt'),
    records,
  };
  if (header.embedding !== undefined) out.embedding = checkEmbedding(header.embedding, 'header.embedding');
  return out;
}

function encodeEntry(entry: BackupEntry, embedding: EmbeddingRef | undefined, i: number): string {
  // Only the known keys, in canonical order: whatever else an object carries at run time stays out of the file.
  const record: Record<string, unknown> = {};
  for (const key of RECORD_KEYS) if (entry.record[key] !== undefined) record[key] = entry.record[key];
  const line: { record: Record<string, unknown>; vector?: string } = { record };
  if (entry.vector !== undefined) line.vector = encodeVector(entry.vector, embedding, `entries[${i}].vector`);
  return JSON.stringify(line);
}

function encodeVector(vector: Float32Array, embedding: EmbeddingRef | undefined, field: string): string {
  if (!(vector instanceof Float32Array)) throw invalid(field, 'must be a Float32Array');
  if (!embedding) throw invalid(field, 'a vector needs an embedding in the header');
  if (vector.length !== embedding.dims) throw invalid(field, `${vector.length} dimensions, the header says ${embedding.dims}`);
  // A DataView writes little-endian on every platform; a float32 read as a number and written back is bit-exact.
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  vector.forEach((x, j) => {
    if (!Number.isFinite(x)) throw invalid(field, `element ${j} is ${x}`);
    view.setFloat32(j * 4, x, true);
  });
  return encodeBase64(bytes);
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

/** Parses and checks everything before returning, so an import writes all or nothing. */
export function decodeBackup(jsonl: string): { header: BackupHeader; entries: BackupEntry[] } {
  if (typeof jsonl !== 'string') throw invalid('jsonl', 'must be a string');
  const lines = splitLines(jsonl);
  const header = decodeHeader(lines[0] ?? '');
  const found = lines.length - 1;
  if (found !== header.records) {
    // Point at the first missing line of a cut-off file, or the first line past the promised records.
    const line = found < header.records ? lines.length + 1 : header.records + 2;
    throw malformed(line, `the header promises ${header.records} records, the file holds ${found}`, {
      expected: header.records,
      found,
    });
  }
  const entries: BackupEntry[] = [];
  const seen = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    const entry = atLine(line, () => decodeEntry(lines[i]!, header.embedding));
    const first = seen.get(entry.record.id);
    if (first !== undefined) {
      throw malformed(line, `record id "${entry.record.id}" already appeared on line ${first}`, {
        id: entry.record.id,
        firstLine: first,
      });
    }
    seen.set(entry.record.id, line);
    entries.push(entry);
  }
  return { header, entries };
}

/** Lines without their "\r\n" or "\n"; a leading byte-order mark and one final newline are tolerated. */
function splitLines(text: string): string[] {
  let body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.endsWith('\n')) body = body.slice(0, -1);
  return body.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

function decodeHeader(text: string): BackupHeader {
  if (text.trim() === '') throw malformed(1, 'empty, where the header should be');
  const value = atLine(1, () => parseJson(text));
  // Format first, then version: a newer version may change every other field, so nothing else is read before it.
  if (!isPlainObject(value) || value['format'] !== BACKUP_FORMAT) {
    throw malformed(1, `not a ${BACKUP_FORMAT} header`);
  }
  const version = atLine(1, () => checkInteger(value['version'], 'header.version', 1, Number.MAX_SAFE_INTEGER));
  if (version > BACKUP_VERSION) {
    throw new MnemoError(
      'IMPORT_VERSION',
      `Backup line 1: format version ${version}, this Mnemo reads up to version ${BACKUP_VERSION}`,
      { details: { line: 1, version, supported: BACKUP_VERSION } },
    );
  }
  return atLine(1, () => {
    const fields = checkOptions(value, HEADER_KEYS, 'header');
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      version,
      namespace: checkNamespace(fields['namespace']),
      exportedAt: checkTime(fields['exportedAt'], 'header.exportedAt'),
      records: checkInteger(fields['records'], 'header.records', 0, Number.MAX_SAFE_INTEGER),
    };
    if (fields['embedding'] !== undefined) header.embedding = checkEmbedding(fields['embedding'], 'header.embedding');
    return header;
  });
}

function decodeEntry(text: string, embedding: EmbeddingRef | undefined): BackupEntry {
  const fields = checkOptions(parseJson(text), LINE_KEYS, 'line');
  if (fields['record'] === undefined) throw invalid('record', 'missing');
  const entry: BackupEntry = { record: decodeRecord(fields['record']) };
  if (fields['vector'] !== undefined) entry.vector = decodeVector(fields['vector'], embedding);
  return entry;
}

/** Every field of MemoryRecord checked; unknown and missing fields refused. */
export function decodeRecord(value: unknown): MemoryRecord {
  const fields = checkOptions(value, [...REQUIRED_RECORD_KEYS, ...OPTIONAL_RECORD_KEYS], 'record');
  for (const key of REQUIRED_RECORD_KEYS) if (fields[key] === undefined) throw invalid(`record.${key}`, 'missing');
  const tier = checkTier(fields['tier'], 'record.tier');
  const record: MemoryRecord = {
    id: checkLabel(fields['id'], 'record.id'),
    namespace: checkNamespace(fields['namespace']),
    tier,
    text: checkRecordText(fields['text'], tier),
    createdAt: checkTime(fields['createdAt'], 'record.createdAt'),
    eventAt: checkTime(fields['eventAt'], 'record.eventAt'),
    updatedAt: checkTime(fields['updatedAt'], 'record.updatedAt'),
    importance: checkUnitInterval(fields['importance'], 'record.importance'),
    strength: checkStrength(fields['strength']),
    accessCount: checkInteger(fields['accessCount'], 'record.accessCount', 0, Number.MAX_SAFE_INTEGER),
    tags: checkLabels(fields['tags'], 'record.tags', LIMITS.maxTags),
    meta: checkMeta(fields['meta'], 'record.meta'),
    source: checkSource(fields['source'], 'record.source'),
    sourceIds: checkLabels(fields['sourceIds'], 'record.sourceIds', LIMITS.maxBatchSize),
  };
  addOptionalFields(record, fields);
  return record;
}

function addOptionalFields(record: MemoryRecord, fields: Record<string, unknown>): void {
  if (fields['sessionId'] !== undefined) record.sessionId = checkLabel(fields['sessionId'], 'record.sessionId');
  if (fields['speaker'] !== undefined) record.speaker = checkLabel(fields['speaker'], 'record.speaker');
  if (fields['lastRecalledAt'] !== undefined)
    record.lastRecalledAt = checkTime(fields['lastRecalledAt'], 'record.lastRecalledAt');
  if (fields['embedding'] !== undefined) record.embedding = checkEmbedding(fields['embedding'], 'record.embedding');
  if (fields['validFrom'] !== undefined) record.validFrom = checkTime(fields['validFrom'], 'record.validFrom');
  if (fields['invalidAt'] !== undefined) record.invalidAt = checkTime(fields['invalidAt'], 'record.invalidAt');
  if (fields['consolidatedAt'] !== undefined)
    record.consolidatedAt = checkTime(fields['consolidatedAt'], 'record.consolidatedAt');
  // Read as written; an import recomputes both (safety/imported-trust.ts), so a file cannot raise them.
  if (fields['trust'] !== undefined) record.trust = checkTrust(fields['trust'], 'record.trust');
  if (fields['flags'] !== undefined) record.flags = checkFlags(fields['flags'], 'record.flags');
}

/** A working block may be emptied by its owner; every other tier holds real text. */
function checkRecordText(value: unknown, tier: Tier): string {
  try {
    return checkText(value, 'record.text');
  } catch (error) {
    if (tier === 'working' && error instanceof MnemoError && error.code === 'TEXT_EMPTY') return value as string;
    throw error;
  }
}

function decodeVector(value: unknown, embedding: EmbeddingRef | undefined): Float32Array {
  if (!embedding) throw invalid('vector', 'the header names no embedding, so no record may carry a vector');
  if (typeof value !== 'string') throw invalid('vector', 'must be a base64 string');
  const bytes = decodeBase64(value);
  if (bytes === undefined) throw invalid('vector', 'is not valid base64');
  if (bytes.length !== embedding.dims * 4) {
    throw invalid('vector', `${bytes.length} bytes, the header's ${embedding.dims} dimensions need ${embedding.dims * 4}`);
  }
  const view = new DataView(bytes.buffer);
  const vector = new Float32Array(embedding.dims);
  for (let j = 0; j < vector.length; j++) {
    const x = view.getFloat32(j * 4, true);
    if (!Number.isFinite(x)) throw invalid('vector', `element ${j} is ${x}`);
    vector[j] = x;
  }
  return vector;
}

// ---------------------------------------------------------------------------------------------------------------
// Checks and errors shared by both directions

/** Epoch milliseconds as a number: checkInstant alone would also take an ISO string, which a file must not hold. */
function checkTime(value: unknown, field: string): number {
  if (typeof value !== 'number') throw invalid(field, 'must be a number of epoch milliseconds');
  return checkInstant(value, field);
}

function checkStrength(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
    throw invalid('record.strength', 'must be a finite number above 0');
  }
  return value;
}

function checkEmbedding(value: unknown, field: string): EmbeddingRef {
  const fields = checkOptions(value, ['model', 'dims'], field);
  return { model: checkLabel(fields['model'], `${field}.model`), dims: checkDims(fields['dims']) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalid('line', `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Runs a check for one line, turning its error into IMPORT_MALFORMED that names the line. */
function atLine<T>(line: number, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof MnemoError)) throw error;
    const field = error.details['field'];
    throw malformed(line, error.message, { reason: error.code, ...(typeof field === 'string' ? { field } : {}) }, error);
  }
}

function malformed(line: number, message: string, details: Record<string, string | number> = {}, cause?: unknown): MnemoError {
  return new MnemoError('IMPORT_MALFORMED', `Backup line ${line}: ${message}`, { details: { line, ...details }, cause });
}

// ---------------------------------------------------------------------------------------------------------------
// Base64 (RFC 4648, with padding): the core has no btoa, atob or Buffer.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGITS = new Map([...ALPHABET].map((c, i) => [c, i]));

function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const left = bytes.length - i;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += left > 1 ? ALPHABET[(n >> 6) & 63]! : '=';
    out += left > 2 ? ALPHABET[n & 63]! : '=';
  }
  return out;
}

/** The bytes, or undefined for anything but canonical padded base64 (so one vector has exactly one spelling). */
function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  for (let i = 0, o = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const digit = last && j >= 4 - pad ? 0 : DIGITS.get(text[i + j]!);
      if (digit === undefined) return undefined;
      n = (n << 6) | digit;
    }
    // Non-zero bits under the padding mean a non-canonical spelling.
    if (last && ((pad === 1 && n & 0xff) || (pad === 2 && n & 0xffff))) return undefined;
    out[o++] = (n >> 16) & 0xff;
    if (o < out.length) out[o++] = (n >> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}
