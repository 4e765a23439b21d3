// Dedicated module worker: fetches the cached dataset binaries from /data/, runs one adapter, posts the result.
import voyWasmUrl from 'voy-search/voy_search_bg.wasm?url';
import { runAdapter, type AdapterResult } from '../src/bench.ts';
import { adapters, type HostEnv } from '../src/adapters/registry.ts';
import type { RunRequest, WorkerMessage } from './protocol.ts';
import type { MemoryProbe } from './main.ts';

// Mnemo core modules: a glob, so a file that does not exist yet makes an empty match instead of a build error.
// src/core/<stem>.ts first, else src/core/vectors/<stem>.ts.
const core = import.meta.glob([
  '../../../src/core/{flat-index,hnsw-index}.ts',
  '../../../src/core/vectors/{flat-index,hnsw-index}.ts',
]);

const host: HostEnv = {
  kind: 'browser',
  loadCore: async (stem) => {
    const load = core[`../../../src/core/${stem}.ts`] ?? core[`../../../src/core/vectors/${stem}.ts`];
    if (!load) throw new Error(`neither src/core/${stem}.ts nor src/core/vectors/${stem}.ts exists (at build time)`);
    return (await load()) as Record<string, unknown>;
  },
  voyWasm: async () => (await fetch(voyWasmUrl)).arrayBuffer(),
  extra: [{ name: 'entity-db', env: 'browser', create: async () => (await import('../src/adapters/entity-db.ts')).create() }],
};

const post = (m: WorkerMessage) => postMessage(m);
const log = (text: string) => post({ type: 'log', text });
let memId = 0;
const memWaiters = new Map<number, (v: MemoryProbe) => void>();
function probe(): Promise<MemoryProbe> {
  (globalThis as { gc?: () => void }).gc?.();
  const id = ++memId;
  return new Promise((resolve) => {
    memWaiters.set(id, resolve);
    post({ type: 'memory', id });
  });
}

async function fetchBin(url: string): Promise<ArrayBuffer> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.arrayBuffer();
}

self.onmessage = async (ev: MessageEvent<RunRequest | { type: 'memory-reply'; id: number; value: MemoryProbe }>) => {
  const msg = ev.data;
  if (msg.type === 'memory-reply') {
    memWaiters.get(msg.id)?.(msg.value);
    memWaiters.delete(msg.id);
    return;
  }
  const { spec } = msg;
  let result: AdapterResult;
  try {
    const [base, queries, gt] = await Promise.all([
      fetchBin(`/data/${msg.key}.base.f32`),
      fetchBin(`/data/${msg.key}.queries.f32`),
      fetchBin(`/data/${msg.key}.gt.i32`),
    ]);
    const entry = adapters(host).find((e) => e.name === msg.adapter);
    if (!entry) throw new Error('unknown adapter');
    let adapter;
    try {
      adapter = await entry.create();
    } catch (e) {
      result = {
        name: msg.adapter,
        kind: 'exact',
        params: '',
        status: 'skipped',
        reason: `import/init failed: ${String((e as Error)?.message ?? e)}`,
      };
    }
    if (adapter) {
      let before: MemoryProbe | null = null;
      const heap = () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null;
      let heapBefore: number | null = null;
      try {
        result = await runAdapter(
          adapter,
          {
            base: new Float32Array(base),
            queries: new Float32Array(queries),
            gt: new Int32Array(gt),
            dims: spec.dims,
            n: spec.n,
            nq: spec.queries,
            k: spec.k,
          },
          { M: msg.M, efConstruction: msg.efConstruction, seed: msg.seed },
          {
            now: () => performance.now(),
            log,
            sweepBudgetMs: msg.sweepBudgetMs,
            memoryBefore: async () => {
              before = await probe();
              heapBefore = heap();
            },
            memoryAfter: async (a) => {
              const after = await probe();
              const own = a.memoryBytes?.();
              const h = heap();
              const d = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? null : a - b);
              const b0 = before as MemoryProbe | null;
              const rssDelta = d(after.rss, b0?.rss);
              const workerDelta = d(after.worker, b0?.worker);
              return {
                method:
                  rssDelta !== null
                    ? 'browser: renderer RSS delta across build'
                    : 'browser: measureUserAgentSpecificMemory() worker delta',
                bytes: rssDelta ?? workerDelta,
                detail: {
                  rendererRssDelta: rssDelta,
                  workerDelta,
                  agentTotalDelta: d(after.total, b0?.total),
                  performanceMemoryUsedJSHeapDelta: h !== null && heapBefore !== null ? h - heapBefore : null,
                  adapterReportedBytes: own === undefined || Number.isNaN(own) ? null : own,
                },
              };
            },
          },
        );
      } catch (e) {
        result = {
          name: msg.adapter,
          kind: adapter.kind,
          params: adapter.describeParams(),
          status: 'failed',
          reason: String((e as Error)?.stack ?? e),
        };
      }
    }
  } catch (e) {
    result = { name: msg.adapter, kind: 'exact', params: '', status: 'failed', reason: String((e as Error)?.stack ?? e) };
  }
  post({ type: 'result', result: result! });
};
