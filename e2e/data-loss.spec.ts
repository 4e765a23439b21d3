// A database Chromium deletes as corrupt, for real: two memories written in a persistent profile, the browser
// closed, the origin's LevelDB log damaged on disk (bytes flipped, so a record fails its checksum), the profile
// reopened. Chromium then deletes the origin's whole IndexedDB store and reports `dataLoss: 'total'` to the first
// open; stats() must say so, the memory must work, and the report must stay across a restart until acknowledged.

import { chromium, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, openHarness, test } from './support/fixtures.js';

/** Bytes flipped in the middle of each log file: a LevelDB record there then fails its CRC on replay. */
const FLIPPED = 64;

async function launch(profile: string, testInfo: TestInfo, baseURL: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profile, {
    ...testInfo.project.use.launchOptions,
    baseURL,
    headless: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await openHarness(page);
  return { context, page };
}

/** Opens a memory in the page, runs `task` on it, closes it; the stats the page saw come back. */
function withMemory(page: Page, namespace: string, task: 'inspect' | 'write' | 'use' | 'acknowledge', turns = 0) {
  return page.evaluate(
    async ([ns, what, count]) => {
      const memory = await window.harness.createMemory({ namespace: ns });
      try {
        const opened = await memory.stats();
        let acknowledged: boolean | undefined;
        let recalled: string | undefined;
        let integrity: boolean | undefined;
        if (what === 'write') {
          const batch = Array.from({ length: count }, (_, i) => ({ text: `Ada note ${i}: green tea in Lisbon`, sessionId: 's' }));
          await memory.remember(batch);
        } else if (what === 'use') {
          await memory.remember({ text: 'Ada started over after the browser lost her memory', sessionId: 'after' });
          recalled = (await memory.recall('started over'))[0]?.record.text;
          integrity = (await memory.checkIntegrity()).ok;
        } else if (what === 'acknowledge') {
          acknowledged = await memory.acknowledgeDataLoss();
        }
        const after = await memory.stats();
        return { opened, after, acknowledged, recalled, integrity };
      } finally {
        await memory.close();
      }
    },
    [namespace, task, turns] as const,
  );
}

/** Flips bytes in the middle of every LevelDB log of the origin's IndexedDB; returns what it did, per file. */
function corruptLogs(profile: string, baseURL: string): string[] {
  const dir = join(profile, 'Default', 'IndexedDB', `http_localhost_${new URL(baseURL).port}.indexeddb.leveldb`);
  const done: string[] = [];
  for (const file of readdirSync(dir)) {
    const path = join(dir, file);
    if (!file.endsWith('.log') || statSync(path).size < 4 * FLIPPED) continue;
    const bytes = readFileSync(path);
    const at = Math.floor(bytes.length / 2);
    for (let i = at; i < at + FLIPPED; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(path, bytes);
    done.push(`${file} (${bytes.length} bytes): ${FLIPPED} bytes flipped at ${at}`);
  }
  return done;
}

test('Chromium deletes a corrupt database: stats().dataLoss reports it until acknowledged, and the memory works', async ({
  browserName,
  baseURL,
}, testInfo) => {
  expect(browserName).toBe('chromium');
  test.setTimeout(240_000);
  const profile = testInfo.outputPath('profile');
  const first = 'data-loss-a';
  const second = 'data-loss-b';

  // 1. Two memories written; nothing to report yet.
  let browser = await launch(profile, testInfo, baseURL!);
  const wroteFirst = await withMemory(browser.page, first, 'write', 30);
  const wroteSecond = await withMemory(browser.page, second, 'write', 10);
  await browser.context.close();
  expect(wroteFirst.after.records).toBe(30);
  expect(wroteSecond.after.records).toBe(10);
  expect(wroteFirst.after.dataLoss).toBeUndefined();

  // 2. The log damaged while the browser is closed (LevelDB replays it at the next open).
  const corrupted = corruptLogs(profile, baseURL!);
  testInfo.annotations.push({ type: 'corrupted', description: corrupted.join('; ') });
  expect(corrupted.length).toBeGreaterThan(0);

  // 3. Reopened: the first open of the origin hears of the loss, and the memory carries on, empty.
  browser = await launch(profile, testInfo, baseURL!);
  const before = Date.now();
  const lost = await withMemory(browser.page, first, 'use');
  testInfo.annotations.push({ type: 'dataLoss', description: JSON.stringify(lost.opened.dataLoss) });
  expect(lost.opened.records).toBe(0);
  expect(lost.opened.dataLoss).toMatchObject({
    amount: 'total',
    message: expect.stringMatching(/^IndexedDB \(database was corrupt\): /),
  });
  expect(lost.opened.dataLoss!.at).toBeLessThanOrEqual(Date.now());
  expect(lost.opened.dataLoss!.at).toBeGreaterThan(before - 60_000);
  expect(lost.recalled).toBe('Ada started over after the browser lost her memory');
  expect(lost.integrity).toBe(true);
  expect(lost.after.records).toBe(1);
  expect(lost.after.dataLoss).toEqual(lost.opened.dataLoss);
  // The other namespace went with it (one LevelDB per origin), but Chromium tells only the first open: its
  // database is simply new ('none'). This pins the limit docs/RELIABILITY.md describes; if Chromium starts
  // reporting it here too, this fails and the docs need updating.
  const sibling = await withMemory(browser.page, second, 'inspect');
  expect(sibling.opened.records).toBe(0);
  expect(sibling.opened.dataLoss).toBeUndefined();
  await browser.context.close();

  // 4. A restart later the report is still there, with what was written since; acknowledging clears it for good.
  browser = await launch(profile, testInfo, baseURL!);
  const acknowledged = await withMemory(browser.page, first, 'acknowledge');
  expect(acknowledged.opened.dataLoss).toEqual(lost.opened.dataLoss);
  expect(acknowledged.opened.records).toBe(1);
  expect(acknowledged.acknowledged).toBe(true);
  expect(acknowledged.after.dataLoss).toBeUndefined();
  await browser.page.reload();
  await openHarness(browser.page);
  const later = await withMemory(browser.page, first, 'acknowledge');
  expect(later.opened.dataLoss).toBeUndefined();
  expect(later.acknowledged).toBe(false);
  expect(later.opened.records).toBe(1);
  await browser.context.close();
});
