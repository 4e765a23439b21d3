// Crash safety in real Chromium: a page writes batches (and forgets and consolidates) while the harness crashes its
// renderer (CDP Page.crash) or SIGKILLs the whole browser at a random moment; the same profile is reopened and
// every acknowledged batch must be there whole, no batch partly, nothing forgotten back, and the integrity check
// must pass. CRASH_POINTS (per mode; default 13 and 12, 25 in all), CRASH_SEED and CRASH_REPORT (a JSON file of the
// counts) let scripts/crash-run.mjs run the long version.

import { chromium, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { batchSession, turnText, type CrashEvent, type CrashMode } from './pages/crash-workload.js';
import { expect, test } from './support/fixtures.js';

// 13 + 12 kill points in CI: 25 in all.
const POINTS = Number(process.env['CRASH_POINTS'] ?? 13);
const SEED = Number(process.env['CRASH_SEED'] ?? 6);
const MAX_DELAY_MS = Number(process.env['CRASH_MAX_DELAY_MS'] ?? 1200);
const BATCH = 20;

type Kill = 'renderer' | 'browser';

interface Ledger {
  remembered: Map<number, string[]>;
  forgetting: Set<number>;
  forgot: Map<number, string[]>;
  consolidations: number;
}

interface Inspection {
  turns: { id: string; text: string; batch: unknown; turn: unknown; sessionId?: string }[];
  integrity: { ok: boolean; problems: string[]; records: number; vectors?: { index: string; count: number } };
  stats: { records: number; vectors?: { index: string; count: number } };
  reembedded: number;
  /** Chromium's `dataLoss` when it deleted the database as corrupt, from `stats().dataLoss` (until acknowledged). */
  dataLoss?: string;
}

/** A small seeded generator (mulberry32), so a failing run can be repeated with its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The pid of the browser process running `profile` (not its renderers, GPU or utility processes). */
function browserPid(profile: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // exited meanwhile
    }
    if (args.includes(`--user-data-dir=${profile}`) && !args.some((a) => a.startsWith('--type='))) return Number(entry);
  }
  return undefined;
}

async function kill(context: BrowserContext, page: Page, how: Kill, profile: string): Promise<void> {
  if (how === 'renderer') {
    const cdp = await context.newCDPSession(page);
    const crashed = page.waitForEvent('crash');
    void cdp.send('Page.crash').catch(() => undefined); // never answers: its renderer is gone
    await crashed;
  } else {
    const pid = browserPid(profile);
    if (pid === undefined) throw new Error(`no browser process for ${profile}`);
    process.kill(pid, 'SIGKILL');
  }
  await context.close().catch(() => undefined);
}

/** Everything wrong with what the reopened memory holds, given what was acknowledged before. */
function check(seen: Inspection, ledger: Ledger): string[] {
  const failures: string[] = [];
  if (!seen.integrity.ok) failures.push(`integrity: ${seen.integrity.problems.slice(0, 3).join('; ')}`);
  const byBatch = new Map<number, Inspection['turns']>();
  for (const turn of seen.turns) {
    if (typeof turn.batch !== 'number' || typeof turn.turn !== 'number') {
      failures.push(`turn ${turn.id} lacks its batch or number`);
      continue;
    }
    byBatch.set(turn.batch, [...(byBatch.get(turn.batch) ?? []), turn]);
  }
  for (const [batch, turns] of byBatch) {
    if (turns.length !== BATCH) failures.push(`batch ${batch}: ${turns.length} of ${BATCH} turns (a partial batch)`);
    for (const t of turns) {
      if (t.text !== turnText(batch, t.turn as number) || t.sessionId !== batchSession(batch))
        failures.push(`batch ${batch} turn ${String(t.turn)}: damaged (${t.text})`);
    }
    const acked = ledger.remembered.get(batch);
    if (acked && JSON.stringify(turns.map((t) => t.id).sort()) !== JSON.stringify([...acked].sort()))
      failures.push(`batch ${batch}: ids differ from the acknowledged ones`);
    if (ledger.forgot.has(batch)) failures.push(`batch ${batch}: forgotten (acknowledged) but back`);
  }
  for (const batch of ledger.remembered.keys()) {
    // A batch whose forget was under way at the kill may be gone; any other acknowledged batch must be there.
    if (!byBatch.has(batch) && !ledger.forgetting.has(batch)) failures.push(`batch ${batch}: acknowledged but lost`);
  }
  return failures;
}

async function crashLoop(mode: CrashMode, points: number, seed: number, testInfo: TestInfo, baseURL: string | undefined) {
  const profile = testInfo.outputPath(`profile-${mode}`);
  const namespace = `crash-${mode}`;
  const next = random(seed);
  const ledger: Ledger = { remembered: new Map(), forgetting: new Set(), forgot: new Map(), consolidations: 0 };
  const failures: string[] = [];
  const kills: Record<Kill, number> = { renderer: 0, browser: 0 };
  let last: Inspection | undefined;
  let maxVectors = { index: 'flat', count: 0 };
  let reembedded = 0;
  const history: string[] = []; // per kill point: how, after how long, records then; for the report file

  for (let point = 0; point <= points; point++) {
    const context = await chromium.launchPersistentContext(profile, {
      ...testInfo.project.use.launchOptions,
      ...(baseURL && { baseURL }),
      headless: true,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.exposeFunction('crashEvent', (event: CrashEvent) => {
      if (event.kind === 'remembered') ledger.remembered.set(event.batch, event.ids);
      else if (event.kind === 'forgetting') ledger.forgetting.add(event.batch);
      else if (event.kind === 'forgot') ledger.forgot.set(event.batch, event.ids);
      else ledger.consolidations++;
    });
    await page.goto('/e2e/pages/crash.html');
    await expect(page.locator('body[data-ready="true"]')).toBeAttached();
    last = await page.evaluate(([ns, m]) => window.crash.inspect(ns, m), [namespace, mode] as const);
    // The first few problems of each reopening say enough; the rest would bury them.
    for (const failure of check(last, ledger).slice(0, 5)) failures.push(`after kill ${point}: ${failure}`);
    if (last.integrity.vectors && last.integrity.vectors.count >= maxVectors.count) maxVectors = last.integrity.vectors;
    reembedded += last.reembedded;
    if (point === points) {
      await context.close();
      break;
    }
    void page
      .evaluate(([ns, m, first, size]) => window.crash.run(ns, m, first, size), [
        namespace,
        mode,
        (point + 1) * 100_000,
        BATCH,
      ] as const)
      .catch(() => undefined); // ends with the kill
    await page.waitForTimeout(Math.floor(next() * MAX_DELAY_MS)); // a random kill point, not an assertion
    const how: Kill = next() < 0.5 ? 'renderer' : 'browser';
    history.push(`${point + 1}:${how}:${last.stats.records}${last.dataLoss ? `:${last.dataLoss}` : ''}`);
    kills[how]++;
    await kill(context, page, how, profile);
  }

  const summary = {
    mode,
    seed,
    killPoints: points,
    kills,
    batchesAcknowledged: ledger.remembered.size,
    forgetsAcknowledged: ledger.forgot.size,
    forgetsInterrupted: [...ledger.forgetting].filter((b) => !ledger.forgot.has(b)).length,
    consolidations: ledger.consolidations,
    finalRecords: last?.stats.records,
    largestIndex: maxVectors,
    /** Vectors embedded again at a reopening because the kill lost them (Chromium lost a chunk's file). */
    reembedded,
    failures,
  };
  testInfo.annotations.push({ type: 'crash-summary', description: JSON.stringify(summary) });
  const reportFile = process.env['CRASH_REPORT'];
  if (reportFile) writeFileSync(`${reportFile}.${mode}.json`, JSON.stringify({ ...summary, history }, null, 2));
  return summary;
}

test.describe('crash safety', () => {
  for (const [mode, seedOffset, points] of [
    ['worker', 0, POINTS],
    ['hnsw', 1, process.env['CRASH_POINTS'] ? POINTS : POINTS - 1],
  ] as const) {
    test(`${mode}: every acknowledged batch survives renderer crashes and browser kills whole, and the integrity check passes`, async ({
      browserName,
      baseURL,
    }, testInfo) => {
      expect(browserName).toBe('chromium');
      test.setTimeout(60_000 + points * 15_000);
      const summary = await crashLoop(mode, points, SEED + seedOffset, testInfo, baseURL);
      expect(summary.failures).toEqual([]);
      // The kills must have landed while work was going on, or the test proves nothing.
      expect(summary.batchesAcknowledged).toBeGreaterThan(points);
      expect(summary.forgetsAcknowledged).toBeGreaterThan(0);
      expect(summary.consolidations).toBeGreaterThan(0);
      expect(summary.kills.renderer).toBeGreaterThan(0);
      expect(summary.kills.browser).toBeGreaterThan(0);
      if (mode === 'hnsw') expect(summary.largestIndex.index).toBe('hnsw');
    });
  }
});
