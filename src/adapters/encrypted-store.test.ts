// Encryption at rest on fake-indexeddb: the store contract through the decorator, what lies on disk, the
// passphrase errors, passphrase change, tampering, and turning encryption on for stored rows.

import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { HashEmbedder } from '../core/embedding/hash-embedder.js';
import { MemoryRuntime } from '../core/runtime.js';
import { ManualClock, codeOf, errorOf, sequentialIds } from '../core/test-support.js';
import type { RecordStore, VectorChunk } from '../core/ports.js';
import { ENCRYPTED_STORE_METHODS, openEncryptedStore, type EncryptedStore } from './encrypted-store.js';
import { databaseName } from './idb-schema.js';
import { openIdbStore } from './idb-store.js';
import { DEFAULT_ITERATIONS, VAULT_META_KEY } from './key-vault.js';
import { sampleRecord, storeContract } from './store-contract.js';

// Tests use few PBKDF2 iterations; one test checks the default.
const FAST = 1_000;
const CANARY = 'CANARY-7f3e-personal-secret';
let n = 0;
const opened: RecordStore[] = [];

async function open(namespace: string, passphrase?: string, iterations = FAST): Promise<EncryptedStore> {
  const idb = await openIdbStore({ namespace, broadcast: false });
  try {
    const store = await openEncryptedStore(idb, { namespace, iterations, ...(passphrase !== undefined && { passphrase }) });
    opened.push(store);
    return store;
  } catch (error) {
    await idb.close();
    throw error;
  }
}

/** Every object store's rows, raw, as one string of their bytes and text (what a disk reader sees). */
async function rawDump(namespace: string): Promise<{ text: string; rows: Record<string, unknown[]> }> {
  const db = await openDB(databaseName(namespace));
  const rows: Record<string, unknown[]> = {};
  for (const name of db.objectStoreNames) rows[name] = await db.getAll(name);
  db.close();
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') parts.push(value);
    else if (ArrayBuffer.isView(value))
      parts.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1'));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) Object.entries(value).forEach(([k, v]) => (parts.push(k), walk(v)));
    else parts.push(String(value));
  };
  walk(rows);
  return { text: parts.join('\n'), rows };
}

const canaryVector = () => Float32Array.from({ length: 16 }, (_, i) => (i + 1) / 100 + 0.123456);
const bytesOf = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1');

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

describe('EncryptedStore: the RecordStore contract', () => {
  for (const contractCase of storeContract) {
    it(`encrypted: ${contractCase.name}`, async () => contractCase.run(await open(`contract-on-${++n}`, 'pass')));
    it(`not encrypted: ${contractCase.name}`, async () => contractCase.run(await open(`contract-off-${++n}`)));
  }
});

describe('EncryptedStore on disk', () => {
  it('stores no plaintext text, metadata, session, tier or vector, and reads everything back', async () => {
    const ns = `disk-${++n}`;
    const store = await open(ns, 'correct horse');
    const record = sampleRecord({
      text: `${CANARY} text`,
      sessionId: `${CANARY}-session`,
      meta: { note: `${CANARY} meta` },
      tier: 'semantic',
    });
    const vector = canaryVector();
    await store.put([record], [{ id: record.id, model: 'm', vector }]);
    await store.compactVectors({
      model: 'm',
      chunks: [{ chunk: 0, model: 'm', dims: 16, ids: [record.id], data: vector }],
      removeChunks: [],
      throughSeq: 0,
      previousThroughSeq: 0,
      snapshot: { name: 'hnsw', model: 'm', throughSeq: 0, bytes: new TextEncoder().encode(`${CANARY} snapshot`) },
    });
    const { text, rows } = await rawDump(ns);
    // Positive control: the dump does see what is stored clear (the record id).
    expect(text).toContain(record.id);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain('semantic');
    expect(text).not.toContain(bytesOf(vector));
    expect(text).not.toContain(bytesOf(vector.subarray(0, 4)));
    expect(Object.keys(rows['records']![0] as object).sort()).toEqual(['createdAt', 'id', 'sealed', 'sessionId', 'tier']);

    expect(await store.get(record.id)).toEqual(record);
    expect(
      (await store.list({ sessionId: record.sessionId!, tier: 'semantic', limit: 5, order: 'asc' })).map((r) => r.id),
    ).toEqual([record.id]);
    const log = await store.readVectorLog(0);
    expect(log.entries[0]!.kind === 'put' && Array.from(log.entries[0]!.vectors)).toEqual(Array.from(vector));
    const chunks: VectorChunk[] = [];
    for await (const chunk of store.readVectorChunks('m')) chunks.push(chunk);
    expect(Array.from(chunks[0]!.data)).toEqual(Array.from(vector));
    expect(new TextDecoder().decode((await store.readIndexSnapshot('hnsw'))!.bytes)).toBe(`${CANARY} snapshot`);
  });

  it('the same canary is found in an unencrypted namespace (the check above can fail)', async () => {
    const ns = `plain-${++n}`;
    const store = await open(ns);
    const record = sampleRecord({ text: `${CANARY} text` });
    await store.put([record], [{ id: record.id, model: 'm', vector: canaryVector() }]);
    const { text } = await rawDump(ns);
    expect(text).toContain(CANARY);
    expect(text).toContain(bytesOf(canaryVector()));
    expect(store.status()).toEqual({ enabled: false });
  });

  it('uses a fresh IV for every write: the same record written 200 times never repeats an IV or a ciphertext', async () => {
    const ns = `iv-${++n}`;
    const store = await open(ns, 'pass');
    const record = sampleRecord({ text: 'always the same' });
    const ivs = new Set<string>();
    const sealed = new Set<string>();
    for (let i = 0; i < 200; i++) {
      await store.put([record]);
      const row = (await rawDump(ns)).rows['records']![0] as { sealed: Uint8Array };
      ivs.add(Buffer.from(row.sealed.subarray(0, 12)).toString('hex'));
      sealed.add(Buffer.from(row.sealed).toString('hex'));
    }
    expect(ivs.size).toBe(200);
    expect(sealed.size).toBe(200);
  });
});

describe('EncryptedStore passphrases', () => {
  it('refuses to open an encrypted namespace without its passphrase (LOCKED) or with a wrong one, reading nothing', async () => {
    const ns = `locked-${++n}`;
    const store = await open(ns, 'right');
    const record = sampleRecord({ text: CANARY });
    await store.put([record]);
    await store.close();
    expect(await codeOf(open(ns))).toBe('LOCKED');
    const error = await errorOf(open(ns, 'hunter2-wrong'));
    expect(error.code).toBe('WRONG_PASSPHRASE');
    expect(JSON.stringify(error.toJSON()) + error.message).not.toContain('hunter2');
    expect(await (await open(ns, 'right')).get(record.id)).toEqual(record);
  });

  it('changes the passphrase by rewrapping the key only: rows keep their ciphertext', async () => {
    const ns = `change-${++n}`;
    const store = await open(ns, 'old pass');
    const record = sampleRecord({ text: CANARY });
    await store.put([record]);
    const before = (await rawDump(ns)).rows;
    expect(await codeOf(store.changePassphrase('not it', 'new pass'))).toBe('WRONG_PASSPHRASE');
    await store.changePassphrase('old pass', 'new pass');
    const after = (await rawDump(ns)).rows;
    expect(after['records']).toEqual(before['records']);
    expect(after['meta']).not.toEqual(before['meta']);
    expect(await store.get(record.id)).toEqual(record);
    await store.close();
    expect(await codeOf(open(ns, 'old pass'))).toBe('WRONG_PASSPHRASE');
    expect(await (await open(ns, 'new pass')).get(record.id)).toEqual(record);
  });

  it('changing the passphrase of a plaintext namespace is NOT_ENCRYPTED; bad passphrases are INVALID_ARGUMENT', async () => {
    const store = await open(`plain-change-${++n}`);
    expect(await codeOf(store.changePassphrase('a', 'b'))).toBe('NOT_ENCRYPTED');
    expect(await codeOf(open(`bad-${++n}`, ''))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(store.enable(42 as unknown as string))).toBe('INVALID_ARGUMENT');
  });

  it('stores PBKDF2-SHA256 at 600,000 iterations by default, with a salt, never the passphrase', async () => {
    const ns = `default-${++n}`;
    const store = await open(ns, 'a passphrase nobody stores', DEFAULT_ITERATIONS);
    expect(store.status()).toMatchObject({ enabled: true, kdf: 'PBKDF2-SHA256', iterations: 600_000, cipher: 'AES-GCM-256' });
    const db = await openDB(databaseName(ns));
    const entry = (await db.get('meta', VAULT_META_KEY)) as { iterations: number; salt: Uint8Array };
    db.close();
    expect(entry.iterations).toBeGreaterThanOrEqual(600_000);
    expect(entry.salt.length).toBe(16);
    expect((await rawDump(ns)).text).not.toContain('a passphrase nobody stores');
  });
});

describe('EncryptedStore tampering', () => {
  it('an altered or swapped row reads as an unreadable placeholder for quarantine; the other rows keep working', async () => {
    const ns = `tamper-${++n}`;
    const store = await open(ns, 'pass');
    const [a, b, c] = [sampleRecord({ text: 'a' }), sampleRecord({ text: 'b' }), sampleRecord({ text: 'c' })];
    await store.put([a, b, c], [{ id: a.id, model: 'm', vector: canaryVector() }]);
    await store.compactVectors({
      model: 'm',
      chunks: [{ chunk: 0, model: 'm', dims: 2, ids: [a.id, b.id], data: Float32Array.of(1, 0, 0, 1) }],
      removeChunks: [],
      throughSeq: 0,
      previousThroughSeq: 0,
      snapshot: { name: 'hnsw', model: 'm', throughSeq: 0, bytes: Uint8Array.of(1, 2, 3) },
    });
    const db = await openDB(databaseName(ns));
    const rowA = (await db.get('records', a.id)) as { sealed: Uint8Array };
    rowA.sealed[20]! ^= 1;
    await db.put('records', rowA);
    // b's ciphertext moved under c's id: the id is the additional data, so it fails to open.
    await db.put('records', { ...((await db.get('records', b.id)) as object), id: c.id });
    const chunk = (await db.get('vectorChunks', ['m', 0])) as { sealed: Uint8Array };
    chunk.sealed[chunk.sealed.length - 1]! ^= 0xff;
    await db.put('vectorChunks', chunk);
    const snapshot = (await db.get('indexSnapshots', 'hnsw')) as { sealed: Uint8Array };
    snapshot.sealed[13]! ^= 1;
    await db.put('indexSnapshots', snapshot);
    const logRows = (await db.getAll('vectorLog')) as { vectors: Float32Array }[];
    new Uint8Array(logRows[0]!.vectors.buffer)[30]! ^= 1;
    await db.put('vectorLog', logRows[0]!);
    db.close();

    const readA = (await store.get(a.id)) as unknown as Record<string, unknown>;
    expect(readA['id']).toBe(a.id);
    expect(readA['unreadable']).toContain('decrypt');
    expect(readA['text']).toBeUndefined();
    expect(((await store.get(c.id)) as unknown as Record<string, unknown>)['unreadable']).toContain('decrypt');
    expect(await store.get(b.id)).toEqual(b);
    const all: unknown[] = [];
    for await (const batch of store.scan(10)) all.push(...batch);
    expect(all.filter((r) => (r as { unreadable?: string }).unreadable !== undefined)).toHaveLength(2);
    const chunks: VectorChunk[] = [];
    for await (const read of store.readVectorChunks('m')) chunks.push(read);
    expect(chunks[0]!.ids).toEqual([a.id, b.id]);
    expect(Array.from(chunks[0]!.data).every(Number.isNaN)).toBe(true);
    expect(await store.readIndexSnapshot('hnsw')).toBeUndefined();
    const entry = (await store.readVectorLog(0)).entries[0]!;
    expect(entry.kind === 'put' && entry.vectors.length === 16 && Array.from(entry.vectors).every(Number.isNaN)).toBe(true);
  });
});

describe('Turning encryption on for a stored namespace', () => {
  async function seedPlain(ns: string) {
    const store = await open(ns);
    const records = Array.from({ length: 30 }, (_, i) =>
      sampleRecord({ text: `${CANARY} number ${i}`, sessionId: i % 2 ? 'odd' : 'even' }),
    );
    const vectors = records.map((r, i) => ({ id: r.id, model: 'm', vector: Float32Array.from(canaryVector(), (x) => x + i) }));
    await store.put(records.slice(0, 20), vectors.slice(0, 20));
    await store.compactVectors({
      model: 'm',
      chunks: [
        {
          chunk: 0,
          model: 'm',
          dims: 16,
          ids: records.slice(0, 20).map((r) => r.id),
          data: concat(vectors.slice(0, 20).map((v) => v.vector)),
        },
      ],
      removeChunks: [],
      throughSeq: (await store.readVectorLog(0)).entries[0]!.seq,
      previousThroughSeq: 0,
      snapshot: { name: 'hnsw', model: 'm', throughSeq: 1, bytes: new TextEncoder().encode(CANARY) },
    });
    await store.put(records.slice(20), vectors.slice(20));
    // A row quarantined before encryption was turned on is sealed too.
    const db = await openDB(databaseName(ns));
    await db.put('quarantine', { id: 'q1', reason: 'test', at: 1, row: { text: `${CANARY} quarantined`, big: 1n } });
    db.close();
    return { store, records, vectors };
  }

  it('seals every stored row in one go; everything reads back the same', async () => {
    const ns = `enable-${++n}`;
    const { store, records, vectors } = await seedPlain(ns);
    const read = async (s: RecordStore) => ({
      records: await s.getMany(records.map((r) => r.id)),
      odd: (await s.list({ sessionId: 'odd', limit: 100, order: 'asc' })).map((r) => r.id),
      log: (await s.readVectorLog(0)).entries,
      chunks: await collect(s.readVectorChunks('m')),
      snapshot: await s.readIndexSnapshot('hnsw'),
    });
    const before = await read(store);
    expect((await rawDump(ns)).text).toContain(CANARY);
    await store.enable('turned on');
    expect(store.status().enabled).toBe(true);
    const dump = await rawDump(ns);
    expect(dump.text).not.toContain(CANARY);
    expect(dump.text).not.toContain(bytesOf(vectors[25]!.vector));
    expect(dump.text).not.toContain(bytesOf(vectors[3]!.vector));
    expect(await read(store)).toEqual(before);
    await store.close();
    const reopened = await open(ns, 'turned on');
    expect(await read(reopened)).toEqual(before);
    expect(before.odd).toHaveLength(15);
  });

  it('a failure while sealing leaves the namespace as it was: plaintext, no key, every row readable', async () => {
    const ns = `enable-fail-${++n}`;
    const { store, records } = await seedPlain(ns);
    // A row whose JSON cannot be written (a BigInt) makes sealing fail after other rows were sealed.
    const db = await openDB(databaseName(ns));
    await db.put('records', { ...sampleRecord(), meta: { big: 10n } });
    db.close();
    const before = (await rawDump(ns)).rows;
    await expect(store.enable('never')).rejects.toThrow();
    expect(store.status().enabled).toBe(false);
    expect((await rawDump(ns)).rows).toEqual(before);
    expect(await store.get(records[0]!.id)).toEqual(records[0]);
  });

  it('a runtime opened before another turned encryption on gets LOCKED, never writes plaintext next to sealed rows', async () => {
    const ns = `two-runtimes-${++n}`;
    const early = await open(ns);
    const late = await open(ns);
    await late.enable('second tab');
    const record = sampleRecord({ text: CANARY });
    expect(await codeOf(early.put([record]))).toBe('LOCKED');
    await late.put([sampleRecord()]);
    expect(await codeOf(early.list({ limit: 10, order: 'asc' }))).toBe('LOCKED');
    await late.compactVectors({
      model: 'm',
      chunks: [{ chunk: 0, model: 'm', dims: 2, ids: ['x'], data: Float32Array.of(1, 0) }],
      removeChunks: [],
      throughSeq: 0,
      previousThroughSeq: 0,
      snapshot: { name: 'hnsw', model: 'm', throughSeq: 0, bytes: Uint8Array.of(1) },
    });
    expect(await codeOf(collect(early.readVectorChunks('m')))).toBe('LOCKED');
    expect(await codeOf(early.readIndexSnapshot('hnsw'))).toBe('LOCKED');
    expect((await rawDump(ns)).text).not.toContain(CANARY);
  });

  it('calls made while encryption is being turned on all land, sealed', async () => {
    const ns = `enable-race-${++n}`;
    const { store } = await seedPlain(ns);
    const extra = Array.from({ length: 20 }, (_, i) => sampleRecord({ text: `${CANARY} late ${i}` }));
    const results = await Promise.all([
      store.enable('racing'),
      ...extra.map((r, i) =>
        store.put([r], [{ id: r.id, model: 'm', vector: Float32Array.from(canaryVector(), (x) => x * (i + 2)) }]),
      ),
      ...extra.map((r) => store.get(r.id)),
    ]);
    expect(results).toHaveLength(41);
    expect((await rawDump(ns)).text).not.toContain(CANARY);
    expect(await store.getMany(extra.map((r) => r.id))).toEqual(extra);
    const log = await store.readVectorLog(0);
    for (const entry of log.entries) if (entry.kind === 'put') expect(entry.vectors.some(Number.isNaN)).toBe(false);
  });
});

describe('EncryptedStore wiring', () => {
  it('forwards the optional port methods the inner store has, and only those', async () => {
    const idb = await openIdbStore({ namespace: `fwd-${++n}`, broadcast: false });
    const store = await openEncryptedStore(idb, { namespace: `fwd-${n}`, iterations: FAST, passphrase: 'p' });
    opened.push(store);
    for (const [name, kind] of Object.entries(ENCRYPTED_STORE_METHODS)) {
      const inner = (idb as unknown as Record<string, unknown>)[name];
      const outer = (store as unknown as Record<string, unknown>)[name];
      if (kind === 'forwarded') expect(typeof outer, name).toBe(typeof inner);
      else expect(typeof outer, name).toBe('function');
    }
  });

  it('a runtime over an encrypted store remembers, recalls, lists by session, and reopens with its passphrase', async () => {
    const ns = `runtime-${++n}`;
    const first = await open(ns, 'pw');
    const runtime = await MemoryRuntime.open({
      namespace: ns,
      store: first,
      encryption: first,
      clock: new ManualClock(),
      newId: sequentialIds(),
    });
    await runtime.remember([
      { text: `Ada drinks green tea ${CANARY}`, sessionId: 'chat-1' },
      { text: 'Ada lives in Lisbon', sessionId: 'chat-2' },
    ]);
    expect((await runtime.stats()).encryption).toMatchObject({ enabled: true, iterations: FAST });
    await runtime.close();
    expect((await rawDump(ns)).text).not.toContain(CANARY);
    const store = await open(ns, 'pw');
    const again = await MemoryRuntime.open({
      namespace: ns,
      store,
      encryption: store,
      clock: new ManualClock(),
      newId: sequentialIds('b'),
    });
    expect((await again.recall('green tea'))[0]?.record.text).toContain('green tea');
    expect((await again.list({ sessionId: 'chat-2' })).map((r) => r.text)).toEqual(['Ada lives in Lisbon']);
    expect(await codeOf(again.admit(undefined))).toBe('LOCKED');
    expect(await codeOf(again.admit('nope'))).toBe('WRONG_PASSPHRASE');
    await again.admit('pw');
    await again.close();
  });
});

describe('EncryptedStore under the runtime: damage is quarantined, not fatal', () => {
  it('a tampered record is quarantined (still sealed), its tampered vector left out, and the rest keeps working', async () => {
    const ns = `quarantine-${++n}`;
    const first = await open(ns, 'pw');
    const runtime = await MemoryRuntime.open({
      namespace: ns,
      store: first,
      encryption: first,
      clock: new ManualClock(),
      newId: sequentialIds(),
    });
    const [bad, good] = await runtime.remember([{ text: `${CANARY} tampered one` }, { text: 'Ada drinks green tea' }]);
    await runtime.close();
    const db = await openDB(databaseName(ns));
    const row = (await db.get('records', bad!.id)) as { sealed: Uint8Array };
    row.sealed[row.sealed.length - 1]! ^= 1;
    await db.put('records', row);
    db.close();

    const store = await open(ns, 'pw');
    const again = await MemoryRuntime.open({
      namespace: ns,
      store,
      encryption: store,
      clock: new ManualClock(),
      newId: sequentialIds('b'),
    });
    const stats = await again.stats();
    expect(stats.quarantine.records).toBe(1);
    expect(stats.quarantine.items[0]?.id).toBe(bad!.id);
    expect(stats.records).toBe(1);
    expect(await again.get(bad!.id)).toBeUndefined();
    expect((await again.recall('green tea'))[0]?.record.id).toBe(good!.id);
    await again.close();
    const dump = await rawDump(ns);
    expect(dump.rows['quarantine']).toHaveLength(1);
    expect(dump.text).not.toContain(CANARY);
  });
});

describe('EncryptedStore under the runtime: a tampered vector chunk', () => {
  it("leaves the chunk's vectors out, re-embeds them, and the memory checks out whole", async () => {
    const ns = `chunk-damage-${++n}`;
    const deps = { namespace: ns, clock: new ManualClock(), embedder: new HashEmbedder() };
    const first = await open(ns, 'pw');
    const runtime = await MemoryRuntime.open({ ...deps, store: first, encryption: first, newId: sequentialIds() });
    const [a, b, c] = await runtime.remember([{ text: 'Ada keeps bees' }, { text: 'Bob bakes bread' }, { text: 'to forget' }]);
    // A forget compacts at once: the two vectors left are sealed into a chunk.
    await runtime.forget(c!.id);
    await runtime.close();
    const db = await openDB(databaseName(ns));
    const chunks = (await db.getAll('vectorChunks')) as { sealed: Uint8Array; ids: (string | null)[] }[];
    expect(chunks.length).toBe(1);
    expect(chunks[0]!.ids.filter((id) => id !== null).sort()).toEqual([a!.id, b!.id].sort());
    chunks[0]!.sealed[40]! ^= 0x80;
    await db.put('vectorChunks', chunks[0]!);
    db.close();

    const store = await open(ns, 'pw');
    const again = await MemoryRuntime.open({ ...deps, store, encryption: store, newId: sequentialIds('b') });
    expect((await again.stats()).quarantine.vectors).toBe(2);
    await again.reembed();
    const report = await again.checkIntegrity();
    expect(report.problems).toEqual([]);
    expect(report.vectors?.count).toBe(2);
    expect((await again.recall('bees'))[0]?.record.id).toBe(a!.id);
    await again.close();
  });
});

function concat(vectors: Float32Array[]): Float32Array {
  const out = new Float32Array(vectors.reduce((sum, v) => sum + v.length, 0));
  let at = 0;
  for (const v of vectors) {
    out.set(v, at);
    at += v.length;
  }
  return out;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
