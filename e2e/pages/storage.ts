// What the storage reliability specs reach from page.evaluate: fixtures of old schema versions, raw IndexedDB
// access to damage rows, a newer schema version, and canary scans. The memory itself runs in its worker.

import { openDB } from 'idb';
import { MnemoError, createMemory, type MemoryClient } from 'mnemo';
import { scanDatabase, scanValue, float32Bytes } from '../../src/adapters/canary-scan.js';
import { buildFixture, type FixtureDescription } from '../../src/adapters/fixtures/fixture-format.js';
import v1 from '../../src/adapters/fixtures/schema-v1.json';
import v2 from '../../src/adapters/fixtures/schema-v2.json';
import { MIGRATIONS, SCHEMA_VERSION, databaseName, type Migration } from '../../src/adapters/idb-schema.js';
import { openIdbStore } from '../../src/adapters/idb-store.js';
import { HashEmbedder } from '../../src/core/embedding/hash-embedder.js';
import { decodeBackup } from '../../src/core/memory/backup.js';
import { MemoryRuntime } from '../../src/core/runtime.js';
import { checkVector } from '../../src/core/vectors/vector-checks.js';

const FIXTURES: Record<number, FixtureDescription> = { 1: v1 as FixtureDescription, 2: v2 as FixtureDescription };

/** The next schema version, as a later release would append it. */
const nextMigrations: readonly Migration[] = [
  ...MIGRATIONS,
  (_db, tx) => {
    tx.objectStore('meta')
      .put({ version: SCHEMA_VERSION + 1 }, 'schema')
      .catch(() => undefined);
  },
];

/** A rejection as plain data, so the spec sees the code that crossed the worker boundary. */
async function outcome(promise: Promise<unknown>): Promise<{ ok: true } | { ok: false; code: string; name: string }> {
  try {
    await promise;
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      code: error instanceof MnemoError ? error.code : 'not a MnemoError',
      name: error instanceof Error ? error.name : typeof error,
    };
  }
}

const storage = {
  createMemory,
  outcome,
  SCHEMA_VERSION,
  fixture: (version: number) => FIXTURES[version]!,
  async buildFixture(namespace: string, version: number): Promise<void> {
    await buildFixture(databaseName(namespace), FIXTURES[version]!);
  },
  /** Opens the namespace at the next schema version from this page, as a newer release in another tab. */
  async openNewer(namespace: string, blockedTimeoutMs: number) {
    const result = await outcome(
      openIdbStore({ namespace, migrations: nextMigrations, blockedTimeoutMs, broadcast: false }).then((store) => store.close()),
    );
    return result;
  },
  /** A raw connection that never answers versionchange, as an old release that ignores it. */
  async holdStubborn(namespace: string): Promise<() => void> {
    const db = await openDB(databaseName(namespace));
    return () => db.close();
  },
  async databaseNames(): Promise<string[]> {
    return (await indexedDB.databases()).map((db) => db.name ?? '');
  },
  /** Writes rows the schema allows but the core cannot read, and damages a vector in the log. */
  async damage(namespace: string, goodId: string): Promise<void> {
    const db = await openDB(databaseName(namespace));
    const template = (await db.get('records', goodId)) as Record<string, unknown>;
    await db.put('records', { ...template, id: 'bad-text', text: 42 });
    await db.put('records', { ...template, id: 'bad-time', createdAt: 'yesterday' });
    const { tier: _tier, ...noTier } = template;
    await db.put('records', { ...noTier, id: 'bad-missing' });
    const [entry] = (await db.getAll('vectorLog')) as { vectors: Float32Array }[];
    if (entry) {
      const vectors = entry.vectors.slice();
      vectors[0] = Number.NaN;
      await db.put('vectorLog', { ...entry, vectors });
    }
    db.close();
  },
  async deleteDatabase(namespace: string): Promise<string> {
    return new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(databaseName(namespace));
      request.onsuccess = () => resolve('deleted');
      request.onerror = () => resolve('error');
      request.onblocked = () => resolve('blocked');
    });
  },
  /** The stored (normalised) hash embedding of a text, as the worker's default embedder writes it. */
  async storedVector(text: string, dims?: number): Promise<number[]> {
    const embedder = new HashEmbedder(dims ? { dims } : {});
    const [vector] = await embedder.embed([text]);
    return Array.from(checkVector(vector, embedder.dims));
  },
  /** Where the canary's text or vector bytes are, in every store of the namespace's database. */
  async canaryIn(namespace: string, text: string, vector: number[]) {
    return scanDatabase(databaseName(namespace), text, Float32Array.from(vector));
  },
  canaryInExport(jsonl: string, text: string, vector: number[]): string[] {
    const out: string[] = [];
    if (jsonl.includes(text)) out.push('text');
    const probe = float32Bytes(Float32Array.from(vector).subarray(0, 8));
    for (const entry of decodeBackup(jsonl).entries) scanValue(entry, entry.record.id, text, probe, (p) => out.push(p));
    return out;
  },
  /** A runtime in this page over real IndexedDB, with HNSW from a small size (the worker's threshold is 20,000). */
  async hnswRuntime(namespace: string): Promise<MemoryRuntime> {
    let id = 0;
    return MemoryRuntime.open({
      namespace,
      store: await openIdbStore({ namespace, broadcast: false }),
      clock: { now: () => Date.now() },
      newId: () => `h${String(++id).padStart(6, '0')}`,
      embedder: new HashEmbedder({ dims: 64 }),
      vectors: { hnswThreshold: 20, compactAfter: 16, hnsw: { seed: 5 } },
    });
  },
};

export type { MemoryClient };

declare global {
  interface Window {
    reliability: typeof storage;
  }
}

window.reliability = storage;
document.body.dataset['ready'] = 'true';
