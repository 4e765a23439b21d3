// The next leader loads its embedding model before it is needed: only the tab first in line for the lead does, its
// takeover opens with that model instead of loading one, and the tab after it takes its place in line.

import type { BrowserContext, Page } from '@playwright/test';
import type { MemoryClient, ModelLoadProgress } from '../src/index.js';
import type { CoordinationEvent } from '../src/sdk/tab-facade.js';
import { expect, openHarness, test } from './support/fixtures.js';

const TINY = { model: 'mnemo-tiny-bert-v1', localModelPath: '/models/', device: 'wasm' } as const;

type Logged = CoordinationEvent & { tab: number };

declare global {
  interface Window {
    tab: MemoryClient;
    modelStages: ModelLoadProgress['stage'][];
    logCoordination(event: CoordinationEvent): Promise<void>;
  }
}

/** Opens `count` tabs one after the other (so they queue for the lock in this order), logging coordination. */
async function openTabs(
  context: BrowserContext,
  namespace: string,
  count: number,
  prepareNextLeader?: boolean,
): Promise<{ pages: Page[]; log: Logged[] }> {
  const pages: Page[] = [];
  const log: Logged[] = [];
  await context.exposeBinding('logCoordination', ({ page }, event: CoordinationEvent) => {
    log.push({ ...event, tab: pages.indexOf(page) });
  });
  for (let i = 0; i < count; i++) {
    const page = await context.newPage();
    pages.push(page);
    await openHarness(page);
    await page.evaluate(
      async ([ns, embedding, prepare]) => {
        window.modelStages = [];
        window.tab = await window.harness.createMemory({
          namespace: ns,
          coordination: 'leader',
          embedding,
          ...(prepare !== undefined && { prepareNextLeader: prepare }),
          onModelProgress: (progress) => void window.modelStages.push(progress.stage),
          onCoordination: (event) => void window.logCoordination(event),
        });
      },
      [namespace, TINY, prepareNextLeader] as const,
    );
  }
  return { pages, log };
}

test('only the tab next in line loads the model, and its takeover uses it', async ({ context, namespace }) => {
  test.setTimeout(120_000);
  // Tab 0 leads, 1 is next, then 2 and 3.
  const { pages, log } = await openTabs(context, namespace, 4);
  const prepared = () => log.filter((e) => e.type === 'prepared').map((e) => ({ tab: e.tab, ok: (e as { ok: boolean }).ok }));
  await expect.poll(prepared, { timeout: 30_000 }).toEqual([{ tab: 1, ok: true }]);
  const [first, next, , last] = pages as [Page, Page, Page, Page];
  await last.evaluate(() => window.tab.remember({ text: 'Ada drinks green tea every morning' }));
  // A follower hears nothing of a model load; the leader heard its own.
  expect(await first.evaluate(() => window.modelStages)).toContain('compile');
  expect(await next.evaluate(() => window.modelStages)).toEqual([]);

  await first.close();
  await expect.poll(() => log.filter((e) => e.type === 'leader').map((e) => e.tab), { timeout: 30_000 }).toEqual([0, 1]);
  // The new leader's open took the model its standby had loaded: only the stage it had reached, no files, no compile.
  expect(await next.evaluate(() => window.modelStages)).toEqual(['ready']);
  const after = await last.evaluate(async () => {
    const hits = await window.tab.recall('what does Ada drink?', { k: 1 });
    return { text: hits[0]?.record.text, embedder: (await window.tab.stats()).embedder?.model };
  });
  expect(after).toEqual({ text: 'Ada drinks green tea every morning', embedder: 'mnemo-tiny-bert-v1' });
  // Tab 2 is next in line now and loads its model; tab 3, behind it, never did.
  await expect.poll(prepared, { timeout: 30_000 }).toEqual([
    { tab: 1, ok: true },
    { tab: 2, ok: true },
  ]);
  // Never two leaders: the standby's load opened no memory.
  expect(log.filter((e) => e.type === 'leader').map((e) => e.tab)).toEqual([0, 1]);
});

test('with prepareNextLeader: false no tab loads a model ahead, and a takeover loads its own', async ({ context, namespace }) => {
  test.setTimeout(120_000);
  const { pages, log } = await openTabs(context, namespace, 2, false);
  const [first, next] = pages as [Page, Page];
  await next.evaluate(() => window.tab.remember({ text: 'Bo keeps bees on the roof' }));
  await first.close();
  await expect.poll(() => log.filter((e) => e.type === 'leader').map((e) => e.tab), { timeout: 30_000 }).toEqual([0, 1]);
  expect(await next.evaluate(async () => (await window.tab.recall('who keeps bees?', { k: 1 }))[0]?.record.text)).toBe(
    'Bo keeps bees on the roof',
  );
  // It loaded the model when it took over, and never before.
  expect(await next.evaluate(() => window.modelStages)).toContain('compile');
  expect(log.filter((e) => e.type === 'prepared')).toEqual([]);
});
