// The vault's own connection to a namespace's database: the vault entry in `meta`, and turning encryption on
// for rows already stored (all of them re-sealed and the entry written in one transaction: all or nothing).

import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { MnemoError } from '../core/errors.js';
import type { IndexSnapshot, VectorChunk } from '../core/ports.js';
import type { MemoryRecord } from '../core/record.js';
import { sealChunk, sealLogEntry, sealQuarantined, sealRecord, sealSnapshot } from './encrypted-store-rows.js';
import { databaseName, type MnemoDbSchema } from './idb-schema.js';
import { VAULT_META_KEY, checkVaultEntry, type DataKeys, type VaultEntry } from './key-vault.js';

type Db = IDBPDatabase<MnemoDbSchema>;
const STORES = ['records', 'vectorChunks', 'vectorLog', 'indexSnapshots', 'quarantine', 'meta'] as const;
/** Tries when another tab keeps changing the rows while they are being sealed. */
const ATTEMPTS = 3;

export class IdbVaultAccess {
  private constructor(
    private readonly db: Db,
    readonly namespace: string,
  ) {}

  /** Opens the database at whatever version it has: call it after the store opened (and migrated) it. */
  static async open(namespace: string): Promise<IdbVaultAccess> {
    const db = await openDB<MnemoDbSchema>(databaseName(namespace), undefined, {
      // Never in the way of a newer version's upgrade; the store reports that change to the runtime.
      blocking: () => db.close(),
    });
    return new IdbVaultAccess(db, namespace);
  }

  async readEntry(): Promise<VaultEntry | undefined> {
    const value = await this.db.get('meta', VAULT_META_KEY);
    return value === undefined ? undefined : checkVaultEntry(value);
  }

  async writeEntry(entry: VaultEntry): Promise<void> {
    await this.db.put('meta', entry, VAULT_META_KEY);
  }

  /**
   * Seals every plaintext row and stores `entry`, in one transaction. The rows are read in one transaction and
   * sealed outside any (WebCrypto is asynchronous, which would let a transaction commit early), then written
   * in another that first checks nothing changed meanwhile; if something did, it starts over.
   */
  async encryptExisting(keys: DataKeys, entry: VaultEntry): Promise<{ records: number }> {
    for (let attempt = 1; ; attempt++) {
      const before = await this.readAll();
      if (before.entry !== undefined) {
        throw new MnemoError(
          'LOCKED',
          `Encryption was turned on for "${this.namespace}" meanwhile; reopen it with its passphrase.`,
          {
            details: { namespace: this.namespace },
          },
        );
      }
      const sealed = {
        records: await Promise.all(before.records.map((r) => sealRecord(keys, r))),
        chunks: await Promise.all(before.chunks.map((c) => sealChunk(keys, c))),
        log: await Promise.all(before.log.map((e) => sealLogEntry(keys, e))),
        snapshots: await Promise.all(before.snapshots.map((s) => sealSnapshot(keys, s))),
        quarantine: await Promise.all(
          before.quarantine.map(async (q) => ({ ...q, row: await sealQuarantined(keys, q.id, q.row) })),
        ),
      };
      const tx = this.db.transaction(STORES, 'readwrite');
      const done = tx.done;
      done.catch(() => undefined);
      const now = await readFingerprint(tx);
      if (now !== before.fingerprint) {
        tx.abort();
        if (attempt >= ATTEMPTS) {
          throw new MnemoError('STORE_FAILURE', `"${this.namespace}" kept changing while encryption was turned on; try again.`, {
            retryable: true,
          });
        }
        continue;
      }
      const records = tx.objectStore('records');
      const chunks = tx.objectStore('vectorChunks');
      const log = tx.objectStore('vectorLog');
      const snapshots = tx.objectStore('indexSnapshots');
      const writes: Promise<unknown>[] = [
        ...sealed.records.map((row) => records.put(row as unknown as MemoryRecord)),
        ...sealed.chunks.map((row) => chunks.put(row as unknown as VectorChunk)),
        ...sealed.log.map((row) => log.put(row)),
        ...sealed.snapshots.map((row) => snapshots.put(row as unknown as IndexSnapshot)),
        ...sealed.quarantine.map((row) => tx.objectStore('quarantine').put(row)),
        tx.objectStore('meta').put(entry, VAULT_META_KEY),
      ];
      for (const write of writes) write.catch(() => undefined);
      await done;
      return { records: sealed.records.length };
    }
  }

  close(): void {
    this.db.close();
  }

  private async readAll() {
    const tx = this.db.transaction(STORES, 'readonly');
    const [records, chunks, log, snapshots, quarantine, entry, fold] = await Promise.all([
      tx.objectStore('records').getAll(),
      tx.objectStore('vectorChunks').getAll(),
      tx.objectStore('vectorLog').getAll(),
      tx.objectStore('indexSnapshots').getAll(),
      tx.objectStore('quarantine').getAll(),
      tx.objectStore('meta').get(VAULT_META_KEY),
      tx.objectStore('meta').get(FOLD_KEY),
      tx.done,
    ]);
    const fingerprint = fingerprintOf(
      records,
      chunks.map((c) => [c.model, c.chunk]),
      log.map((e) => e.seq),
      snapshots.map((s) => s.name),
      fold,
    );
    return { records, chunks, log, snapshots, quarantine, entry, fingerprint };
  }
}

type StoresTx = IDBPTransaction<MnemoDbSchema, (typeof STORES)[number][], IDBTransactionMode>;
const FOLD_KEY = 'vectorFold';

/** Changes whenever a row of these stores is written: record ids and update times, log and chunk keys, the fold. */
async function readFingerprint(tx: StoresTx): Promise<string> {
  const [records, chunkKeys, logKeys, snapshotKeys, fold] = await Promise.all([
    tx.objectStore('records').getAll(),
    tx.objectStore('vectorChunks').getAllKeys(),
    tx.objectStore('vectorLog').getAllKeys(),
    tx.objectStore('indexSnapshots').getAllKeys(),
    tx.objectStore('meta').get(FOLD_KEY),
  ]);
  return fingerprintOf(records, chunkKeys, logKeys, snapshotKeys, fold);
}

function fingerprintOf(
  records: readonly MemoryRecord[],
  chunkKeys: readonly unknown[],
  logKeys: readonly unknown[],
  snapshotKeys: readonly unknown[],
  fold: unknown,
): string {
  return JSON.stringify([records.map((r) => [r.id, r.updatedAt]), chunkKeys, logKeys, snapshotKeys, fold ?? null]);
}
