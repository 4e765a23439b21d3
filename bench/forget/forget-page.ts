// The cost of forgetting in Chromium: a forget's delete plus the scrub compaction that erases the vector's chunk
// slot and log entries, against a bare delete; and the cost of checking each record the core reads.

import { openIdbStore } from '../../src/adapters/idb-store.js';
import { unreadableReason } from '../../src/core/checked-store.js';
import type { Embedder } from '../../src/core/ports.js';
import { MemoryRuntime } from '../../src/core/runtime.js';
import { SeededRandom } from '../../src/core/vectors/seeded-random.js';

export interface ForgetRun {
  n: number;
  dims: number;
  index: 'flat' | 'hnsw';
  forgets: number;
}

export interface ForgetResult {
  run: ForgetRun;
  kind: string;
  forgetMs: { p50: number; max: number };
  bareDeleteMs: { p50: number; max: number };
  checkMsPer10k: number;
}

/** Random unit vectors, seeded: the benchmark measures storage, not embedding. */
class RandomEmbedder implements Embedder {
  readonly model = 'bench-random';
  private readonly random = new SeededRandom(7);
  constructor(readonly dims: number) {}
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map(() => Float32Array.from({ length: this.dims }, () => this.random.next() - 0.5));
  }
}

function summary(ms: number[]): { p50: number; max: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length / 2)]!, max: sorted[sorted.length - 1]! };
}

async function runForget(run: ForgetRun): Promise<ForgetResult> {
  const namespace = `bench-forget-${run.index}-${run.n}-${Date.now()}`;
  let next = 0;
  const memory = await MemoryRuntime.open({
    namespace,
    store: await openIdbStore({ namespace, broadcast: false }),
    clock: { now: () => Date.now() },
    newId: () => `r${String(++next).padStart(8, '0')}`,
    embedder: new RandomEmbedder(run.dims),
    consolidateWhenIdleMs: 0,
    vectors: { hnswThreshold: run.index === 'hnsw' ? 1000 : 10_000_000 },
  });
  const ids: string[] = [];
  for (let i = 0; i < run.n; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, run.n - i) }, (_, j) => ({
      text: `note ${i + j} about topic ${(i + j) % 97}`,
    }));
    ids.push(...(await memory.remember(batch)).map((r) => r.id));
  }
  await memory.stats(); // queued behind the last compaction
  const kind = (await memory.stats()).vectors?.index ?? 'none';

  const forgetMs: number[] = [];
  for (let i = 0; i < run.forgets; i++) {
    const id = ids[Math.floor((i + 0.5) * (ids.length / (2 * run.forgets)))]!;
    const t0 = performance.now();
    await memory.forget(id);
    forgetMs.push(performance.now() - t0);
  }
  const records = (await memory.list({ limit: 1000 })).slice();
  await memory.close();

  // The bare delete (record and a log entry, one transaction) on the same database, for comparison.
  const store = await openIdbStore({ namespace, broadcast: false });
  const bareDeleteMs: number[] = [];
  for (let i = 0; i < run.forgets; i++) {
    const id = ids[ids.length - 1 - i * 7]!;
    const t0 = performance.now();
    await store.delete([id]);
    bareDeleteMs.push(performance.now() - t0);
  }
  await store.close();

  // The record check, on real records, repeated to 10,000 checks, after as many to warm the JIT up.
  let bad = 0;
  for (let i = 0; i < 10_000; i++) if (unreadableReason(records[i % records.length]) !== undefined) bad++;
  const t0 = performance.now();
  for (let i = 0; i < 10_000; i++) if (unreadableReason(records[i % records.length]) !== undefined) bad++;
  const checkMsPer10k = performance.now() - t0;
  if (bad > 0) throw new Error(`${bad} records failed the check`);
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(`mnemo:${namespace}`);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
  return { run, kind, forgetMs: summary(forgetMs), bareDeleteMs: summary(bareDeleteMs), checkMsPer10k };
}

declare global {
  interface Window {
    runForget: typeof runForget;
  }
}

window.runForget = runForget;
document.body.dataset['ready'] = 'true';
