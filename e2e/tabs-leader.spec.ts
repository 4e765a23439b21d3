// Several tabs, one writer: pages elect a leader with Web Locks and send it their calls; the final state equals a
// serial replay of what the leader applied, there are never two leaders, and a killed leader is replaced.

import type { BrowserContext, Page } from '@playwright/test';
import type { MemoryClient } from '../src/index.js';
import type { CoordinationEvent } from '../src/sdk/tab-facade.js';
import { expect, openHarness, test } from './support/fixtures.js';

type Logged = CoordinationEvent & { tab: number };

/** What a page's call came to: a unique token names each operation. */
interface Outcome {
  token: string;
  kind: string;
  ok: boolean;
  code?: string;
  value?: unknown;
  at: number;
}

declare global {
  interface Window {
    tab: MemoryClient;
    stopOps: boolean;
    logCoordination(event: CoordinationEvent): Promise<void>;
  }
}

/** Every coordination event of every page, tagged with the page's index, as the pages report them. */
async function recordCoordination(context: BrowserContext, pages: Page[]): Promise<Logged[]> {
  const log: Logged[] = [];
  await context.exposeBinding('logCoordination', ({ page }, event: CoordinationEvent) => {
    log.push({ ...event, tab: pages.indexOf(page) });
  });
  return log;
}

/** Opens a page and its memory; pages open one after the other, so they queue for the lock in this order. */
async function openTab(context: BrowserContext, pages: Page[], namespace: string): Promise<Page> {
  const page = await context.newPage();
  pages.push(page);
  await openHarness(page);
  await page.evaluate(async (ns) => {
    window.tab = await window.harness.createMemory({
      namespace: ns,
      coordination: 'leader',
      onCoordination: (event) => void window.logCoordination(event),
    });
  }, namespace);
  return page;
}

test('six tabs x 60 mixed operations on shared records end in the state a serial replay gives', async ({
  context,
  namespace,
}) => {
  test.setTimeout(180_000);
  const pages: Page[] = [];
  const log = await recordCoordination(context, pages);
  for (let i = 0; i < 6; i++) await openTab(context, pages, namespace);
  const first = pages[0] as Page;

  // Shared records every page works on: notes to forget, working blocks to overwrite and to append to.
  const seedIds = await first.evaluate(async () => {
    const notes = await window.tab.remember(Array.from({ length: 40 }, (_, i) => ({ text: `Seed note ${i} about the harbour` })));
    await window.tab.working.set('log', { value: 'log:', limit: 20_000 });
    return notes.map((note) => note.id);
  });

  const outcomes = (
    await Promise.all(
      pages.map((page, tab) =>
        page.evaluate(
          async ({ tab, seedIds }) => {
            let state = 1000 + tab * 7919;
            const random = (n: number) => {
              state = (state * 48271) % 2147483647;
              return state % n;
            };
            const memory = window.tab;
            const run = async (i: number) => {
              const token = `t${tab}x${i}`;
              const pick = random(100);
              const seed = seedIds[random(seedIds.length)] as string;
              const started = async (kind: string, task: () => Promise<unknown>) => {
                try {
                  return { token, kind, ok: true, value: await task(), at: Date.now() };
                } catch (error) {
                  return { token, kind, ok: false, code: (error as { code?: string }).code, at: Date.now() };
                }
              };
              if (pick < 25)
                return started('remember', async () => (await memory.remember({ text: `Note ${token} by the harbour` })).id);
              if (pick < 40) return started('forget', () => memory.forget(seed));
              if (pick < 55)
                return started(
                  'set',
                  async () => (await memory.working.set(`shared-${random(3)}`, { value: `set ${token}` })).value,
                );
              if (pick < 70) return started('append', async () => (await memory.working.append('log', ` ${token}`)).value);
              if (pick < 80) {
                const key = `topic-${random(3)}`;
                return started(
                  'fact',
                  async () => (await memory.facts.add({ text: `The ${key} answer is ${token}`, key })).fact.text,
                );
              }
              if (pick < 85) return started('get', async () => (await memory.get(seed))?.id ?? null);
              if (pick < 90) return started('recall', async () => (await memory.recall('harbour note', { k: 5 })).length);
              if (pick < 95) return started('list', async () => (await memory.list({ limit: 10 })).length);
              return started('facts', async () => (await memory.facts.list()).length);
            };
            // Three calls in flight per page at any time.
            const results: Awaited<ReturnType<typeof run>>[] = [];
            let next = 0;
            await Promise.all(
              [0, 1, 2].map(async () => {
                while (next < 60) results.push(await run(next++));
              }),
            );
            return results;
          },
          { tab, seedIds },
        ),
      ),
    )
  ).flat() as Outcome[];

  expect(outcomes).toHaveLength(360);
  expect(outcomes.filter((o) => !o.ok)).toEqual([]);

  // One leader, the first page, served everything.
  const leaders = log.filter((e) => e.type === 'leader');
  expect(leaders.map((e) => e.tab)).toEqual([0]);
  const served = log.filter((e): e is Extract<Logged, { type: 'served' }> => e.type === 'served');
  expect(new Set(served.map((e) => e.tab))).toEqual(new Set([0]));

  // Each operation was applied exactly once: its token appears in one served call.
  const tokenOf = (args: unknown[]) => /t\d+x\d+/.exec(JSON.stringify(args))?.[0];
  const servedTokens = served.map((e) => tokenOf(e.args)).filter((t): t is string => t !== undefined);
  expect(new Set(servedTokens).size).toBe(servedTokens.length);
  const writes = outcomes.filter((o) => ['remember', 'set', 'append', 'fact'].includes(o.kind));
  expect(new Set(servedTokens)).toEqual(new Set(writes.map((o) => o.token)));

  // The serial oracle: replay the writes in the order the leader applied them.
  const expected = { blocks: new Map<string, string>(), log: '', facts: new Map<string, string>(), forgotten: new Set<string>() };
  const forgetAnswers: { seed: string; deleted: boolean }[] = [];
  for (const event of served) {
    if (!event.ok) continue;
    const [a, b] = event.args as [unknown, unknown];
    if (event.method === 'workingSet' && a === 'log') expected.log = (b as { value: string }).value;
    else if (event.method === 'workingSet') expected.blocks.set(a as string, (b as { value: string }).value);
    if (event.method === 'workingAppend') expected.log += `\n${b as string}`;
    if (event.method === 'factAdd') {
      const fact = a as { key: string; text: string };
      expected.facts.set(fact.key, fact.text);
    }
    if (event.method === 'forget' && typeof a === 'string') {
      forgetAnswers.push({ seed: a, deleted: !expected.forgotten.has(a) });
      expected.forgotten.add(a);
    }
  }
  // A forget deleted the record only where it came first in that order.
  const forgets = outcomes.filter((o) => o.kind === 'forget');
  expect(forgets.filter((o) => (o.value as string[]).length === 1)).toHaveLength(forgetAnswers.filter((f) => f.deleted).length);
  // Each append answered with the log as the replay had it at that point: the answers are prefixes of the final log.
  for (const append of outcomes.filter((o) => o.kind === 'append')) {
    expect(expected.log.startsWith(append.value as string)).toBe(true);
    expect((append.value as string).endsWith(` ${append.token}`)).toBe(true);
  }

  const actual = await first.evaluate(async () => {
    const memory = window.tab;
    const blocks = Object.fromEntries((await memory.working.list()).map((block) => [block.label, block.value]));
    const facts = (await memory.facts.list({ limit: 1000 })).map((fact) => fact.text);
    const all = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await memory.list({ limit: 1000, offset });
      all.push(...page);
      if (page.length < 1000) break;
    }
    return { blocks, facts, texts: all.map((r) => r.text), ids: all.map((r) => r.id) };
  });
  expect(actual.blocks['log']).toBe(expected.log);
  for (const [label, value] of expected.blocks) expect(actual.blocks[label]).toBe(value);
  expect(actual.facts.sort()).toEqual([...expected.facts.values()].sort());
  for (const id of seedIds) expect(actual.ids.includes(id)).toBe(!expected.forgotten.has(id));
  const notes = actual.texts.filter((text) => text.startsWith('Note '));
  expect(notes.sort()).toEqual(
    outcomes
      .filter((o) => o.kind === 'remember')
      .map((o) => `Note ${o.token} by the harbour`)
      .sort(),
  );
});
