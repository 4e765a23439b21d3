// The IndexedDB schema of one namespace's database: its version and the migrations that build it, in order.

import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { ForgetAuditEntry, IndexSnapshot, VectorChunk } from '../core/ports.js';
import type { MemoryRecord, Tier } from '../core/record.js';

/** A vector log entry as stored: `seq` is the auto-incremented key. */
export type StoredLogEntry =
  | { seq?: number; kind: 'put'; model: string; ids: string[]; vectors: Float32Array }
  | { seq?: number; kind: 'delete'; ids: string[] };

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
  /** Small bookkeeping values: the schema history, how far the vector log was folded, the vault, a data loss report. */
  meta: { key: string; value: unknown };
  vectorChunks: { key: [string, number]; value: VectorChunk };
  vectorLog: { key: number; value: StoredLogEntry };
  indexSnapshots: { key: string; value: IndexSnapshot };
  /** Rows found unreadable, moved out of `records` as they were, with why and when (schema version 3). */
  quarantine: { key: string; value: StoredQuarantineEntry };
  /** One entry per forget: when, how many, and hashes of the ids, never the text (schema version 3). */
  forgetLog: { key: number; value: ForgetAuditEntry & { seq?: number } };
}

/** A quarantined row as stored: the raw value, untouched (ciphertext under an encrypting store). */
export interface StoredQuarantineEntry {
  id: string;
  reason: string;
  at: number;
  row: unknown;
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
    recordVersion(tx, 1);
  },
  // 1 -> 2: vectors in chunks, the log of vector changes since the last compaction, index snapshots.
  (db, tx) => {
    db.createObjectStore('vectorChunks', { keyPath: ['model', 'chunk'] });
    db.createObjectStore('vectorLog', { keyPath: 'seq', autoIncrement: true });
    db.createObjectStore('indexSnapshots', { keyPath: 'name' });
    recordVersion(tx, 2);
  },
  // 2 -> 3: a quarantine for unreadable rows, and the audit log of forgets.
  (db, tx) => {
    db.createObjectStore('quarantine', { keyPath: 'id' });
    db.createObjectStore('forgetLog', { keyPath: 'seq', autoIncrement: true });
    recordVersion(tx, 3);
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

function recordVersion(tx: UpgradeTransaction, version: number): void {
  // A failed request aborts the upgrade, which openDB reports; the request's own rejection needs no handler.
  tx.objectStore('meta')
    .put({ version }, 'schema')
    .catch(() => undefined);
}

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
