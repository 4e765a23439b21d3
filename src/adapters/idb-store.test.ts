// The RecordStore contract and the IndexedDB-specific behaviour (schema, version changes, cross-tab changes), on fake-indexeddb.

import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MnemoError } from '../core/errors.js';
import type { StoreChange } from '../core/ports.js';
import { MIGRATIONS, SCHEMA_VERSION, databaseName, migrate, type Migration } from './idb-schema.js';
import { openIdbStore, type IdbRecordStore } from './idb-store.js';
import { sampleRecord, storeContract } from './store-contract.js';

let n = 0;
const opened: IdbRecordStore[] = [];
async function freshStore(namespace = `t${++n}`): Promise<IdbRecordStore> {
  const store = await openIdbStore({ namespace });
  opened.push(store);
  return store;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

describe('IdbRecordStore contract (fake-indexeddb)', () => {
  for (const contractCase of storeContract) {
    it(contractCase.name, async () => contractCase.run(await freshStore()));
  }
});

describe('IdbRecordStore', () => {
  it('keeps records across close and reopen', async () => {
    const first = await freshStore('reopen');
    const record = sampleRecord();
    await first.put([record]);
    await first.close();
    const second = await freshStore('reopen');
    expect(await second.get(record.id)).toEqual(record);
  });

  it('commits writes with strict durability unless a benchmark asks for relaxed', async () => {
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    try {
      await (await freshStore()).put([sampleRecord()]);
      const relaxed = await openIdbStore({ namespace: `t${++n}`, durability: 'relaxed' });
      opened.push(relaxed);
      await relaxed.put([sampleRecord()]);
      const writes = transaction.mock.calls
        .filter(([, mode]) => mode === 'readwrite')
        .map(([, , options]) => options?.durability);
      expect(writes).toEqual(['strict', 'relaxed']);
    } finally {
      transaction.mockRestore();
    }
  });

  it('creates the current schema with its indexes and records the version', async () => {
    await freshStore('schema');
    const db = await openDB(databaseName('schema'));
    expect(db.version).toBe(SCHEMA_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual([
      'forgetLog',
      'indexSnapshots',
      'meta',
      'quarantine',
      'records',
      'vectorChunks',
      'vectorLog',
    ]);
    const tx = db.transaction('records');
    expect([...tx.store.indexNames].sort()).toEqual(['createdAt', 'session_createdAt', 'tier_createdAt']);
    expect(await db.get('meta', 'schema')).toEqual({ version: SCHEMA_VERSION });
    db.close();
  });

  it('steps aside for a newer version and then fails with STORE_VERSION_CHANGED', async () => {
    const store = await freshStore('upgrade');
    await store.put([sampleRecord()]);
    // A newer Mnemo in another tab opens the next version: the old connection must let it through.
    const newer = await openDB(databaseName('upgrade'), SCHEMA_VERSION + 1);
    newer.close();
    await expect(store.count()).rejects.toMatchObject({ code: 'STORE_VERSION_CHANGED' });
  });

  it('refuses a database written by a newer schema with STORE_VERSION_CHANGED', async () => {
    const db = await openDB(databaseName('future'), SCHEMA_VERSION + 5);
    db.close();
    await expect(openIdbStore({ namespace: 'future' })).rejects.toMatchObject({ code: 'STORE_VERSION_CHANGED' });
  });

  // The next schema version, as a later release would append one: it adds an index.
  const NEXT = SCHEMA_VERSION + 1;
  const nextMigrations: readonly Migration[] = [
    ...MIGRATIONS,
    (_db, tx) => {
      tx.objectStore('records').createIndex('eventAt' as never, 'eventAt');
      tx.objectStore('meta')
        .put({ version: NEXT }, 'schema')
        .catch(() => undefined);
    },
  ];

  it('upgrades a version 1 database (records only) to the current schema, keeping its records', async () => {
    // Written as a release with schema version 1 would have written it.
    const v1 = await openDB(databaseName('from-v1'), 1, {
      upgrade: (db, oldVersion, _newVersion, tx) => migrate(db as never, tx as never, oldVersion, MIGRATIONS.slice(0, 1)),
    });
    const record = sampleRecord();
    await v1.put('records', record);
    v1.close();
    const current = await freshStore('from-v1');
    expect(await current.get(record.id)).toEqual(record);
    await current.put([sampleRecord()], [{ id: 'v', model: 'm', vector: Float32Array.of(1, 0) }]);
    expect((await current.readVectorLog(0)).entries).toHaveLength(1);
  });

  it('runs the migrations in order from the version on disk, keeping the data', async () => {
    const before = await freshStore('migrate');
    const record = sampleRecord();
    await before.put([record]);
    await before.close();
    const after = await openIdbStore({ namespace: 'migrate', migrations: nextMigrations });
    opened.push(after);
    expect(await after.get(record.id)).toEqual(record);
    await after.close();
    const db = await openDB(databaseName('migrate'));
    expect(db.version).toBe(NEXT);
    expect([...db.transaction('records').store.indexNames]).toContain('eventAt');
    expect(await db.get('meta', 'schema')).toEqual({ version: NEXT });
    db.close();
  });

  it('gives up with STORE_BLOCKED when an old connection will not close', async () => {
    // An older release that ignores versionchange keeps version 1 open in another tab.
    const stubborn = await openDB(databaseName('blocked'), 1, {
      upgrade: (db, oldVersion, _newVersion, tx) => migrate(db as never, tx as never, oldVersion),
    });
    const attempt = openIdbStore({ namespace: 'blocked', migrations: nextMigrations, blockedTimeoutMs: 50 });
    await expect(attempt).rejects.toMatchObject({ code: 'STORE_BLOCKED', details: { openVersion: 1, wantedVersion: NEXT } });
    stubborn.close();
  });

  it('announces its writes to other stores of the same namespace, not to itself', async () => {
    const writer = await freshStore('broadcast');
    const reader = await freshStore('broadcast');
    const seenByReader: StoreChange[] = [];
    const seenByWriter: StoreChange[] = [];
    reader.subscribe((change) => seenByReader.push(change));
    writer.subscribe((change) => seenByWriter.push(change));
    const record = sampleRecord();
    await writer.put([record]);
    await writer.delete([record.id, 'missing']);
    await expect.poll(() => seenByReader.length).toBe(2);
    expect(seenByReader).toEqual([
      { kind: 'put', ids: [record.id] },
      { kind: 'delete', ids: [record.id] },
    ]);
    expect(seenByWriter).toEqual([]);
  });

  it('fails every call with CLOSED after close', async () => {
    const store = await freshStore();
    await store.close();
    const error = await store.get('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MnemoError);
    expect(error).toMatchObject({ code: 'CLOSED' });
  });

  it('writes a batch atomically: an uncloneable record leaves nothing behind', async () => {
    const store = await freshStore();
    const good = sampleRecord();
    const bad = { ...sampleRecord(), meta: { fn: (() => 1) as unknown as string } };
    await expect(store.put([good, bad])).rejects.toBeInstanceOf(MnemoError);
    expect(await store.count()).toBe(0);
  });
});
