// Environment-neutral measurement loop: build, memory, default-param recall, efSearch sweep, cold open.

import type { Adapter, BuildParams, ColdOpenResult } from './adapters/types.ts';

export const DEFAULT_SWEEP = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 800];
export const RECALL_TARGETS = [0.9, 0.95, 0.99];

export interface SweepPoint {
  param: number | 'default' | 'exact';
  recall: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  qps: number;
  queries: number;
}

export interface MemorySnapshot {
  [key: string]: number | string | undefined;
}

export interface AdapterResult {
  name: string;
  kind: Adapter['kind'];
  params: string;
  status: 'ok' | 'skipped' | 'failed' | 'timeout';
  reason?: string;
  buildMs?: number;
  memory?: { method: string; bytes: number | null; detail: Record<string, number | string | null> };
  defaultPoint?: SweepPoint;
  sweep?: SweepPoint[];
  atRecall?: Record<string, SweepPoint | null>;
  coldOpen?: ColdOpenResult | { error: string } | null;
  totalMs?: number;
}

export interface BenchData {
  base: Float32Array;
  queries: Float32Array;
  gt: Int32Array;
  dims: number;
  n: number;
  nq: number;
  k: number;
}

export interface BenchHooks {
  now(): number;
  /** Memory probe around the build; returns bytes attributed to the index and a description of the method. */
  memoryBefore(): Promise<void>;
  memoryAfter(
    adapter: Adapter,
  ): Promise<{ method: string; bytes: number | null; detail: Record<string, number | string | null> }>;
  log(msg: string): void;
  /** Soft budget for the whole search sweep (ms): the sweep stops at the first point after it is exceeded. */
  sweepBudgetMs: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[idx];
}

async function runQueries(adapter: Adapter, d: BenchData, param: SweepPoint['param'], hooks: BenchHooks): Promise<SweepPoint> {
  const nq = Math.min(d.nq, adapter.maxQueries ?? d.nq);
  const lat = new Float64Array(nq);
  let hits = 0;
  // warm-up: a few queries, untimed (JIT, caches)
  const warm = Math.min(20, nq);
  for (let q = 0; q < warm; q++) await adapter.search(d.queries.subarray(q * d.dims, (q + 1) * d.dims), d.k);
  let total = 0;
  for (let q = 0; q < nq; q++) {
    const qv = d.queries.subarray(q * d.dims, (q + 1) * d.dims);
    const t0 = hooks.now();
    const res = await adapter.search(qv, d.k);
    const dt = hooks.now() - t0;
    lat[q] = dt;
    total += dt;
    const truth = d.gt.subarray(q * d.k, (q + 1) * d.k);
    for (let i = 0; i < Math.min(d.k, res.length); i++) if (truth.includes(res[i])) hits++;
  }
  lat.sort();
  return {
    param,
    recall: hits / (nq * d.k),
    p50Ms: percentile(lat, 0.5),
    p95Ms: percentile(lat, 0.95),
    meanMs: total / nq,
    qps: nq / (total / 1000),
    queries: nq,
  };
}

export function pickAtRecall(points: SweepPoint[]): Record<string, SweepPoint | null> {
  const out: Record<string, SweepPoint | null> = {};
  for (const r of RECALL_TARGETS) out[r.toFixed(2)] = points.find((p) => p.recall >= r) ?? null;
  return out;
}

export async function runAdapter(adapter: Adapter, d: BenchData, params: BuildParams, hooks: BenchHooks): Promise<AdapterResult> {
  const t0 = hooks.now();
  const result: AdapterResult = { name: adapter.name, kind: adapter.kind, params: '', status: 'ok' };
  await hooks.memoryBefore();
  const b0 = hooks.now();
  await adapter.build(d.base, d.dims, d.n, params);
  result.buildMs = hooks.now() - b0;
  result.params = adapter.describeParams();
  hooks.log(`  ${adapter.name}: built in ${(result.buildMs / 1000).toFixed(2)} s (${result.params})`);
  result.memory = await hooks.memoryAfter(adapter);

  const sweep: SweepPoint[] = [];
  if (adapter.setSearchParam) {
    result.defaultPoint = await runQueries(adapter, d, 'default', hooks);
    hooks.log(
      `  ${adapter.name}: default -> recall ${result.defaultPoint.recall.toFixed(4)}, p50 ${result.defaultPoint.p50Ms.toFixed(3)} ms`,
    );
    const s0 = hooks.now();
    for (const v of adapter.sweep ?? DEFAULT_SWEEP) {
      adapter.setSearchParam(v);
      const pt = await runQueries(adapter, d, v, hooks);
      sweep.push(pt);
      hooks.log(
        `  ${adapter.name}: ef ${v} -> recall ${pt.recall.toFixed(4)}, p50 ${pt.p50Ms.toFixed(3)} ms, p95 ${pt.p95Ms.toFixed(3)} ms`,
      );
      if (pt.recall >= 0.995) break;
      if (hooks.now() - s0 > hooks.sweepBudgetMs) {
        hooks.log(`  ${adapter.name}: sweep budget spent, stopping`);
        break;
      }
    }
  } else {
    const pt = await runQueries(adapter, d, 'exact', hooks);
    result.defaultPoint = pt;
    sweep.push(pt);
    hooks.log(
      `  ${adapter.name}: recall ${pt.recall.toFixed(4)}, p50 ${pt.p50Ms.toFixed(3)} ms, p95 ${pt.p95Ms.toFixed(3)} ms (${pt.queries} queries)`,
    );
  }
  result.sweep = sweep;
  result.atRecall = pickAtRecall(sweep);

  if (adapter.coldOpen) {
    try {
      result.coldOpen = await adapter.coldOpen(d.queries.subarray(0, d.dims), d.k);
      hooks.log(`  ${adapter.name}: cold open ${JSON.stringify(result.coldOpen)}`);
    } catch (e) {
      result.coldOpen = { error: String((e as Error)?.stack ?? e) };
    }
  } else result.coldOpen = null;
  await adapter.dispose?.();
  result.totalMs = hooks.now() - t0;
  return result;
}
