// Page side: one fresh dedicated module worker per adapter; answers the worker's memory probes with
// performance.measureUserAgentSpecificMemory() (whole agent, breakdown attributed to the worker).
import type { AdapterResult } from '../src/bench.ts';
import type { RunRequest, WorkerMessage } from './protocol.ts';

interface MemoryBreakdown {
  bytes: number;
  breakdown: { bytes: number; types: string[]; attribution: { url?: string; scope?: string }[] }[];
}

export interface MemoryProbe {
  /** measureUserAgentSpecificMemory(): whole agent, and the part attributed to the dedicated worker (null: unavailable) */
  total: number | null;
  worker: number | null;
  /** RSS of the renderer processes, supplied by the runner (null: unavailable) */
  rss: number | null;
}

async function measure(): Promise<MemoryProbe> {
  const out: MemoryProbe = { total: null, worker: null, rss: null };
  const p = performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<MemoryBreakdown> };
  if (crossOriginIsolated && p.measureUserAgentSpecificMemory) {
    const m = await p.measureUserAgentSpecificMemory();
    let worker = 0;
    for (const b of m.breakdown) if (b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope')) worker += b.bytes;
    out.total = m.bytes;
    out.worker = worker;
  }
  const rss = (window as unknown as { __rendererRss?: () => Promise<number | null> }).__rendererRss;
  if (rss) out.rss = await rss();
  return out;
}

function runAdapter(req: RunRequest, timeoutMs: number): Promise<AdapterResult> {
  return new Promise((resolve) => {
    const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: `bench-${req.adapter}` });
    const timer = setTimeout(() => {
      w.terminate();
      resolve({
        name: req.adapter,
        kind: 'exact',
        params: '',
        status: 'timeout',
        reason: `exceeded ${Math.round(timeoutMs / 60000)} min`,
      });
    }, timeoutMs);
    w.onerror = (e) => {
      clearTimeout(timer);
      w.terminate();
      resolve({ name: req.adapter, kind: 'exact', params: '', status: 'failed', reason: `worker error: ${e.message}` });
    };
    w.onmessage = async (ev: MessageEvent<WorkerMessage>) => {
      const msg = ev.data;
      if (msg.type === 'log') console.log(msg.text);
      else if (msg.type === 'memory') w.postMessage({ type: 'memory-reply', id: msg.id, value: await measure() });
      else if (msg.type === 'result') {
        clearTimeout(timer);
        w.terminate();
        resolve(msg.result);
      }
    };
    w.postMessage(req);
  });
}

Object.assign(window, { runAdapter, benchReady: true, isolated: crossOriginIsolated });
