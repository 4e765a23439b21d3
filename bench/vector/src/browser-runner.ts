// Chromium runner: builds web/ with Vite, serves it with `vite preview` (plus /data/ from .cache), drives headless
// Chromium with playwright-core; the page runs each adapter in a fresh dedicated module worker, one at a time.
// npm --prefix bench/vector run browser -- --n 10000 --dataset clustered [--only a,b] [--skip a,b]
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { adapters } from './adapters/registry.ts';
import { parseArgs, specOf, wanted } from './args.ts';
import type { AdapterResult } from './bench.ts';
import { datasetKey } from './dataset.ts';
import { BENCH_DIR, ensureDataset, nodeHost, RESULTS_DIR } from './node-host.ts';
import { markdownTable, saveRun, type RunFile } from './report.ts';

const args = parseArgs(process.argv.slice(2));
const date = new Date().toISOString().slice(0, 10);
mkdirSync(RESULTS_DIR, { recursive: true });
// Browser adapters: everything except Node-only ones, plus entity-db (browser-only; registered in web/worker.ts).
const names = [
  ...adapters({ ...nodeHost, extra: [] })
    .filter((e) => e.env !== 'node')
    .map((e) => e.name),
  'entity-db',
];
const ORDER = [...names];
names.splice(0, names.length, ...ORDER.filter((n) => wanted(args, n)));

const configFile = join(BENCH_DIR, 'vite.config.ts');
const t0 = performance.now();
await build({ configFile });
console.log(`vite build in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const server = await preview({ configFile, preview: { port: 0, host: '127.0.0.1', strictPort: false } });
const url = server.resolvedUrls?.local[0];
if (!url) throw new Error('vite preview did not report a URL');

const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';
if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath} (set CHROME_PATH)`);
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    // make measureUserAgentSpecificMemory() answer at once instead of at the next GC (up to 20 s), and give workers gc()
    '--enable-blink-features=ForceEagerMeasureMemory',
    '--js-flags=--expose-gc',
  ],
});
const version = browser.version();

// Resident set size of Chromium's renderer processes (the dedicated worker lives in its page's renderer). This counts
// wasm linear memory and native allocations, which measureUserAgentSpecificMemory() does not.
const cdp = await browser.newBrowserCDPSession();
async function rendererRss(): Promise<number | null> {
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    let total = 0;
    for (const p of processInfo.filter((x) => x.type === 'renderer')) {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    }
    return total || null;
  } catch {
    return null;
  }
}

try {
  for (const dsName of args.datasets) {
    const spec = specOf(args, dsName);
    console.log(`\n== chromium ${version} · ${dsName} · n=${spec.n}`);
    ensureDataset(spec, (s) => console.log(s));
    const results: AdapterResult[] = [];
    const timeoutMs = args.timeoutMin * 60_000;
    let isolated = false;
    for (const name of names) {
      console.log(`- ${name}`);
      // A fresh context (so a fresh renderer process) per adapter: the previous worker's memory is gone before the
      // RSS baseline, and IndexedDB starts empty.
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('console', (m) => console.log(m.text()));
      page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
      await page.exposeFunction('__rendererRss', rendererRss);
      await page.goto(url);
      await page.waitForFunction(() => (window as unknown as { benchReady?: boolean }).benchReady === true);
      isolated = await page.evaluate(() => (window as unknown as { isolated: boolean }).isolated);
      const req = {
        type: 'run' as const,
        adapter: name,
        spec,
        key: datasetKey(spec),
        M: args.M,
        efConstruction: args.efConstruction,
        seed: args.seed,
        sweepBudgetMs: timeoutMs * 0.4,
      };
      const r = await page.evaluate(
        ([q, t]) => (window as unknown as { runAdapter: (q: unknown, t: number) => Promise<AdapterResult> }).runAdapter(q, t),
        [req, timeoutMs] as const,
      );
      if (r.status !== 'ok') console.log(`  ${name}: ${r.status}: ${r.reason}`);
      results.push(r);
      await context.close();
    }
    const run: RunFile = {
      env: 'browser',
      date: new Date().toISOString(),
      dataset: spec,
      build: { M: args.M, efConstruction: args.efConstruction, seed: args.seed },
      host: {
        browser: `Chromium ${version}`,
        crossOriginIsolated: isolated,
        headless: true,
        context: 'dedicated module worker, fresh browser context per adapter',
      },
      memoryMethod:
        'Chromium renderer process RSS delta across build, after gc() in the worker (read from /proc via CDP SystemInfo.getProcessInfo); measureUserAgentSpecificMemory() worker delta and wasm memory size in the JSON',
      results,
    };
    const file = join(RESULTS_DIR, `${date}-browser-${dsName}-${spec.n}.json`);
    const md = markdownTable(saveRun(file, run, ORDER));
    console.log('\n' + md + `\n\n(wrote ${file})`);
  }
} finally {
  await browser.close();
  await new Promise<void>((r) => server.httpServer.close(() => r()));
}
