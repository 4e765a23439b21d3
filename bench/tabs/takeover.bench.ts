// Tab takeover benchmark: npx playwright test --config bench/playwright.bench.config.ts takeover
//   BENCH_RECORDS=100,10000 (the memory's size), BENCH_MODEL=hash,tiny (the embedder), BENCH_KILLS=4 (per size),
//   BENCH_BASE_URL=http://localhost:4176 for the production build (bench/takeover.vite.config.ts) instead of the dev server,
//   BENCH_PREPARED=nowait to kill a leader without waiting for its successor to have loaded its model ahead.
// Where the time from a killed leader to the first call its successor serves goes: the browser granting the lock,
// the open request reaching the standby worker, IndexedDB, the embedding model, the record scan and BM25, the vector
// load, the announcement, the caller's next call. A persistent profile (IndexedDB on disk, as for a user); leaders
// are closed (`page.close()`) and crashed (CDP `Page.crash`) in turn while one tab calls without pause.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { chromium, expect, test, type Page } from '@playwright/test';
import type { EmbeddingOptions } from '../../src/core/api.js';
import type { CoordinationEvent } from '../../src/sdk/tab-facade.js';
import { installProbe, readProbe, type ProbeMark } from './worker-probe.js';

const sizes = (process.env['BENCH_RECORDS'] ?? '100,10000').split(',').map(Number);
const models = (process.env['BENCH_MODEL'] ?? 'hash,tiny').split(',');
const KILLS = Number(process.env['BENCH_KILLS'] ?? 4);
const EMBEDDINGS: Record<string, EmbeddingOptions | undefined> = {
  hash: undefined,
  tiny: { model: 'mnemo-tiny-bert-v1', localModelPath: '/models/', device: 'wasm' },
  minilm: { model: 'mnemo-minilm-arch-v1', localModelPath: '/models/', device: 'wasm' },
};

type Logged = CoordinationEvent & { tab: number };

/** One takeover, every time in ms after the kill command; a phase not seen is null. */
interface Takeover {
  how: 'close' | 'crash';
  /** When the successor's standby had loaded its model ('prepared'), before (negative) or after the kill; null: never. */
  prepared: number | null;
  gone: number;
  lock: number;
  /** The open request reaching the successor's standby worker. */
  openCall: number | null;
  /** Both IndexedDB databases (the memory's and the key vault) open. */
  dbOpen: number | null;
  modelStart: number | null;
  /** The model's first and last file event, its compile stage (the ONNX session), as the page hears them. */
  modelDownload: [number, number] | null;
  modelCompile: number | null;
  modelReady: number | null;
  recordsFirst: number | null;
  recordsLast: number | null;
  vectorsFirst: number | null;
  vectorsLast: number | null;
  /** The worker's answer to the open request. */
  openAnswered: number | null;
  serving: number;
  /** The calling tab hears of the new leader. */
  callerFollows: number | null;
  firstServed: number;
}

const since = (t0: number, t: number | undefined) => (t === undefined ? null : Math.round((t - t0) * 10) / 10);

function phases(
  how: Takeover['how'],
  prepared: number | undefined,
  t0: number,
  gone: number,
  leader: Logged,
  probe: ProbeMark[],
  stages: Record<string, { first: number; last: number }>,
  follows: number | undefined,
  firstServed: number,
): Takeover {
  const after = probe.filter(([, at]) => at >= t0 - 5);
  const first = (test: (m: ProbeMark) => boolean) => after.find(test)?.[1];
  const last = (test: (m: ProbeMark) => boolean) => after.filter(test).at(-1)?.[1];
  const openCall = first(([what]) => what === 'message-in');
  const isVector = (store: string) => ['vectorChunks', 'vectorLog', 'indexSnapshots'].includes(store);
  // The reads of the open: up to the answer (later ones serve calls).
  const answered = openCall === undefined ? undefined : after.find(([what, at]) => what === 'message-out' && at >= openCall)?.[1];
  const opening = (m: ProbeMark) => answered === undefined || m[1] <= answered;
  return {
    how,
    prepared: since(t0, prepared),
    gone,
    lock: (leader as Extract<Logged, { type: 'leader' }>).lockedAt - t0,
    openCall: since(t0, openCall),
    dbOpen: since(
      t0,
      last(([what]) => what === 'idb-open:done'),
    ),
    modelStart: since(
      t0,
      first(([what]) => what === 'embedding-worker-start'),
    ),
    modelDownload: stages['download'] ? [stages['download'].first - t0, stages['download'].last - t0] : null,
    modelCompile: since(t0, stages['compile']?.first),
    modelReady: since(
      t0,
      first(([what]) => what === 'embedding-model-ready'),
    ),
    recordsFirst: since(
      t0,
      first((m) => m[0] === 'idb-read:start' && m[2] === 'records' && opening(m)),
    ),
    recordsLast: since(
      t0,
      last((m) => m[0] === 'idb-read:done' && m[2] === 'records' && opening(m)),
    ),
    vectorsFirst: since(
      t0,
      first((m) => m[0] === 'idb-read:start' && isVector(m[2]) && opening(m)),
    ),
    vectorsLast: since(
      t0,
      last((m) => m[0] === 'idb-read:done' && isVector(m[2]) && opening(m)),
    ),
    openAnswered: since(t0, answered),
    serving: leader.at - t0,
    callerFollows: since(t0, follows),
    firstServed: firstServed - t0,
  };
}

test.describe.configure({ mode: 'serial' });

for (const model of models) {
  for (const records of sizes) {
    test(`takeover ${model} ${records}`, async ({ baseURL }, testInfo) => {
      test.setTimeout(600_000);
      const profile = testInfo.outputPath('profile');
      const origin = process.env['BENCH_BASE_URL'] ?? baseURL;
      const context = await chromium.launchPersistentContext(profile, {
        ...testInfo.project.use.launchOptions,
        ...(origin && { baseURL: origin }),
        headless: true,
      });
      const pages: Page[] = [];
      const log: Logged[] = [];
      await context.exposeBinding('reportCoordination', ({ page }, event: CoordinationEvent) => {
        log.push({ ...event, tab: pages.indexOf(page) });
      });
      const namespace = `takeover-${model}-${records}-${Date.now()}`;
      const openTab = async () => {
        const page = context.pages().find((p) => !pages.includes(p) && p.url() === 'about:blank') ?? (await context.newPage());
        pages.push(page);
        await page.goto('/bench/tabs/takeover.html');
        await expect(page.locator('body[data-ready="true"]')).toBeAttached();
        await page.evaluate(([ns, embedding]) => window.takeover.open(ns, embedding), [namespace, EMBEDDINGS[model]] as const);
        return page;
      };
      try {
        const first = await openTab();
        const filling = Date.now();
        await first.evaluate((n) => window.takeover.fill(n), records);
        const fillMs = Date.now() - filling;
        // Successors in queue order, then the tab that calls.
        for (let i = 0; i < KILLS; i++) await openTab();
        const caller = await openTab();
        const loop = caller.evaluate(() => window.takeover.loop(20));

        const servedBy = (tab: number) => log.filter((e) => e.type === 'served' && e.tab === tab).length;
        const takeovers: Takeover[] = [];
        for (let k = 0; k < KILLS; k++) {
          const leaderPage = pages[k] as Page;
          const next = pages[k + 1] as Page;
          // The successor's standby worker, started when it followed: probed before it takes over.
          await expect.poll(() => next.workers().length, { timeout: 20_000 }).toBeGreaterThan(0);
          for (const worker of next.workers()) await worker.evaluate(installProbe);
          await expect.poll(() => servedBy(k), { timeout: 30_000 }).toBeGreaterThan(10);
          // With a model, the kill waits (up to 15 s: a build before 'prepared' never reports it) for the next leader
          // to have loaded it ahead, as a leader that lives for more than a few seconds would: the steady state.
          const preparedAt = () => log.find((e) => e.type === 'prepared' && e.tab === k + 1)?.at;
          if (EMBEDDINGS[model] && process.env['BENCH_PREPARED'] !== 'nowait') {
            for (let waited = 0; preparedAt() === undefined && waited < 15_000; waited += 100) await next.waitForTimeout(100);
          }
          const how = k % 2 === 0 ? 'close' : 'crash';
          const t0 = Date.now();
          if (how === 'close') await leaderPage.close();
          else {
            const cdp = await context.newCDPSession(leaderPage);
            const crashed = leaderPage.waitForEvent('crash');
            void cdp.send('Page.crash').catch(() => undefined); // never answers: its renderer is gone
            await crashed;
          }
          const gone = Date.now() - t0;
          await expect.poll(() => servedBy(k + 1), { timeout: 60_000 }).toBeGreaterThan(0);
          const leader = log.find((e) => e.type === 'leader' && e.tab === k + 1) as Logged;
          const follows = log.find(
            (e) => e.type === 'follower' && e.tab === pages.indexOf(caller) && e.leader === leader.page,
          )?.at;
          const firstServed = (log.find((e) => e.type === 'served' && e.tab === k + 1) as Logged).at;
          const probe = (await Promise.all(next.workers().map((w) => w.evaluate(readProbe)))).flat();
          const stages = await next.evaluate(() => window.takeover.modelStages());
          takeovers.push(phases(how, preparedAt(), t0, gone, leader, probe, stages, follows, firstServed));
        }
        await caller.evaluate(() => window.takeover.stop());
        const calls = await loop;

        mkdirSync('bench/results', { recursive: true });
        writeFileSync(
          `bench/results/takeover-${model}-${records}.json`,
          JSON.stringify({ model, records, fillMs, calls, takeovers }, null, 2),
        );
        console.log(
          `${model}, ${records} records (filled in ${fillMs} ms; caller: ${calls.calls} calls, ${calls.failed} failed):`,
        );
        const f = (ms: number | null) => (ms === null ? '-' : String(Math.round(ms)));
        for (const t of takeovers) {
          console.log(
            `  ${t.how}: prepared ${f(t.prepared)}, gone ${f(t.gone)}, lock ${f(t.lock)}, open call ${f(t.openCall)}, db open ${f(t.dbOpen)}, ` +
              `model ${f(t.modelStart)}-${f(t.modelReady)} (files ${t.modelDownload?.map(f).join('-') ?? '-'}, compile ${f(t.modelCompile)}), records ${f(t.recordsFirst)}-${f(t.recordsLast)}, ` +
              `vectors ${f(t.vectorsFirst)}-${f(t.vectorsLast)}, answered ${f(t.openAnswered)}, serving ${f(t.serving)}, ` +
              `caller follows ${f(t.callerFollows)}, first served ${f(t.firstServed)} (ms after the kill)`,
          );
        }
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
    });
  }
}

// The model's share of a takeover, taken apart: a fresh worker loads the tiny model twice, then the MiniLM-size one.
test('model start in a fresh worker', async ({ page }) => {
  test.setTimeout(300_000);
  for (let run = 0; run < 3; run++) {
    await page.goto(`${process.env['BENCH_BASE_URL'] ?? ''}/bench/tabs/takeover.html`);
    await expect(page.locator('body[data-ready="true"]')).toBeAttached();
    const times = await page.evaluate(() =>
      window.takeover.modelStart(['mnemo-tiny-bert-v1', 'mnemo-tiny-bert-v1', 'mnemo-minilm-arch-v1']),
    );
    console.log(
      `model start, run ${run + 1}: ${Object.entries(times)
        .map(([what, ms]) => `${what} ${Math.round(ms)} ms`)
        .join(', ')}`,
    );
  }
});
