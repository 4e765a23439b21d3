// Results file shape and the Markdown table.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AdapterResult, SweepPoint } from './bench.ts';
import type { DatasetSpec } from './dataset.ts';

export interface RunFile {
  env: 'node' | 'browser';
  date: string;
  dataset: DatasetSpec;
  build: { M: number; efConstruction: number; seed: number };
  host: Record<string, string | number | boolean | null>;
  memoryMethod: string;
  results: AdapterResult[];
}

const f = (x: number | undefined | null, d = 2) => (x === undefined || x === null || !Number.isFinite(x) ? '–' : x.toFixed(d));
const lat = (p: SweepPoint | null | undefined) =>
  p ? `${f(p.p50Ms, 3)} / ${f(p.p95Ms, 3)}${typeof p.param === 'number' ? ` (ef ${p.param})` : ''}` : '–';

export function markdownTable(run: RunFile): string {
  const lines: string[] = [];
  lines.push(
    `### ${run.env} · ${run.dataset.name} · n=${run.dataset.n} · ${run.dataset.dims}d · ${run.dataset.queries} queries · ${run.date}`,
  );
  lines.push('');
  lines.push(
    `Memory: ${run.memoryMethod}. Build: M ${run.build.M}, efConstruction ${run.build.efConstruction} for graph indexes. Latency p50 / p95 ms, single query at a time, at the first sweep value reaching the recall.`,
  );
  lines.push('');
  lines.push(
    '| index | build s | memory MB | recall@10 at default | p50/p95 ms at R 0.90 | p50/p95 ms at R 0.95 | p50/p95 ms at R 0.99 | QPS at 0.95 |',
  );
  lines.push('| --- | ---: | ---: | ---: | --- | --- | --- | ---: |');
  for (const r of run.results) {
    if (r.status !== 'ok') {
      lines.push(`| ${r.name} | ${r.status}: ${(r.reason ?? '').split('\n')[0].slice(0, 120).replace(/\|/g, '/')} | | | | | | |`);
      continue;
    }
    const a = r.atRecall ?? {};
    const mem = r.memory?.bytes;
    lines.push(
      `| ${r.name} | ${f((r.buildMs ?? NaN) / 1000)} | ${mem === null || mem === undefined ? '–' : f(mem / 2 ** 20, 1)} | ${f(r.defaultPoint?.recall, 3)}${
        r.defaultPoint && r.defaultPoint.queries < run.dataset.queries ? ` (${r.defaultPoint.queries} q)` : ''
      } | ${lat(a['0.90'])} | ${lat(a['0.95'])} | ${lat(a['0.99'])} | ${a['0.95'] ? f(a['0.95'].qps, 0) : '–'} |`,
    );
  }
  const cold = run.results.filter((r) => r.coldOpen);
  if (cold.length) {
    lines.push('');
    lines.push('Cold open (persisted index -> first query):');
    for (const r of cold) {
      const c = r.coldOpen as Record<string, unknown>;
      lines.push(
        `- ${r.name}: ${'error' in c ? `not measured: ${String(c.error).split('\n')[0]}` : `persist ${f(c.persistMs as number, 1)} ms, open ${f(c.openMs as number, 1)} ms, first query ${f(c.firstQueryMs as number, 1)} ms${c.note ? ` (${String(c.note)})` : ''}`}`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * Writes <file>.json and <file>.md. A run limited with --only/--skip merges into an existing file of the same
 * date/env/dataset/n: results of adapters not run this time are kept (in their previous order), re-run ones replaced.
 */
export function saveRun(file: string, run: RunFile, order: string[]): RunFile {
  let merged = run;
  if (existsSync(file)) {
    try {
      const old = JSON.parse(readFileSync(file, 'utf8')) as RunFile;
      const fresh = new Map(run.results.map((r) => [r.name, r]));
      const keep = old.results.filter((r) => !fresh.has(r.name));
      const all = [...keep, ...run.results];
      all.sort((a, b) => idx(order, a.name) - idx(order, b.name));
      merged = { ...run, results: all };
    } catch {
      /* unreadable: overwrite */
    }
  }
  writeFileSync(file, JSON.stringify(merged, null, 2));
  writeFileSync(file.replace(/\.json$/, '.md'), markdownTable(merged) + '\n');
  return merged;
}
const idx = (order: string[], name: string) => (order.indexOf(name) < 0 ? 1e9 : order.indexOf(name));
