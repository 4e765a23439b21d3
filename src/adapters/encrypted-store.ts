// Encryption at rest: a RecordStore decorator that seals what it writes and opens what it reads, with WebCrypto
// AES-GCM under a per-namespace data key (key-vault.ts). Off until a passphrase turns it on; never back off.

import type { EncryptionStatus } from '../core/api.js';
import type { EncryptionControl } from '../core/encryption.js';
import { MnemoError } from '../core/errors.js';
import type {
  IndexSnapshot,
  ListQuery,
  RecordStore,
  VectorChunk,
  VectorCompaction,
  VectorLogEntry,
  VectorWrite,
} from '../core/ports.js';
import type { MemoryRecord } from '../core/record.js';
import { Gate } from './encrypted-store-gate.js';
import {
  indexTag,
  isSealedRecord,
  openChunk,
  openLogEntry,
  openRecord,
  openSnapshot,
  sealChunk,
  sealRecord,
  sealSnapshot,
  sealVector,
} from './encrypted-store-rows.js';
import { IdbVaultAccess } from './key-vault-idb.js';
import {
  DEFAULT_ITERATIONS,
  checkPassphrase,
  createVault,
  rewrapVault,
  unlockVault,
  type DataKeys,
  type VaultEntry,
} from './key-vault.js';

/** Where the vault entry lives and how existing rows are sealed; IdbVaultAccess in the browser. */
export interface VaultAccess {
  readEntry(): Promise<VaultEntry | undefined>;
  writeEntry(entry: VaultEntry): Promise<void>;
  encryptExisting(keys: DataKeys, entry: VaultEntry): Promise<{ records: number }>;
  close(): void;
}

export interface EncryptedStoreOptions {
  namespace: string;
  /** Unlocks an encrypted namespace; on a plaintext one, turns encryption on. Never stored. */
  passphrase?: string;
  /** PBKDF2 iterations for a new or changed passphrase; default (and floor outside tests) 600,000. */
  iterations?: number;
  /** Default: the namespace's IndexedDB database, through a connection of its own. */
  vault?: VaultAccess;
  now?: () => number;
}

type MethodKind = 'sealed' | 'clear' | 'forwarded';

/**
 * Every method of the port, and what this decorator does with it. `satisfies` makes a method added to the port
 * fail the type check here until someone decides: `sealed` (written or read through the cipher), `clear`
 * (carries ids or counts only; implemented below) or `forwarded` (optional, carries no stored content, so it is
 * passed to the inner store as it is).
 */
const PORT_METHODS = {
  put: 'sealed',
  get: 'sealed',
  getMany: 'sealed',
  list: 'sealed',
  scan: 'sealed',
  readVectorChunks: 'sealed',
  readVectorLog: 'sealed',
  readIndexSnapshot: 'sealed',
  compactVectors: 'sealed',
  delete: 'clear',
  count: 'clear',
  close: 'clear',
  // Moves raw rows (still sealed) to the quarantine; lists ids, reasons and times.
  quarantine: 'forwarded',
  listQuarantine: 'forwarded',
  purgeQuarantine: 'forwarded',
  // The audit log of forgets holds hashes of ids only.
  logForget: 'forwarded',
  readForgetLog: 'forwarded',
  subscribe: 'forwarded',
  estimate: 'forwarded',
  // The browser's report of a database it deleted as corrupt: its message and a time, nothing stored.
  readDataLoss: 'forwarded',
  acknowledgeDataLoss: 'forwarded',
  // Extra names are allowed (a method another change is adding to the port); a missing one is an error.
} as const satisfies Record<keyof RecordStore, MethodKind> & Record<string, MethodKind>;

export async function openEncryptedStore(inner: RecordStore, options: EncryptedStoreOptions): Promise<EncryptedStore> {
  const passphrase = options.passphrase === undefined ? undefined : checkPassphrase(options.passphrase);
  const vault = options.vault ?? (await IdbVaultAccess.open(options.namespace));
  try {
    const entry = await vault.readEntry();
    const keys = entry && (await unlock(options.namespace, entry, passphrase));
    const store = new EncryptedStore(inner, vault, options, entry && keys && { entry, keys });
    if (!entry && passphrase !== undefined) await store.enable(passphrase);
    return store;
  } catch (error) {
    vault.close();
    throw error;
  }
}

async function unlock(namespace: string, entry: VaultEntry, passphrase: string | undefined): Promise<DataKeys> {
  if (passphrase === undefined) {
    throw new MnemoError('LOCKED', `The memory "${namespace}" is encrypted: open it with its passphrase.`, {
      details: { namespace },
    });
  }
  return unlockVault(namespace, entry, passphrase);
}

export class EncryptedStore implements RecordStore, EncryptionControl {
  private unlocked: { entry: VaultEntry; keys: DataKeys } | undefined;
  /** Shared by every store call, taken alone while encryption is turned on, so no call sees half the switch. */
  private readonly gate = new Gate();
  private changing: Promise<unknown> = Promise.resolve();
  private readonly namespace: string;
  private readonly iterations: number;
  private readonly now: () => number;

  constructor(
    private readonly inner: RecordStore,
    private readonly vault: VaultAccess,
    options: EncryptedStoreOptions,
    unlocked: { entry: VaultEntry; keys: DataKeys } | undefined,
  ) {
    this.namespace = options.namespace;
    this.iterations = options.iterations ?? DEFAULT_ITERATIONS;
    this.now = options.now ?? Date.now;
    this.unlocked = unlocked;
    for (const [name, kind] of Object.entries(PORT_METHODS)) {
      const method = (inner as unknown as Record<string, unknown>)[name];
      if (kind === 'forwarded' && typeof method === 'function') {
        Object.defineProperty(this, name, { value: method.bind(inner) });
      }
    }
  }

  // --- EncryptionControl -------------------------------------------------------------------------------------

  status(): EncryptionStatus {
    const entry = this.unlocked?.entry;
    if (!entry) return { enabled: false };
    return { enabled: true, cipher: 'AES-GCM-256', kdf: entry.kdf, iterations: entry.iterations, since: entry.since };
  }

  async enable(passphrase: string): Promise<void> {
    checkPassphrase(passphrase);
    return this.serialise(async () => {
      if (this.unlocked) {
        await unlockVault(this.namespace, this.unlocked.entry, passphrase);
        return;
      }
      // The slow part (PBKDF2) before taking the gate, so calls keep flowing meanwhile.
      const { entry, keys } = await createVault(this.namespace, passphrase, this.iterations, this.now());
      await this.gate.alone(async () => {
        await this.vault.encryptExisting(keys, entry);
        this.unlocked = { entry, keys };
      });
    });
  }

  async changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<void> {
    checkPassphrase(oldPassphrase, 'oldPassphrase');
    checkPassphrase(newPassphrase, 'newPassphrase');
    return this.serialise(async () => {
      const unlocked = this.unlocked;
      if (!unlocked) {
        throw new MnemoError('NOT_ENCRYPTED', `The memory "${this.namespace}" is not encrypted; enable encryption first.`);
      }
      // The stored entry, not ours: another tab may have changed the passphrase since this one opened.
      const current = (await this.vault.readEntry()) ?? unlocked.entry;
      const entry = await rewrapVault(this.namespace, current, oldPassphrase, newPassphrase, this.iterations);
      await this.vault.writeEntry(entry);
      this.unlocked = { entry, keys: unlocked.keys };
    });
  }

  async admit(passphrase: string | undefined): Promise<void> {
    if (passphrase !== undefined) checkPassphrase(passphrase);
    const unlocked = this.unlocked;
    if (unlocked) await unlock(this.namespace, unlocked.entry, passphrase);
    else if (passphrase !== undefined) await this.enable(passphrase);
  }

  // --- RecordStore ---------------------------------------------------------------------------------------------

  put(records: readonly MemoryRecord[], vectors: readonly VectorWrite[] = []): Promise<void> {
    return this.gate.shared(async () => {
      const keys = this.unlocked?.keys;
      if (!keys) {
        await this.refuseIfEncryptedMeanwhile();
        return this.inner.put(records, vectors);
      }
      // The inner store packs vectors per model; sealed ones all have dims + 7 floats, so they pack the same way.
      const [rows, sealedVectors] = await Promise.all([
        Promise.all(records.map((record) => sealRecord(keys, record))),
        Promise.all(
          vectors.map(async (v) => ({ id: v.id, model: v.model, vector: await sealVector(keys, v.model, v.id, v.vector) })),
        ),
      ]);
      return this.inner.put(rows as unknown as MemoryRecord[], sealedVectors);
    });
  }

  get(id: string): Promise<MemoryRecord | undefined> {
    return this.gate.shared(async () => {
      const row = await this.inner.get(id);
      return row === undefined ? undefined : this.openRow(row);
    });
  }

  getMany(ids: readonly string[]): Promise<(MemoryRecord | undefined)[]> {
    return this.gate.shared(async () => {
      const rows = await this.inner.getMany(ids);
      return Promise.all(rows.map(async (row) => (row === undefined ? undefined : this.openRow(row))));
    });
  }

  list(query: ListQuery): Promise<MemoryRecord[]> {
    return this.gate.shared(async () => {
      const keys = this.unlocked?.keys;
      if (!keys) return this.openRows(await this.inner.list(query));
      const tagged: ListQuery = { ...query };
      if (query.tier !== undefined) tagged.tier = (await indexTag(keys, 'tier', query.tier)) as ListQuery['tier'];
      if (query.sessionId !== undefined) tagged.sessionId = await indexTag(keys, 'session', query.sessionId);
      return this.openRows(await this.inner.list(tagged));
    });
  }

  async *scan(batchSize: number): AsyncIterable<MemoryRecord[]> {
    const batches = this.inner.scan(batchSize)[Symbol.asyncIterator]();
    for (;;) {
      // Each batch read and opened under one mode: a switch between batches is fine, within one it is not.
      const next = await this.gate.shared(async () => {
        const step = await batches.next();
        return step.done ? undefined : this.openRows(step.value);
      });
      if (!next) return;
      yield next;
    }
  }

  async *readVectorChunks(model: string): AsyncIterable<VectorChunk> {
    // The inner store reads all chunks at once (parallel transactions); collected under one mode, then opened.
    const { keys, chunks } = await this.gate.shared(async () => {
      const read: VectorChunk[] = [];
      for await (const chunk of this.inner.readVectorChunks(model)) read.push(chunk);
      return { keys: this.unlocked?.keys, chunks: read };
    });
    if (!keys) {
      if (chunks.some((chunk) => 'sealed' in chunk)) throw this.lockedMeanwhile();
      yield* chunks;
      return;
    }
    const opened = chunks.map((chunk) => openChunk(keys, chunk));
    // Read in order below; one that fails early must not count as unhandled meanwhile.
    for (const chunk of opened) void chunk.catch(() => undefined);
    for (const chunk of opened) yield await chunk;
  }

  readVectorLog(afterSeq: number): Promise<{ entries: VectorLogEntry[]; foldedThroughSeq: number }> {
    return this.gate.shared(async () => {
      const log = await this.inner.readVectorLog(afterSeq);
      const keys = this.unlocked?.keys;
      if (!keys) return log;
      return { ...log, entries: await Promise.all(log.entries.map((entry) => openLogEntry(keys, entry))) };
    });
  }

  readIndexSnapshot(name: string): Promise<IndexSnapshot | undefined> {
    return this.gate.shared(async () => {
      const row = await this.inner.readIndexSnapshot(name);
      const keys = this.unlocked?.keys;
      if (row === undefined) return undefined;
      if (keys) return openSnapshot(keys, row);
      if ('sealed' in row) throw this.lockedMeanwhile();
      return row;
    });
  }

  compactVectors(compaction: VectorCompaction): Promise<boolean> {
    return this.gate.shared(async () => {
      const keys = this.unlocked?.keys;
      if (!keys) {
        await this.refuseIfEncryptedMeanwhile();
        return this.inner.compactVectors(compaction);
      }
      // Each chunk sealed whole: a chunk rewritten with a slot emptied (forget) replaces the old ciphertext.
      const [chunks, snapshot] = await Promise.all([
        Promise.all(compaction.chunks.map((chunk) => sealChunk(keys, chunk))),
        compaction.snapshot && sealSnapshot(keys, compaction.snapshot),
      ]);
      const sealed: VectorCompaction = { ...compaction, chunks: chunks as unknown as VectorChunk[] };
      if (snapshot) sealed.snapshot = snapshot as unknown as IndexSnapshot;
      return this.inner.compactVectors(sealed);
    });
  }

  delete(ids: readonly string[]): Promise<string[]> {
    return this.gate.shared(() => this.inner.delete(ids));
  }

  count(): Promise<number> {
    return this.gate.shared(() => this.inner.count());
  }

  async close(): Promise<void> {
    this.vault.close();
    await this.inner.close();
  }

  // --- helpers -------------------------------------------------------------------------------------------------

  /** Call under the gate. Unreadable rows come back as placeholders the core quarantines (encrypted-store-rows.ts). */
  private async openRow(row: MemoryRecord): Promise<MemoryRecord> {
    const keys = this.unlocked?.keys;
    if (keys) return (await openRecord(keys, row)) as MemoryRecord;
    // Another tab turned encryption on after this one opened: its rows are sealed, and this runtime has no key.
    if (isSealedRecord(row)) throw this.lockedMeanwhile();
    return row;
  }

  /**
   * A plaintext write, checked first against the vault: another runtime (another tab's worker) may have turned
   * encryption on since this one opened, and its rows must not be joined by plaintext ones.
   */
  private async refuseIfEncryptedMeanwhile(): Promise<void> {
    let entry: VaultEntry | undefined;
    try {
      entry = await this.vault.readEntry();
    } catch (error) {
      // The vault's connection goes with the database (site data cleared, a newer version elsewhere): the inner
      // store knows which, and answers with its typed error (STORE_CLEARED, STORE_VERSION_CHANGED, ...).
      await this.inner.count();
      throw error;
    }
    if (entry !== undefined) throw this.lockedMeanwhile();
  }

  private lockedMeanwhile(): MnemoError {
    return new MnemoError('LOCKED', `The memory "${this.namespace}" was encrypted meanwhile: reopen it with its passphrase.`, {
      details: { namespace: this.namespace },
    });
  }

  private openRows(rows: readonly MemoryRecord[]): Promise<MemoryRecord[]> {
    return Promise.all(rows.map((row) => this.openRow(row)));
  }

  /** Enable and passphrase changes one at a time. */
  private serialise<T>(task: () => Promise<T>): Promise<T> {
    const run = this.changing.then(task, task);
    this.changing = run.catch(() => undefined);
    return run;
  }
}

/** For tests and tooling: the kind of each port method (see PORT_METHODS). */
export const ENCRYPTED_STORE_METHODS: Readonly<Record<string, MethodKind>> = PORT_METHODS;
