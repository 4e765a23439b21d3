// The backup codec: exact round trips, and every malformed file refused with its code and line.

import { describe, expect, it } from 'vitest';
import { MnemoError, type ErrorCode } from '../errors.js';
import type { MemoryRecord } from '../record.js';
import { BACKUP_FORMAT, BACKUP_VERSION, decodeBackup, encodeBackup, type BackupEntry } from './backup.js';

const DIMS = 4;
const HEADER = { namespace: 'ns', exportedAt: 1_700_000_000_000, embedding: { model: 'test-model', dims: DIMS } };

function makeRecord(overrides: Partial<MemoryRecord> = {}): MemoryRecord {
  return {
    id: 'r1',
    namespace: 'ns',
    tier: 'episodic',
    text: 'Alice moved to Lisbon.',
    createdAt: 1_000,
    eventAt: 900,
    updatedAt: 1_100,
    importance: 0.5,
    strength: 86_400_000,
    accessCount: 0,
    tags: [],
    meta: {},
    source: { kind: 'user' },
    sourceIds: [],
    ...overrides,
  };
}

/** A record with every optional field set, and every list and object non-empty. */
function fullRecord(id: string): MemoryRecord {
  return makeRecord({
    id,
    tier: 'semantic',
    text: 'Alice lives in Lisbon 🇵🇹',
    sessionId: 'session-7',
    speaker: 'alice',
    importance: 1,
    strength: 0.25,
    lastRecalledAt: 2_000,
    accessCount: 3,
    tags: ['home', 'city'],
    meta: { nested: { list: [1, 'two', null, true] }, n: -0.5 },
    source: { kind: 'extractor', name: 'facts-v1' },
    sourceIds: ['r0', 'r1-src'],
    embedding: { model: 'test-model', dims: DIMS },
    validFrom: -86_400_000,
    invalidAt: 3_000,
  });
}

/** Float32 bit patterns a lossy path would change: -0, the smallest and a negative subnormal, the largest float. */
function awkwardVector(): Float32Array {
  return new Float32Array(new Uint32Array([0x80000000, 0x00000001, 0x807fffff, 0x7f7fffff]).buffer);
}

function bitsOf(vector: Float32Array): number[] {
  return [...new Uint32Array(vector.buffer, vector.byteOffset, vector.length)];
}

function expectSameEntries(actual: BackupEntry[], expected: BackupEntry[]): void {
  expect(actual.map((e) => e.record)).toEqual(expected.map((e) => e.record));
  actual.forEach((entry, i) => {
    const want = expected[i]!.vector;
    if (want === undefined) expect(entry).not.toHaveProperty('vector');
    else expect(bitsOf(entry.vector!)).toEqual(bitsOf(want));
  });
}

describe('encodeBackup and decodeBackup', () => {
  it('round-trips records with every optional field and with and without vectors, bit-exact', () => {
    const entries: BackupEntry[] = [
      { record: fullRecord('a'), vector: awkwardVector() },
      { record: makeRecord({ id: 'b' }) },
      { record: makeRecord({ id: 'c', tier: 'procedural' }), vector: Float32Array.of(0.1, -0, 1e-40, -3.5) },
    ];
    const { header, entries: decoded } = decodeBackup(encodeBackup(HEADER, entries));
    expect(header).toEqual({ format: BACKUP_FORMAT, version: BACKUP_VERSION, records: 3, ...HEADER });
    expectSameEntries(decoded, entries);
    expect(Object.is(decoded[0]!.vector![0], -0)).toBe(true);
    expect(decoded[0]!.vector![1]).toBe(2 ** -149);
  });

  it('writes one header line, then one line per record, vectors as little-endian float32 in base64', () => {
    const vector = Float32Array.of(1, -2, 0.5, 3);
    const text = encodeBackup(HEADER, [{ record: makeRecord(), vector }, { record: makeRecord({ id: 'r2' }) }]);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toEqual({ format: 'mnemo-backup', version: 1, records: 2, ...HEADER });
    const first = JSON.parse(lines[1]!) as { record: unknown; vector: string };
    expect(Object.keys(first)).toEqual(['record', 'vector']);
    const bytes = Buffer.alloc(16);
    [1, -2, 0.5, 3].forEach((x, i) => bytes.writeFloatLE(x, i * 4));
    expect(first.vector).toBe(bytes.toString('base64'));
    expect(JSON.parse(lines[2]!)).toEqual({ record: makeRecord({ id: 'r2' }) });
  });

  it('encodes base64 like Node for every padding length', () => {
    for (const dims of [1, 2, 3, 5]) {
      const vector = Float32Array.from({ length: dims }, (_, i) => (i + 1) * -1.25);
      const header = { ...HEADER, embedding: { model: 'm', dims } };
      const line = encodeBackup(header, [{ record: makeRecord(), vector }]).split('\n')[1]!;
      const expected = Buffer.from(vector.buffer).toString('base64'); // little-endian host
      expect((JSON.parse(line) as { vector: string }).vector).toBe(expected);
      expect(bitsOf(decodeBackup(encodeBackup(header, [{ record: makeRecord(), vector }])).entries[0]!.vector!)).toEqual(
        bitsOf(vector),
      );
    }
  });

  it('writes record fields in one canonical order and leaves unknown run-time properties out', () => {
    const { id, ...rest } = fullRecord('x');
    const shuffled = { ...rest, cachedScore: 0.9, id } as MemoryRecord;
    const line = encodeBackup(HEADER, [{ record: shuffled }]).split('\n')[1]!;
    expect(line).toBe(encodeBackup(HEADER, [{ record: fullRecord('x') }]).split('\n')[1]);
    expect(line).not.toContain('cachedScore');
  });

  it('round-trips an empty namespace without an embedding', () => {
    const text = encodeBackup({ namespace: 'empty', exportedAt: 5 }, []);
    expect(text.split('\n')).toHaveLength(2);
    expect(decodeBackup(text)).toEqual({
      header: { format: BACKUP_FORMAT, version: BACKUP_VERSION, namespace: 'empty', exportedAt: 5, records: 0 },
      entries: [],
    });
  });

  it('tolerates CRLF line ends, no final newline and a byte-order mark', () => {
    const entries = [{ record: makeRecord(), vector: awkwardVector() }, { record: makeRecord({ id: 'r2' }) }];
    const text = encodeBackup(HEADER, entries);
    expectSameEntries(decodeBackup(text.replace(/\n/g, '\r\n')).entries, entries);
    expectSameEntries(decodeBackup(text.slice(0, -1)).entries, entries);
    expectSameEntries(decodeBackup('\uFEFF' + text).entries, entries);
  });

  it('keeps the namespace each record was exported with', () => {
    const text = encodeBackup(HEADER, [{ record: makeRecord({ namespace: 'other' }) }]);
    expect(decodeBackup(text).entries[0]!.record.namespace).toBe('other');
  });

  it('lets only a working-tier record have empty text', () => {
    const working = makeRecord({ tier: 'working', text: '' });
    expect(decodeBackup(encodeBackup(HEADER, [{ record: working }])).entries[0]!.record).toEqual(working);
    const error = catchError(() => decodeBackup(encodeBackup(HEADER, [{ record: makeRecord({ text: '  ' }) }])));
    expect(error).toMatchObject({ code: 'IMPORT_MALFORMED', details: { line: 2, reason: 'TEXT_EMPTY', field: 'record.text' } });
  });

  it('refuses to encode a vector the decoder would refuse', () => {
    const record = makeRecord();
    expect(() => encodeBackup({ namespace: 'ns', exportedAt: 1 }, [{ record, vector: Float32Array.of(1) }])).toThrow(/header/);
    expect(() => encodeBackup(HEADER, [{ record, vector: Float32Array.of(1, 2) }])).toThrow(/2 dimensions/);
    expect(() => encodeBackup(HEADER, [{ record, vector: Float32Array.of(1, NaN, 0, 0) }])).toThrow(/element 1/);
    for (const run of [
      () => encodeBackup({ ...HEADER, namespace: 'bad namespace' }, []),
      () => encodeBackup({ ...HEADER, exportedAt: Number.NaN }, []),
    ]) {
      expect(catchError(run)).toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Malformed files

type Line = Record<string, unknown>;

/** A valid file as objects, to be broken one way per case: header, then records r1, r2, r3 with vectors. */
function validLines(): Line[] {
  const text = encodeBackup(HEADER, [
    { record: makeRecord({ id: 'r1' }), vector: Float32Array.of(1, 0, 0, 0) },
    { record: makeRecord({ id: 'r2' }), vector: Float32Array.of(0, 1, 0, 0) },
    { record: makeRecord({ id: 'r3' }) },
  ]);
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);
}

function join(lines: readonly (Line | string)[]): string {
  return lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n';
}

/** A file whose line `at` (1-based) is changed by `change`. */
function withLine(at: number, change: (line: Line) => Line | string): string {
  const lines: (Line | string)[] = validLines();
  lines[at - 1] = change(lines[at - 1] as Line);
  return join(lines);
}

function withRecord(at: number, change: (record: Line) => Line): string {
  return withLine(at, (line) => ({ ...line, record: change(line['record'] as Line) }));
}

function vectorBase64(floats: number[]): string {
  const bytes = Buffer.alloc(floats.length * 4);
  floats.forEach((x, i) => bytes.writeFloatLE(x, i * 4));
  return bytes.toString('base64');
}

function catchError(run: () => unknown): MnemoError {
  try {
    run();
  } catch (error) {
    if (error instanceof MnemoError) return error;
    throw error;
  }
  throw new Error('expected a MnemoError');
}

const MALFORMED: [name: string, file: () => string, code: ErrorCode, line: number][] = [
  ['empty input', () => '', 'IMPORT_MALFORMED', 1],
  ['only a newline', () => '\n', 'IMPORT_MALFORMED', 1],
  ['truncated: the last record line missing', () => join(validLines().slice(0, 3)), 'IMPORT_MALFORMED', 4],
  ['truncated: only the header', () => join(validLines().slice(0, 1)), 'IMPORT_MALFORMED', 2],
  ['a line past the promised records', () => join([...validLines(), validLines()[3]!]), 'IMPORT_MALFORMED', 5],
  ['a blank line inside', () => join([...validLines().slice(0, 2), '', validLines()[3]!]), 'IMPORT_MALFORMED', 3],
  ['bad JSON on line 3', () => withLine(3, (line) => JSON.stringify(line).slice(0, -2)), 'IMPORT_MALFORMED', 3],
  ['a header that is not JSON', () => withLine(1, () => 'mnemo-backup v1'), 'IMPORT_MALFORMED', 1],
  ['a wrong format', () => withLine(1, (h) => ({ ...h, format: 'other-backup' })), 'IMPORT_MALFORMED', 1],
  ['a record line where the header should be', () => join(validLines().slice(1)), 'IMPORT_MALFORMED', 1],
  ['a future version', () => withLine(1, (h) => ({ ...h, version: BACKUP_VERSION + 1 })), 'IMPORT_VERSION', 1],
  ['a version that is not an integer', () => withLine(1, (h) => ({ ...h, version: '1' })), 'IMPORT_MALFORMED', 1],
  ['an unknown header field', () => withLine(1, (h) => ({ ...h, compressed: true })), 'IMPORT_MALFORMED', 1],
  ['a header record count that is negative', () => withLine(1, (h) => ({ ...h, records: -1 })), 'IMPORT_MALFORMED', 1],
  ['a bad tier', () => withRecord(3, (r) => ({ ...r, tier: 'longTerm' })), 'IMPORT_MALFORMED', 3],
  ['a missing field', () => withRecord(2, ({ createdAt: _, ...r }) => r), 'IMPORT_MALFORMED', 2],
  ['an unknown record field', () => withRecord(4, (r) => ({ ...r, pinned: true })), 'IMPORT_MALFORMED', 4],
  ['an unknown line field', () => withLine(2, (line) => ({ ...line, score: 1 })), 'IMPORT_MALFORMED', 2],
  ['a line without a record', () => withLine(2, ({ vector }) => ({ vector })), 'IMPORT_MALFORMED', 2],
  ['a duplicate id', () => withRecord(4, (r) => ({ ...r, id: 'r2' })), 'IMPORT_MALFORMED', 4],
  ['NaN in a vector', () => withLine(3, (l) => ({ ...l, vector: vectorBase64([0, NaN, 0, 0]) })), 'IMPORT_MALFORMED', 3],
  [
    'Infinity in a vector',
    () => withLine(2, (l) => ({ ...l, vector: vectorBase64([-Infinity, 0, 0, 0]) })),
    'IMPORT_MALFORMED',
    2,
  ],
  ['a vector too short', () => withLine(2, (l) => ({ ...l, vector: vectorBase64([1, 2, 3]) })), 'IMPORT_MALFORMED', 2],
  ['a vector too long', () => withLine(3, (l) => ({ ...l, vector: vectorBase64([1, 2, 3, 4, 5]) })), 'IMPORT_MALFORMED', 3],
  ['a vector of odd bytes', () => withLine(2, (l) => ({ ...l, vector: 'AAAAAAAAAAAAAAAAAAAA' })), 'IMPORT_MALFORMED', 2],
  ['a vector not base64', () => withLine(2, (l) => ({ ...l, vector: 'AAAA!AAAAAAAAAAAAAAAAAAA' })), 'IMPORT_MALFORMED', 2],
  [
    'a vector not canonical base64',
    () => withLine(2, (l) => ({ ...l, vector: 'AAAAAAAAAAAAAAAAAAAAAB==' })),
    'IMPORT_MALFORMED',
    2,
  ],
  ['a vector as an array', () => withLine(2, (l) => ({ ...l, vector: [1, 0, 0, 0] })), 'IMPORT_MALFORMED', 2],
  ['a vector without a header embedding', () => withLine(1, ({ embedding: _, ...h }) => h), 'IMPORT_MALFORMED', 2],
  ['empty text outside the working tier', () => withRecord(2, (r) => ({ ...r, text: '' })), 'IMPORT_MALFORMED', 2],
  ['importance above 1', () => withRecord(2, (r) => ({ ...r, importance: 1.5 })), 'IMPORT_MALFORMED', 2],
  ['strength of zero', () => withRecord(3, (r) => ({ ...r, strength: 0 })), 'IMPORT_MALFORMED', 3],
  ['a fractional access count', () => withRecord(2, (r) => ({ ...r, accessCount: 1.5 })), 'IMPORT_MALFORMED', 2],
  ['a time as an ISO string', () => withRecord(2, (r) => ({ ...r, eventAt: '2024-01-01' })), 'IMPORT_MALFORMED', 2],
  ['an optional field as null', () => withRecord(2, (r) => ({ ...r, speaker: null })), 'IMPORT_MALFORMED', 2],
  ['an empty tag', () => withRecord(4, (r) => ({ ...r, tags: ['ok', ''] })), 'IMPORT_MALFORMED', 4],
  ['meta as an array', () => withRecord(2, (r) => ({ ...r, meta: [] })), 'IMPORT_MALFORMED', 2],
  ['an unknown source kind', () => withRecord(2, (r) => ({ ...r, source: { kind: 'robot' } })), 'IMPORT_MALFORMED', 2],
  ['a bad record embedding', () => withRecord(2, (r) => ({ ...r, embedding: { model: 'm', dims: 0 } })), 'IMPORT_MALFORMED', 2],
  ['a record that is not an object', () => withLine(4, () => ({ record: 'r3' })), 'IMPORT_MALFORMED', 4],
];

describe('decodeBackup refuses a malformed file', () => {
  it('accepts the file the cases start from', () => {
    expect(decodeBackup(join(validLines())).entries).toHaveLength(3);
  });

  for (const [name, file, code, line] of MALFORMED) {
    it(`${name}: ${code} on line ${line}`, () => {
      const error = catchError(() => decodeBackup(file()));
      expect(error.code).toBe(code);
      expect(error.details['line']).toBe(line);
      expect(error.message).toContain(`line ${line}`);
    });
  }

  it('says which id repeats and where it first appeared', () => {
    const error = catchError(() => decodeBackup(withRecord(4, (r) => ({ ...r, id: 'r2' }))));
    expect(error.details).toMatchObject({ line: 4, id: 'r2', firstLine: 3 });
  });

  it('names the field and the validator code of a bad record value', () => {
    const error = catchError(() => decodeBackup(withRecord(3, (r) => ({ ...r, tier: 'longTerm' }))));
    expect(error.details).toMatchObject({ line: 3, field: 'record.tier', reason: 'INVALID_ARGUMENT' });
    expect(error.message).toMatch(/^Backup line 3: record\.tier: /);
  });

  it('reports the version it found and the one it supports', () => {
    const error = catchError(() => decodeBackup(withLine(1, (h) => ({ ...h, version: 7 }))));
    expect(error.details).toEqual({ line: 1, version: 7, supported: BACKUP_VERSION });
  });
});
