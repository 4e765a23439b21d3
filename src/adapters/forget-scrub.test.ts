// The right to be forgotten on fake-indexeddb: after forget, a canary text and its vector are in no object store,
// no snapshot, no export, and recall by the exact vector (flat and HNSW) does not find it; the audit keeps a hash.

import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { HashEmbedder } from '../core/embedding/hash-embedder.js';
import { MnemoError } from '../core/errors.js';
import { decodeBackup } from '../core/memory/backup.js';
import type { Embedder, ForgetAuditEntry, RecordStore } from '../core/ports.js';
import { MemoryRuntime } from '../core/runtime.js';
import { ManualClock, sequentialIds } from '../core/test-support.js';
import { checkVector } from '../core/vectors/vector-checks.js';
import { scanDatabase, scanValue, float32Bytes } from './canary-scan.js';
import { databaseName } from './idb-schema.js';
import { openIdbStore } from './idb-store.js';

const DIMS = 32;
const CANARY = 'CANARY-5f2e91 my bank PIN is 4921';
/** A vector no hash embedding resembles; stored normalised, so the bytes to look for are its normalised form. */
const CANARY_VECTOR = Float32Array.from({ length: DIMS }, (_, i) => ((i * 7919) % 97) / 97 - 0.31);
const STORED_CANARY = checkVector(CANARY_VECTOR, DIMS);

/** The hash embedder, except that the canary text embeds to the canary vector (so its bytes are known). */
class CanaryEmbedder implements Embedder {
  private readonly inner = new HashEmbedder({ dims: DIMS });
  readonly model = this.inner.model;
  readonly dims = DIMS;
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors = await this.inner.embed(texts);
    return texts.map((text, i) => (text.includes('CANARY-5f2e91') ? CANARY_VECTOR.slice() : vectors[i]!));
  }
}

let n = 0;

async function open(namespace: string, options: { hnswThreshold?: number; store?: RecordStore } = {}) {
  return MemoryRuntime.open({
    namespace,
    store: options.store ?? (await openIdbStore({ namespace, broadcast: false })),
    clock: new ManualClock(),
    newId: sequentialIds(`${namespace}-`),
    embedder: new CanaryEmbedder(),
    vectors: { compactAfter: 16, hnsw: { seed: 3 }, ...(options.hnswThreshold && { hnswThreshold: options.hnswThreshold }) },
  });
}

/** Others before and after the canary, enough for compactions (chunks) and, with a low threshold, HNSW. */
async function withCanary(memory: MemoryRuntime): Promise<string> {
  await memory.remember(Array.from({ length: 40 }, (_, i) => ({ text: `earlier note ${i} about gardens and ${i % 5}` })));
  const [canary] = await memory.remember({ text: CANARY, sessionId: 'money' });
  await memory.remember(Array.from({ length: 10 }, (_, i) => ({ text: `later note ${i} about trains` })));
  return canary!.id;
}

async function findings(namespace: string) {
  return scanDatabase(databaseName(namespace), 'CANARY-5f2e91', STORED_CANARY);
}

function exportFindings(jsonl: string): string[] {
  const out: string[] = [];
  if (jsonl.includes('CANARY-5f2e91')) out.push('text');
  const probe = float32Bytes(STORED_CANARY.subarray(0, 8));
  for (const entry of decodeBackup(jsonl).entries) scanValue(entry, entry.record.id, 'CANARY-5f2e91', probe, (p) => out.push(p));
  return out;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('forget erases', () => {
  for (const kind of ['flat', 'hnsw'] as const) {
    it(`the canary's text and vector from every store, the export and recall by its exact vector (${kind})`, async () => {
      const namespace = `forget-${kind}-${++n}`;
      const memory = await open(namespace, kind === 'hnsw' ? { hnswThreshold: 20 } : {});
      const id = await withCanary(memory);
      expect((await memory.stats()).vectors?.index).toBe(kind);

      // Before: the canary is there to find, so the scans below can fail.
      const before = await findings(namespace);
      expect(before.some((f) => f.store === 'records' && f.kind === 'text')).toBe(true);
      expect(before.some((f) => (f.store === 'vectorChunks' || f.store === 'vectorLog') && f.kind === 'vector')).toBe(true);
      expect(exportFindings(await memory.exportJsonl()).length).toBeGreaterThan(0);
      const [found] = await memory.recall(CANARY, { k: 1, reinforce: false });
      expect(found?.record.id).toBe(id);
      expect(found?.scores.dense).toBeCloseTo(1, 5);

      expect(await memory.forget(id)).toEqual([id]);

      expect(await findings(namespace)).toEqual([]);
      expect(exportFindings(await memory.exportJsonl())).toEqual([]);
      // Recall by the exact vector (the canary text embeds to it): the dense index no longer holds it.
      const hits = await memory.recall(CANARY, { k: 60, reinforce: false });
      expect(hits.map((h) => h.record.id)).not.toContain(id);
      expect(Math.max(...hits.map((h) => h.scores.dense ?? 0))).toBeLessThan(0.9);
      expect((await memory.stats()).vectors?.count).toBe(50);

      // A fresh runtime (cold open from chunks, log and snapshot) agrees.
      await memory.close();
      const reopened = await open(namespace, kind === 'hnsw' ? { hnswThreshold: 20 } : {});
      expect((await reopened.stats()).vectors).toMatchObject({ count: 50, index: kind });
      const again = await reopened.recall(CANARY, { k: 60, reinforce: false });
      expect(again.map((h) => h.record.id)).not.toContain(id);
      await reopened.close();
    });
  }

  it('keeps an audit entry per forget holding a hash of namespace and id, never the text', async () => {
    const namespace = `audit-${++n}`;
    const memory = await open(namespace);
    const id = await withCanary(memory);
    await memory.forget(id);
    // The app reads it through forgetLog(): the same entry as on disk.
    const listed = await memory.forgetLog();
    await memory.close();
    const db = await openDB(databaseName(namespace));
    const log = await db.getAll('forgetLog');
    db.close();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ count: 1, idHashes: [await sha256Hex(`${namespace}\u0000${id}`)] });
    expect(JSON.stringify(log)).not.toContain(id);
    expect(JSON.stringify(log)).not.toContain('CANARY');
    expect(listed).toEqual((log as (ForgetAuditEntry & { seq: number })[]).map(({ seq: _seq, ...entry }) => entry));
  });

  it('erases the bytes also when the delete could not be logged (a forget at a full quota)', async () => {
    const namespace = `forget-unlogged-${++n}`;
    const store = await openIdbStore({ namespace, broadcast: false });
    // What the store does at a full quota: the records go, without the log's delete entry.
    const unlogged = Object.create(store) as RecordStore;
    unlogged.delete = (ids) =>
      (store as unknown as { deleteRecords(ids: readonly string[], logged: boolean): Promise<string[]> }).deleteRecords(
        ids,
        false,
      );
    const memory = await open(namespace, { store: unlogged });
    const id = await withCanary(memory);
    expect(await memory.forget(id)).toEqual([id]);
    expect(await findings(namespace)).toEqual([]);
    const hits = await memory.recall(CANARY, { k: 60, reinforce: false });
    expect(hits.map((h) => h.record.id)).not.toContain(id);
    await memory.close();
  });

  it('finishes the erasure at the next open when the scrub could not run (crash or failed write)', async () => {
    const namespace = `forget-crash-${++n}`;
    const store = await openIdbStore({ namespace, broadcast: false });
    // The scrub's compaction fails, as if the page died between the delete and the compaction.
    const failing = Object.create(store) as RecordStore;
    failing.compactVectors = () => Promise.reject(new MnemoError('STORE_FAILURE', 'injected'));
    const memory = await open(namespace, { store: failing });
    const id = await withCanary(memory);
    expect(await memory.forget(id)).toEqual([id]); // the forget itself holds: the record is gone
    expect(await memory.get(id)).toBeUndefined();
    const left = await findings(namespace);
    expect(left.every((f) => f.kind === 'vector')).toBe(true); // only the vector bytes wait for the scrub
    expect(left.length).toBeGreaterThan(0);
    await memory.close();

    const reopened = await open(namespace);
    expect(await findings(namespace)).toEqual([]);
    await reopened.close();
  });
});
