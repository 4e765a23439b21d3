// The IndexedDB schema of one namespace's database: its version and the migrations that build it, in order.

import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { MemoryRecord, Tier } from '../core/record.js';

export interface MnemoDbSchema extends DBSchema {
  records: {
    key: string;
    value: MemoryRecord;
    indexes: {
      createdAt: number;
      tier_createdAt: [Tier, number];
      session_createdAt: [string, number];
    };
  };
  /** Small bookkeeping values (schema history now; index snapshots' descriptors later). */
  meta: { key: string; value: unknown };
}

type UpgradeTransaction = IDBPTransaction<MnemoDbSchema, StoreNames<MnemoDbSchema>[], 'versionchange'>;
export type Migration = (db: IDBPDatabase<MnemoDbSchema>, tx: UpgradeTransaction) => void;

/** MIGRATIONS[v] upgrades a database from version v to v + 1. Never edit a released entry: append one. */
export const MIGRATIONS: readonly Migration[] = [
  // 0 -> 1: records with the indexes `list` pages through, and a meta store.
  (db, tx) => {
    const records = db.createObjectStore('records', { keyPath: 'id' });
    records.createIndex('createdAt', 'createdAt');
    records.createIndex('tier_createdAt', ['tier', 'createdAt']);
    records.createIndex('session_createdAt', ['sessionId', 'createdAt']);
    db.createObjectStore('meta');
    void tx.objectStore('meta').put({ version: 1 }, 'schema');
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function databaseName(namespace: string): string {
  return `mnemo:${namespace}`;
}

/** Runs every migration from `oldVersion` up to the last one, in order, inside the upgrade transaction. */
export function migrate(
  db: IDBPDatabase<MnemoDbSchema>,
  tx: UpgradeTransaction,
  oldVersion: number,
  migrations: readonly Migration[] = MIGRATIONS,
): void {
  for (let version = oldVersion; version < migrations.length; version++) {
    const migration = migrations[version];
    if (!migration) throw new Error(`No migration from schema version ${version}`);
    migration(db, tx);
  }
}
