// The page the crash tests kill: it writes batches of turns, forgets and consolidates as fast as it can, telling
// the test process of each acknowledged call, until the harness crashes the renderer or kills the browser.
// Mode "worker" is the SDK with its dedicated worker (default settings); mode "hnsw" runs the runtime in this
// page with a small HNSW threshold and frequent compactions, so kills land in those too.

import { createMemory } from 'mnemo';
import { openIdbStore } from '../../src/adapters/idb-store.js';
import { createUlidGenerator } from '../../src/adapters/ulid.js';
import type { ConsolidateOptions, ForgetFilter, ForgetOptions, ListOptions, MemoryStats } from '../../src/core/api.js';
import { HashEmbedder } from '../../src/core/embedding/hash-embedder.js';
import type { IntegrityReport } from '../../src/core/integrity.js';
import type { MemoryRecord, RememberInput } from '../../src/core/record.js';
import { MemoryRuntime } from '../../src/core/runtime.js';
import { batchSession, turnText, type CrashEvent, type CrashMode } from './crash-workload.js';

interface Target {
  remember(turns: RememberInput[]): Promise<MemoryRecord[]>;
  forget(filter: ForgetFilter, options: ForgetOptions): Promise<string[]>;
  consolidate(options: ConsolidateOptions): Promise<{ processed: number }>;
  list(options: ListOptions): Promise<MemoryRecord[]>;
  checkIntegrity(): Promise<IntegrityReport>;
  reembed(): Promise<{ embedded: number; pending: number }>;
  stats(): Promise<MemoryStats>;
}

/** The runtime settings of mode "hnsw": HNSW from 300 vectors, a compaction every 128 logged vectors. */
const HNSW_VECTORS = { hnswThreshold: 300, compactAfter: 128, hnsw: { seed: 7 } };
let target: Promise<Target> | undefined;

function open(namespace: string, mode: CrashMode): Promise<Target> {
  return (target ??= mode === 'worker' ? openWorker(namespace) : openInPage(namespace));
}

async function openWorker(namespace: string): Promise<Target> {
  const memory = await createMemory({ namespace });
  return {
    remember: (turns) => memory.remember(turns),
    forget: (filter, options) => memory.forget(filter, options),
    consolidate: (options) => memory.consolidate(options),
    list: (options) => memory.list(options),
    checkIntegrity: () => memory.checkIntegrity(),
    reembed: () => memory.reembed(),
    stats: () => memory.stats(),
  };
}

async function openInPage(namespace: string): Promise<Target> {
  const runtime = await MemoryRuntime.open({
    namespace,
    store: await openIdbStore({ namespace }),
    clock: { now: () => Date.now() },
    newId: createUlidGenerator(),
    embedder: new HashEmbedder(),
    vectors: HNSW_VECTORS,
    defer: (task) => setTimeout(task, 0),
  });
  return runtime;
}

const crash = {
  /** Every episodic turn, the integrity report and the stats of the memory as this page opens it. */
  async inspect(namespace: string, mode: CrashMode) {
    const memory = await open(namespace, mode);
    const turns: { id: string; text: string; batch: unknown; turn: unknown; sessionId?: string }[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await memory.list({ tier: 'episodic', limit: 1000, offset, order: 'asc' });
      for (const r of page) {
        if (r.meta['summaryOf'] !== undefined) continue; // consolidation's episode summaries are not turns
        turns.push({
          id: r.id,
          text: r.text,
          batch: r.meta['batch'],
          turn: r.meta['turn'],
          ...(r.sessionId && { sessionId: r.sessionId }),
        });
      }
      if (page.length < 1000) break;
    }
    // Vectors the browser lost in the kill (a chunk's file) are embedded again first; how many is reported.
    const { embedded } = await memory.reembed();
    const stats = await memory.stats();
    // Chromium deleted the database as corrupt at some open (reported until acknowledged, so at every inspection after).
    const dataLoss = stats.dataLoss && `${stats.dataLoss.amount}: ${stats.dataLoss.message}`;
    return { turns, reembedded: embedded, integrity: await memory.checkIntegrity(), stats, dataLoss };
  },

  /** Writes batches numbered from `firstBatch` until the page dies; never resolves normally. */
  async run(namespace: string, mode: CrashMode, firstBatch: number, batchSize: number): Promise<never> {
    const report = (window as unknown as { crashEvent: (event: CrashEvent) => Promise<void> }).crashEvent;
    const memory = await open(namespace, mode);
    for (let batch = firstBatch; ; batch++) {
      const turns = Array.from({ length: batchSize }, (_, turn) => ({
        text: turnText(batch, turn),
        speaker: 'Ada',
        sessionId: batchSession(batch),
        meta: { batch, turn },
      }));
      const records = await memory.remember(turns);
      void report({ kind: 'remembered', batch, ids: records.map((r) => r.id) });
      const step = batch - firstBatch;
      if (step % 4 === 3) {
        // Forget an earlier batch of this run, with what consolidation derived from it.
        const victim = batch - 2;
        await report({ kind: 'forgetting', batch: victim });
        const ids = await memory.forget({ sessionId: batchSession(victim) }, { derived: true });
        void report({ kind: 'forgot', batch: victim, ids });
      }
      if (step % 5 === 4) {
        const { processed } = await memory.consolidate({ maxRecords: 60 });
        void report({ kind: 'consolidated', processed });
      }
    }
  },
};

declare global {
  interface Window {
    crash: typeof crash;
  }
}

window.crash = crash;
document.body.dataset['ready'] = 'true';
