// The IndexedDB RecordStore (through idb): one database per namespace, changes announced to other tabs.

import { openDB, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { MnemoError, type ErrorCode } from '../core/errors.js';
import type {
  DataLossReport,
  ForgetAuditEntry,
  IndexSnapshot,
  ListQuery,
  QuarantineEntry,
  RecordStore,
  StoreChange,
  StoreEstimate,
  VectorChunk,
  VectorCompaction,
  VectorLogEntry,
  VectorWrite,
} from '../core/ports.js';
import type { MemoryRecord } from '../core/record.js';
import { packVectorWrites } from '../core/vectors/vector-log.js';
import { DATA_LOSS_KEY, clearDataLoss, dataLossOf, recordDataLoss, storedDataLoss } from './idb-data-loss.js';
import { MIGRATIONS, databaseName, migrate, type Migration, type MnemoDbSchema } from './idb-schema.js';

export interface IdbStoreOptions {
  namespace: string;
  /** How long to wait for other tabs to close an older version before failing with STORE_BLOCKED. */
  blockedTimeoutMs?: number;
  /** Announce writes to other runtimes over BroadcastChannel and listen to theirs; default true. */
  broadcast?: boolean;
  /** @internal Tests substitute a longer migration list to exercise upgrades. */
  migrations?: readonly Migration[];
  /**
   * @internal Benchmarks compare the durability of write transactions; default (and the only safe choice) 'strict'.
   * With 'relaxed' a killed browser can lose acknowledged commits (docs/RELIABILITY.md, Crash safety).
   */
  durability?: 'strict' | 'relaxed';
}

type Db = IDBPDatabase<MnemoDbSchema>;
type WriteTx<S extends StoreNames<MnemoDbSchema>[]> = IDBPTransaction<MnemoDbSchema, S, 'readwrite'>;
const FOLD_KEY = 'vectorFold';
/** How long to wait for `indexedDB.databases()` after the browser closed the connection, and how often. */
const DATABASES_WAIT_MS = 200;
const DATABASES_TRIES = 5;
/** Chunks per read transaction when loading vectors. */
const READ_GROUP = 8;

export async function openIdbStore(options: IdbStoreOptions): Promise<IdbRecordStore> {
  const name = databaseName(options.namespace);
  const migrations = options.migrations ?? MIGRATIONS;
  const version = migrations.length;
  let store: IdbRecordStore | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let gaveUp = false;

  const opening = openDB<MnemoDbSchema>(name, version, {
    upgrade: (db, oldVersion, _newVersion, tx, event) => {
      // An aborted upgrade is reported by openDB itself; idb's `done` promise for it needs a handler too.
      tx.done.catch(() => undefined);
      migrate(db, tx, oldVersion, migrations);
      // Chromium deleted the database as corrupt and this open creates it anew: say so until acknowledged.
      const loss = dataLossOf(event, Date.now());
      if (loss) recordDataLoss(db, tx, loss);
    },
    blocked: (currentVersion) => {
      timer ??= setTimeout(() => {
        gaveUp = true;
        rejectBlocked(
          new MnemoError(
            'STORE_BLOCKED',
            `Another tab keeps version ${currentVersion} of "${name}" open; close it or reload it.`,
            {
              details: { database: name, openVersion: currentVersion, wantedVersion: version },
            },
          ),
        );
      }, options.blockedTimeoutMs ?? 10_000);
    },
    // A newer Mnemo in another tab wants to upgrade, or someone deletes the database (no new version):
    // step aside at once, so theirs goes through, and fail clearly from now on.
    blocking: (_current, newVersion) => store?.lose(newVersion === null ? 'STORE_CLEARED' : 'STORE_VERSION_CHANGED'),
    // The browser closed the connection: "clear site data" does this in Chromium, and so does a disk failure.
    terminated: () => store?.terminated(),
  });
  let rejectBlocked: (error: MnemoError) => void = () => undefined;
  const blockedFailure = new Promise<never>((_resolve, reject) => (rejectBlocked = reject));

  try {
    const db = await Promise.race([opening, blockedFailure]);
    clearTimeout(timer);
    store = new IdbRecordStore(db, name, options.broadcast ?? true, options.namespace, options.durability);
    return store;
  } catch (error) {
    clearTimeout(timer);
    if (gaveUp) {
      // The open may still succeed once the other tab lets go; nobody will use that connection.
      void opening.then(
        (db) => db.close(),
        () => undefined,
      );
    }
    throw translate(error, name);
  }
}

export class IdbRecordStore implements RecordStore {
  private readonly channel: BroadcastChannel | undefined;
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private lost: ErrorCode | undefined;
  // While it is being decided whether a terminated connection's database still exists.
  private lostCheck: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    readonly name: string,
    broadcast: boolean,
    /** For the forget audit's hashes; the database name minus its prefix. */
    private readonly namespace = name.replace(/^mnemo:/, ''),
    private readonly durability: 'strict' | 'relaxed' = 'strict',
  ) {
    if (broadcast && typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(name);
      this.channel.onmessage = (event: MessageEvent<StoreChange>) => {
        for (const listener of this.listeners) listener(event.data);
      };
    }
  }

  async put(records: readonly MemoryRecord[], vectors: readonly VectorWrite[] = []): Promise<void> {
    await this.write(['records', 'vectorLog'], (tx) => {
      const log = tx.objectStore('vectorLog');
      return Promise.all([
        ...records.map((record) => quiet(tx.objectStore('records').put(record))),
        ...packVectorWrites(vectors).map((group) => quiet(log.add({ kind: 'put', ...group }))),
      ]);
    });
    this.announce({ kind: 'put', ids: records.map((r) => r.id) });
  }

  get(id: string): Promise<MemoryRecord | undefined> {
    return this.run(() => this.db.get('records', id));
  }

  getMany(ids: readonly string[]): Promise<(MemoryRecord | undefined)[]> {
    return this.run(async () => {
      const tx = this.db.transaction('records', 'readonly');
      const [records] = await Promise.all([Promise.all(ids.map((id) => tx.store.get(id))), tx.done]);
      return records;
    });
  }

  async delete(ids: readonly string[]): Promise<string[]> {
    let deleted: string[];
    try {
      deleted = await this.deleteRecords(ids, true);
    } catch (error) {
      // Chromium checks the quota only for a transaction that puts something, so at a full quota the log's delete
      // entry is refused and forget, the one way to free space, would fail. Then the records go alone: the
      // runtime drops vectors whose record is gone (MemoryEngine), and the next compaction erases them on disk.
      if (!(error instanceof MnemoError && error.code === 'STORE_QUOTA_EXCEEDED')) throw error;
      deleted = await this.deleteRecords(ids, false);
    }
    if (deleted.length > 0) this.announce({ kind: 'delete', ids: deleted });
    return deleted;
  }

  private deleteRecords(ids: readonly string[], logged: boolean): Promise<string[]> {
    return this.write(['records', 'vectorLog'], async (tx) => {
      const records = tx.objectStore('records');
      const unique = [...new Set(ids)];
      // Counting and deleting in one transaction: the answer is exactly what this call removed.
      const found = await Promise.all(unique.map((id) => quiet(records.getKey(id))));
      const existing = unique.filter((_id, i) => found[i] !== undefined);
      await Promise.all([
        ...existing.map((id) => quiet(records.delete(id))),
        ...(logged && existing.length > 0 ? [quiet(tx.objectStore('vectorLog').add({ kind: 'delete', ids: existing }))] : []),
      ]);
      return existing;
    });
  }

  list(query: ListQuery): Promise<MemoryRecord[]> {
    return this.run(async () => {
      const tx = this.db.transaction('records', 'readonly');
      const direction = query.order === 'asc' ? 'next' : 'prev';
      const { tier, sessionId } = query;
      // Walk the narrowest index; a second filter, if any, is applied here, so offset counts matches only.
      let cursor =
        sessionId !== undefined
          ? await tx.store
              .index('session_createdAt')
              .openCursor(IDBKeyRange.bound([sessionId, -Infinity], [sessionId, Infinity]), direction)
          : tier !== undefined
            ? await tx.store.index('tier_createdAt').openCursor(IDBKeyRange.bound([tier, -Infinity], [tier, Infinity]), direction)
            : await tx.store.index('createdAt').openCursor(null, direction);
      const needsFilter = sessionId !== undefined && tier !== undefined;
      let skip = query.offset ?? 0;
      if (!needsFilter && skip > 0 && cursor) {
        cursor = await cursor.advance(skip);
        skip = 0;
      }
      const out: MemoryRecord[] = [];
      while (cursor && out.length < query.limit) {
        if (!needsFilter || cursor.value.tier === tier) {
          if (skip > 0) skip--;
          else out.push(cursor.value);
        }
        cursor = await cursor.continue();
      }
      await tx.done;
      return out;
    });
  }

  async *scan(batchSize: number): AsyncIterable<MemoryRecord[]> {
    let after: string | undefined;
    for (;;) {
      // One short transaction per batch: a transaction must not stay open while the consumer awaits.
      const range = after === undefined ? null : IDBKeyRange.lowerBound(after, true);
      const batch = await this.run(() => this.db.getAll('records', range, batchSize));
      if (batch.length === 0) return;
      yield batch;
      after = batch[batch.length - 1]?.id;
      if (batch.length < batchSize) return;
    }
  }

  count(): Promise<number> {
    return this.run(() => this.db.count('records'));
  }

  async *readVectorChunks(model: string): AsyncIterable<VectorChunk> {
    const keys = await this.run(() =>
      this.db.getAllKeys('vectorChunks', IDBKeyRange.bound([model, -Infinity], [model, Infinity])),
    );
    // Several transactions in flight at once: Chromium overlaps their reads and deserialisation, which a
    // single cursor does not (docs/BENCHMARKS.md, cold open).
    const groups: [string, number][][] = [];
    for (let i = 0; i < keys.length; i += READ_GROUP) groups.push(keys.slice(i, i + READ_GROUP));
    const reads = groups.map((group) =>
      quiet(
        this.run(() => this.db.getAll('vectorChunks', IDBKeyRange.bound(group[0]!, group[group.length - 1]!))).catch(
          (error: unknown) => this.readEachChunk(group, error),
        ),
      ),
    );
    for (const read of reads) yield* await read;
  }

  /**
   * Chromium keeps a large value (over 64 KiB: a chunk, a graph snapshot) in a file of its own beside its database;
   * when that file is gone (a disk error, or files deleted under the profile: seen when a test run emptied the
   * folder of a running browser's profile), reading the value fails with "NotReadableError: Data lost due to
   * missing file". Then the group is read value by value and an unreadable chunk is handed on as null, which the
   * collection counts as damaged (its records are embedded again), instead of every open failing from then on.
   */
  private async readEachChunk(keys: readonly [string, number][], error: unknown): Promise<VectorChunk[]> {
    if (!isUnreadable(error)) throw error;
    const values: (VectorChunk | null | undefined)[] = [];
    for (const key of keys) values.push(await this.run(() => this.db.get('vectorChunks', key)).catch(unreadableAsNull));
    return values as VectorChunk[]; // the collection checks every value it reads; null is a damaged chunk
  }

  readVectorLog(afterSeq: number): Promise<{ entries: VectorLogEntry[]; foldedThroughSeq: number }> {
    return this.run(async () => {
      const tx = this.db.transaction(['vectorLog', 'meta'], 'readonly');
      const [entries, fold] = await Promise.all([
        tx.objectStore('vectorLog').getAll(IDBKeyRange.lowerBound(afterSeq, true)),
        tx.objectStore('meta').get(FOLD_KEY) as Promise<{ throughSeq: number } | undefined>,
        tx.done,
      ]);
      return { entries: entries as VectorLogEntry[], foldedThroughSeq: fold?.throughSeq ?? 0 };
    });
  }

  readIndexSnapshot(name: string): Promise<IndexSnapshot | undefined> {
    // A snapshot whose file is gone (see readEachChunk) is no snapshot: the graph is built again.
    return this.run(() => this.db.get('indexSnapshots', name)).catch((error: unknown) => unreadableAsNull(error) ?? undefined);
  }

  compactVectors(compaction: VectorCompaction): Promise<boolean> {
    return this.write(['vectorChunks', 'vectorLog', 'indexSnapshots', 'meta'], async (tx) => {
      // Checked and written in one transaction, so two tabs cannot both fold the same log.
      const fold = (await quiet(tx.objectStore('meta').get(FOLD_KEY))) as { throughSeq: number } | undefined;
      if ((fold?.throughSeq ?? 0) !== compaction.previousThroughSeq) return false;
      const chunks = tx.objectStore('vectorChunks');
      await Promise.all([
        ...compaction.chunks.map((chunk) => quiet(chunks.put(chunk))),
        ...compaction.removeChunks.map((chunk) => quiet(chunks.delete([compaction.model, chunk]))),
        quiet(tx.objectStore('vectorLog').delete(IDBKeyRange.upperBound(compaction.throughSeq))),
        quiet(tx.objectStore('meta').put({ throughSeq: compaction.throughSeq }, FOLD_KEY)),
        ...(compaction.snapshot ? [quiet(tx.objectStore('indexSnapshots').put(compaction.snapshot))] : []),
      ]);
      return true;
    });
  }

  quarantine(ids: readonly string[], reason: string, at: number): Promise<string[]> {
    return this.write(['records', 'quarantine'], async (tx) => {
      const records = tx.objectStore('records');
      const unique = [...new Set(ids)];
      // The raw rows, whatever they hold: read and moved in one transaction, so nothing is lost or doubled.
      const rows = await Promise.all(unique.map((id) => quiet(records.get(id) as Promise<unknown>)));
      const moved = unique.filter((_id, i) => rows[i] !== undefined);
      await Promise.all(
        moved.flatMap((id) => {
          const row = rows[unique.indexOf(id)];
          return [quiet(tx.objectStore('quarantine').put({ id, reason, at, row })), quiet(records.delete(id))];
        }),
      );
      return moved;
    });
  }

  purgeQuarantine(ids?: readonly string[]): Promise<string[]> {
    return this.write(['quarantine'], async (tx) => {
      const quarantine = tx.objectStore('quarantine');
      const held = new Set(await quarantine.getAllKeys());
      const chosen = ids === undefined ? [...held] : [...new Set(ids)].filter((id) => held.has(id));
      await Promise.all(chosen.map((id) => quiet(quarantine.delete(id))));
      return chosen;
    });
  }

  listQuarantine(): Promise<QuarantineEntry[]> {
    return this.run(async () => {
      const rows = await this.db.getAll('quarantine');
      return rows.map(({ id, reason, at }) => ({ id, reason, at }));
    });
  }

  async logForget(ids: readonly string[], at: number): Promise<void> {
    // Hashed before the transaction opens: awaiting anything else inside it would let it commit early.
    const idHashes = await Promise.all(ids.map((id) => sha256Hex(`${this.namespace}\u0000${id}`)));
    const entry: ForgetAuditEntry = { at, count: ids.length, idHashes };
    await this.write(['forgetLog'], (tx) => quiet(tx.objectStore('forgetLog').add(entry)));
  }

  readForgetLog(): Promise<ForgetAuditEntry[]> {
    return this.run(async () => {
      const rows = await this.db.getAll('forgetLog');
      return rows.map(({ at, count, idHashes }) => ({ at, count, idHashes }));
    });
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async estimate(): Promise<StoreEstimate> {
    const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
    if (!storage) return {};
    const [estimate, persisted] = await Promise.all([storage.estimate(), storage.persisted?.()]);
    const out: StoreEstimate = {};
    if (estimate.usage !== undefined) out.usage = estimate.usage;
    if (estimate.quota !== undefined) out.quota = estimate.quota;
    if (persisted !== undefined) out.persisted = persisted;
    return out;
  }

  readDataLoss(): Promise<DataLossReport | undefined> {
    return this.run(async () => storedDataLoss(await this.db.get('meta', DATA_LOSS_KEY)));
  }

  acknowledgeDataLoss(): Promise<boolean> {
    return this.write(['meta'], (tx) => clearDataLoss(tx.objectStore('meta')));
  }

  async close(): Promise<void> {
    this.lose('CLOSED');
  }

  /**
   * The browser closed the connection. If the database is gone, site data was cleared: say so, rather than
   * let a reopen start an empty memory as if nothing had been there.
   */
  terminated(): void {
    this.lose('STORE_UNAVAILABLE');
    const factory = typeof indexedDB === 'undefined' ? undefined : indexedDB;
    if (!factory?.databases) return;
    this.lostCheck = listDatabases(factory).then((names) => {
      if (names && !names.includes(this.name)) this.lost = 'STORE_CLEARED';
    });
  }

  /** Stops using the connection for good; later calls fail with `code`. */
  lose(code: ErrorCode): void {
    if (this.lost) return;
    this.lost = code;
    this.channel?.close();
    this.listeners.clear();
    this.db.close();
  }

  private announce(change: StoreChange): void {
    this.channel?.postMessage(change);
  }

  /**
   * A read-write transaction that resolves once committed and is aborted on any error, so a failed batch
   * leaves nothing behind. `body` must only issue requests on `tx` (anything else awaited would auto-commit it).
   */
  private write<S extends StoreNames<MnemoDbSchema>[], T>(stores: S, body: (tx: WriteTx<S>) => Promise<T>): Promise<T> {
    return this.run(async () => {
      // Strict: the commit is flushed before it is acknowledged. With the default (relaxed) durability a killed
      // browser lost whole databases (Chromium found its log torn and deleted the database as corrupt) in 2-6 of
      // 100 kill points; with strict, none in 70 (docs/RELIABILITY.md, Crash safety).
      const tx = this.db.transaction(stores, 'readwrite', { durability: this.durability });
      const committed = quiet(tx.done);
      try {
        const result = await body(tx);
        await committed;
        return result;
      } catch (error) {
        try {
          tx.abort();
        } catch {
          // The browser already aborted it: nothing of this body was committed.
        }
        throw error;
      }
    });
  }

  private async run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.lost) {
      await this.lostCheck;
      throw lostError(this.lost, this.name);
    }
    try {
      return await operation();
    } catch (error) {
      if (!this.lost) throw translate(error, this.name);
      await this.lostCheck;
      throw lostError(this.lost, this.name);
    }
  }
}

/**
 * The names of the origin's databases, or undefined if the browser will not say. Chromium (156, seen in e2e/storage-reliability.spec.ts)
 * never answers a `databases()` made while it deletes the data under a close event; the next call answers at
 * once, so each try gets a short time and there are a few.
 */
async function listDatabases(factory: IDBFactory): Promise<string[] | undefined> {
  for (let attempt = 0; attempt < DATABASES_TRIES; attempt++) {
    const names = await Promise.race([
      factory.databases().then(
        (databases) => databases.map((db) => db.name ?? ''),
        () => undefined,
      ),
      new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), DATABASES_WAIT_MS)),
    ]);
    if (names !== 'late') return names;
  }
  return undefined;
}

/** A value whose backing file Chromium lost: the one read error that concerns a single value, not the store. */
function isUnreadable(error: unknown): boolean {
  return error instanceof MnemoError && error.details['platformError'] === 'NotReadableError';
}

function unreadableAsNull(error: unknown): null {
  if (!isUnreadable(error)) throw error;
  return null;
}

/** Hex SHA-256 of a string's UTF-8 bytes (WebCrypto, in pages, workers and Node alike). */
async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Marks a request's promise as handled (its failure aborts the transaction, reported once through `tx.done`). */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function lostError(code: ErrorCode, name: string): MnemoError {
  const message =
    code === 'STORE_VERSION_CHANGED'
      ? `A newer version of Mnemo upgraded "${name}" in another tab; reload this page.`
      : code === 'CLOSED'
        ? `"${name}" is closed.`
        : code === 'STORE_CLEARED'
          ? `"${name}" was deleted while in use (site data cleared?); what it held is gone. Reopen to start again.`
          : `The browser closed "${name}" (storage cleared or disk failure).`;
  return new MnemoError(code, message, { details: { database: name } });
}

/** Platform errors to stable codes; see https://w3c.github.io/IndexedDB/#exceptions for the names. */
function translate(error: unknown, name: string): MnemoError {
  if (error instanceof MnemoError) return error;
  const errorName = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  const code: ErrorCode =
    errorName === 'QuotaExceededError'
      ? 'STORE_QUOTA_EXCEEDED'
      : errorName === 'VersionError'
        ? 'STORE_VERSION_CHANGED'
        : errorName === 'InvalidStateError'
          ? 'STORE_UNAVAILABLE'
          : errorName === 'DataCloneError'
            ? 'INVALID_ARGUMENT'
            : 'STORE_FAILURE';
  const text = error instanceof Error ? error.message : String(error);
  return new MnemoError(code, `IndexedDB "${name}": ${errorName || 'error'}: ${text}`, {
    details: { database: name, platformError: errorName },
    cause: error,
  });
}
