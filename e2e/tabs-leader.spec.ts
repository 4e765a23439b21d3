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
  /** The record a forget named. */
  target?: string | undefined;
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

test('a leader closed or crashed is replaced, calls resume, and writes in flight apply once or fail with LEADER_LOST', async ({
  context,
  namespace,
}, testInfo) => {
  test.setTimeout(300_000);
  const pages: Page[] = [];
  const log = await recordCoordination(context, pages);
  for (let i = 0; i < 6; i++) await openTab(context, pages, namespace);
  await (pages[0] as Page).evaluate(() => window.tab.working.set('log', { value: 'log:', limit: 50_000 }));

  // Pages 3-5 call without pause, two calls in flight each, while pages 0, 1 and 2 lead and are killed in turn.
  const loops = [3, 4, 5].map((tab) =>
    (pages[tab] as Page).evaluate(async (tab) => {
      window.stopOps = false;
      const outcomes: Outcome[] = [];
      const mine: string[] = [];
      let i = 0;
      const lane = async () => {
        while (!window.stopOps) {
          const token = `k${tab}x${i++}`;
          const kind = ['remember', 'append', 'get', 'recall', 'forget'][i % 5] as string;
          const target = kind === 'forget' ? (mine.shift() ?? 'none') : undefined;
          try {
            let value: unknown;
            if (kind === 'remember') mine.push((value = (await window.tab.remember({ text: `Kept ${token} note` })).id));
            else if (kind === 'append') value = (await window.tab.working.append('log', token)).value.length;
            else if (kind === 'get') value = (await window.tab.get(mine[0] ?? 'none'))?.id ?? null;
            else if (kind === 'recall') value = (await window.tab.recall('kept note', { k: 3 })).length;
            else value = await window.tab.forget(target as string);
            outcomes.push({ token, kind, ok: true, value, target, at: Date.now() });
          } catch (error) {
            outcomes.push({ token, kind, ok: false, code: (error as { code?: string }).code, target, at: Date.now() });
          }
          // A breath between calls keeps the machine (and the memory) from filling up while a takeover runs.
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      await Promise.all([lane(), lane()]);
      return outcomes;
    }, tab),
  );

  const servedBy = (tab: number) => log.filter((e) => e.type === 'served' && e.tab === tab).length;
  const kills: { tab: number; how: string; at: number }[] = [];
  const takeovers: { how: string; gone: number; locked: number; elected: number; firstServed: number }[] = [];
  for (const [tab, how] of [
    [0, 'close'],
    [1, 'crash'],
    [2, 'close'],
  ] as const) {
    const page = pages[tab] as Page;
    // Let the leader serve a while, so the kill lands among calls in flight.
    await expect.poll(() => servedBy(tab), { timeout: 20_000 }).toBeGreaterThan(30);
    const at = Date.now();
    kills.push({ tab, how, at });
    if (how === 'close') await page.close();
    else {
      const cdp = await context.newCDPSession(page);
      const crashed = page.waitForEvent('crash');
      void cdp.send('Page.crash').catch(() => undefined); // never answers: its renderer is gone
      await crashed;
    }
    const gone = Date.now() - at;
    const next = tab + 1;
    await expect.poll(() => servedBy(next), { timeout: 60_000 }).toBeGreaterThan(0);
    const leader = log.find((e): e is Extract<Logged, { type: 'leader' }> => e.type === 'leader' && e.tab === next);
    const firstServed = log.find((e) => e.type === 'served' && e.tab === next)?.at ?? NaN;
    takeovers.push({
      how,
      gone,
      locked: (leader?.lockedAt ?? NaN) - at,
      elected: (leader?.at ?? NaN) - at,
      firstServed: firstServed - at,
    });
  }
  await expect.poll(() => servedBy(3), { timeout: 20_000 }).toBeGreaterThan(30);
  await Promise.all([3, 4, 5].map((tab) => (pages[tab] as Page).evaluate(() => (window.stopOps = true))));
  const outcomes = (await Promise.all(loops)).flat();

  // Leaders in queue order, each elected only after its predecessor was killed, none serving after that.
  const leaders = log.filter((e) => e.type === 'leader');
  expect(leaders.map((e) => e.tab)).toEqual([0, 1, 2, 3]);
  for (const [k, kill] of kills.entries()) {
    expect((leaders[k + 1] as Logged).at).toBeGreaterThanOrEqual(kill.at);
    for (const served of log.filter((e) => e.type === 'served' && e.tab === kill.tab)) {
      expect(served.at).toBeLessThanOrEqual((leaders[k + 1] as Logged).at);
    }
  }

  // Reads never failed; the only failures are writes in flight on a lost leader.
  const failed = outcomes.filter((o) => !o.ok);
  for (const failure of failed) {
    expect(failure.code).toBe('LEADER_LOST');
    expect(['remember', 'append', 'forget']).toContain(failure.kind);
  }
  expect(failed.length).toBeLessThanOrEqual(3 * 3 * 2); // at most the calls in flight at each kill

  const final = await (pages[3] as Page).evaluate(async () => {
    const all = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await window.tab.list({ limit: 1000, offset });
      all.push(...page);
      if (page.length < 1000) break;
    }
    return { texts: all.map((r) => r.text), log: (await window.tab.working.get('log'))?.value ?? '' };
  });
  const count = (texts: string[], text: string) => texts.filter((t) => t === text).length;
  // A forget that failed with LEADER_LOST may have applied: its record may be gone too.
  const forgotten = new Set(outcomes.filter((o) => o.kind === 'forget').map((o) => o.target));
  for (const o of outcomes.filter((o) => o.kind === 'forget' && o.ok))
    expect(o.value).toEqual(o.target === 'none' ? [] : [o.target]);
  const remembered = outcomes.filter((o) => o.kind === 'remember');
  // Writes resumed after every kill.
  for (const kill of kills) expect(remembered.some((o) => o.ok && o.at > kill.at)).toBe(true);
  for (const o of remembered) {
    const times = count(final.texts, `Kept ${o.token} note`);
    if (o.ok && !forgotten.has(o.value as string)) expect(times, o.token).toBe(1);
    else expect(times, o.token).toBeLessThanOrEqual(1);
  }
  const appended = final.log.split('\n').slice(1);
  expect(new Set(appended).size).toBe(appended.length); // no append applied twice
  for (const o of outcomes.filter((o) => o.kind === 'append')) {
    if (o.ok) expect(appended, o.token).toContain(o.token);
  }

  const summary = takeovers.map(
    (t) =>
      `${t.how}: page gone after ${t.gone} ms, lock after ${t.locked} ms, serving after ${t.elected} ms, first call served after ${t.firstServed} ms`,
  );
  console.log(`takeovers (${outcomes.length} calls, ${failed.length} LEADER_LOST):\n  ${summary.join('\n  ')}`);
  testInfo.annotations.push({ type: 'takeover', description: summary.join('; ') });
  // Each takeover happened (the polls above wait up to 60 s); how long it took is reported, not asserted: the goal
  // is 1 s (docs/RELIABILITY.md has measured figures), but test machines are noisy.
  for (const t of takeovers) expect(t.firstServed).toBeGreaterThan(0);
});

test("a follower's consolidation uses its own language model through the leader; a leader that closes hands over without losing a call", async ({
  context,
  namespace,
}) => {
  const pages: Page[] = [];
  const log = await recordCoordination(context, pages);
  const [leader, follower] = [await openTab(context, pages, namespace), await openTab(context, pages, namespace)];
  const consolidated = await follower.evaluate(async () => {
    await window.tab.remember([
      { text: 'We adopted a puppy called Miso', speaker: 'Ada', sessionId: 's1' },
      { text: 'Congratulations!', speaker: 'Bo', sessionId: 's1' },
    ]);
    const prompts: string[] = [];
    const progress: number[] = [];
    const llm = async (prompt: string) => {
      prompts.push(prompt);
      if (prompt.startsWith('Summarise')) return 'Ada told Bo about the new puppy, Miso.';
      return '```json\n[{"fact": "Ada has a puppy called Miso", "key": "Ada|puppy", "turns": [0]}]\n```';
    };
    const report = await window.tab.consolidate({ llm, onProgress: (r) => progress.push(r.processed) });
    return { report, prompts: prompts.length, progress, facts: (await window.tab.facts.list()).map((f) => f.text) };
  });
  expect(consolidated.report).toMatchObject({ processed: 2, factsAdded: 1, rejected: [] });
  expect(consolidated.prompts).toBeGreaterThan(0);
  expect(consolidated.progress.length).toBeGreaterThan(0);
  expect(consolidated.facts).toEqual(['Ada has a puppy called Miso']);
  expect(log.filter((e) => e.type === 'leader').map((e) => e.tab)).toEqual([0]);

  // The follower writes without pause while the leader closes its memory: every write is answered, none lost.
  const writing = follower.evaluate(async () => {
    window.stopOps = false;
    const results: { ok: boolean; code?: string }[] = [];
    for (let i = 0; !window.stopOps; i++) {
      await window.tab
        .remember({ text: `Handover note ${i}` })
        .then(() => results.push({ ok: true }))
        .catch((error: { code?: string }) => results.push({ ok: false, code: error.code }));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return results;
  });
  const handovers = (tab: number) =>
    log.filter((e) => e.type === 'served' && e.tab === tab && JSON.stringify(e.args).includes('Handover')).length;
  await expect.poll(() => handovers(0)).toBeGreaterThan(10);
  await leader.evaluate(() => window.tab.close());
  await expect.poll(() => handovers(1)).toBeGreaterThan(10);
  await follower.evaluate(() => (window.stopOps = true));
  const results = await writing;
  expect(results.filter((r) => !r.ok)).toEqual([]);
  expect(log.filter((e) => e.type === 'resigned').map((e) => e.tab)).toEqual([0]);
  expect(log.filter((e) => e.type === 'leader').map((e) => e.tab)).toEqual([0, 1]);
  const notes = await follower.evaluate(async () => {
    const texts: string[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await window.tab.list({ limit: 1000, offset });
      texts.push(...page.map((r) => r.text));
      if (page.length < 1000) break;
    }
    return texts.filter((t) => t.startsWith('Handover note'));
  });
  expect(notes.sort()).toEqual(Array.from({ length: results.length }, (_, i) => `Handover note ${i}`).sort());
});

test("coordination 'shared-worker' serves every tab from one SharedWorker; a bad coordination is refused", async ({
  context,
  namespace,
}) => {
  const [a, b] = [await context.newPage(), await context.newPage()];
  await openHarness(a);
  await openHarness(b);
  const id = await a.evaluate(async (ns) => {
    const memory = await window.harness.createMemory({ namespace: ns, coordination: 'shared-worker' });
    return (await memory.remember({ text: 'One host for every tab' })).id;
  }, namespace);
  const seen = await b.evaluate(async (ns) => {
    const memory = await window.harness.createMemory({ namespace: ns, coordination: 'shared-worker' });
    return (await memory.recall('host for every tab')).map((hit) => hit.record.id);
  }, namespace);
  expect(seen).toEqual([id]);
  const refused = await a.evaluate(async (ns) => {
    const codes: (string | undefined)[] = [];
    for (const options of [
      { namespace: ns, coordination: 'everyone' },
      { namespace: ns, coordination: 'leader', endpoint: new MessageChannel().port1 },
      { namespace: ns, coordination: 'leader', onCoordination: 'yes' },
    ]) {
      await window.harness.createMemory(options as never).catch((error: { code?: string }) => codes.push(error.code));
    }
    return codes;
  }, namespace);
  expect(refused).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
});
