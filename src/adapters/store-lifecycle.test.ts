// A runtime's database changing under it (fake-indexeddb): a newer version upgrading it from another tab, an old
// tab that will not let go, the database deleted (site data cleared), the connection closed by the browser.
// Each ends in a typed error, never a hang or a memory that silently starts over empty.

import 'fake-indexeddb/auto';
import { forceCloseDatabase } from 'fake-indexeddb';
import { openDB, unwrap, type IDBPDatabase } from 'idb';
import { describe, expect, it } from 'vitest';
import { HashEmbedder } from '../core/embedding/hash-embedder.js';
import { MemoryRuntime } from '../core/runtime.js';
import { ManualClock, codeOf, sequentialIds } from '../core/test-support.js';
import { MIGRATIONS, SCHEMA_VERSION, databaseName, migrate, type Migration } from './idb-schema.js';
import { openIdbStore, type IdbRecordStore } from './idb-store.js';

let n = 0;

// The next schema version, as a later release would append it.
const NEXT = SCHEMA_VERSION + 1;
const nextMigrations: readonly Migration[] = [
  ...MIGRATIONS,
  (_db, tx) => {
    tx.objectStore('meta')
      .put({ version: NEXT }, 'schema')
      .catch(() => undefined);
  },
];

async function runtimeOn(store: IdbRecordStore, namespace: string) {
  return MemoryRuntime.open({
    namespace,
    store,
    clock: new ManualClock(),
    newId: sequentialIds(),
    embedder: new HashEmbedder({ dims: 16 }),
  });
}

async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).map((db) => db.name ?? '');
}

describe('a database changing under a running memory', () => {
  it('a newer version in another tab: the old runtime steps aside and answers STORE_VERSION_CHANGED', async () => {
    const namespace = `upgrade-${++n}`;
    const memory = await runtimeOn(await openIdbStore({ namespace }), namespace);
    await memory.remember({ text: 'Ada prefers green tea' });
    // The other tab's open completes (no blocked wait), because the old connection closed at versionchange.
    const newer = await openIdbStore({ namespace, migrations: nextMigrations, blockedTimeoutMs: 60_000 });
    expect(await newer.count()).toBe(1);
    expect(await codeOf(memory.recall('tea'))).toBe('STORE_VERSION_CHANGED');
    expect(await codeOf(memory.remember({ text: 'more' }))).toBe('STORE_VERSION_CHANGED');
    await newer.close();
    await memory.close();
  });

  it('an old tab that ignores versionchange: the newer one reports STORE_BLOCKED, typed, instead of hanging', async () => {
    const namespace = `blocked-${++n}`;
    // An old release's connection that does not listen for versionchange (raw, not through the store).
    const stubborn = await openDB(databaseName(namespace), SCHEMA_VERSION, {
      upgrade: (db, oldVersion, _newVersion, tx) => migrate(db as never, tx as never, oldVersion),
    });
    const error = await openIdbStore({ namespace, migrations: nextMigrations, blockedTimeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'STORE_BLOCKED',
      retryable: true,
      details: { openVersion: SCHEMA_VERSION, wantedVersion: NEXT },
    });
    stubborn.close();
    // Once it lets go, the upgrade goes through on the next attempt.
    const upgraded = await openIdbStore({ namespace, migrations: nextMigrations });
    await upgraded.close();
    const db = await openDB(databaseName(namespace));
    expect(db.version).toBe(NEXT);
    db.close();
  });

  it('the database deleted under it (site data cleared): STORE_CLEARED, and nothing recreated empty', async () => {
    const namespace = `cleared-${++n}`;
    const name = databaseName(namespace);
    const memory = await runtimeOn(await openIdbStore({ namespace }), namespace);
    await memory.remember({ text: 'Ada prefers green tea' });
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error ?? new Error('delete failed'));
      request.onblocked = () => reject(new Error('the running memory did not let the delete through'));
    });
    expect(await databaseNames()).not.toContain(name);
    expect(await codeOf(memory.recall('tea'))).toBe('STORE_CLEARED');
    expect(await codeOf(memory.remember({ text: 'written after the clear' }))).toBe('STORE_CLEARED');
    expect(await codeOf(memory.list())).toBe('STORE_CLEARED');
    // The failed calls did not quietly create a new, empty database.
    expect(await databaseNames()).not.toContain(name);
    await memory.close();
  });

  it('the connection closed by the browser while the database still exists: STORE_UNAVAILABLE', async () => {
    const namespace = `terminated-${++n}`;
    const store = await openIdbStore({ namespace });
    const memory = await runtimeOn(store, namespace);
    await memory.remember({ text: 'Ada prefers green tea' });
    // What a disk failure looks like from the page: the close event, the database still listed.
    forceCloseDatabase(unwrap((store as unknown as { db: IDBPDatabase }).db) as never);
    expect(await codeOf(memory.recall('tea'))).toBe('STORE_UNAVAILABLE');
    await memory.close();
  });

  it('the connection closed by the browser and the database gone: STORE_CLEARED', async () => {
    const namespace = `terminated-cleared-${++n}`;
    const store = await openIdbStore({ namespace });
    const memory = await runtimeOn(store, namespace);
    await memory.remember({ text: 'Ada prefers green tea' });
    // "Clear site data" in Chromium: the data is deleted and the connection closed. Deleted first here, by a
    // database list that no longer names it (fake-indexeddb cannot delete under an open connection).
    const databases = indexedDB.databases.bind(indexedDB);
    indexedDB.databases = async () => (await databases()).filter((db) => db.name !== databaseName(namespace));
    try {
      forceCloseDatabase(unwrap((store as unknown as { db: IDBPDatabase }).db) as never);
      expect(await codeOf(memory.recall('tea'))).toBe('STORE_CLEARED');
    } finally {
      indexedDB.databases = databases;
    }
    await memory.close();
  });
});
