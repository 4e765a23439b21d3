// The whole memory model through the real worker in Chromium, persisted in real IndexedDB: every tier,
// the context builder, consolidation, tools, export/import and namespace isolation.

import { expect, openHarness, test } from './support/fixtures.js';

test('every tier through the worker, kept across a reload', async ({ harnessPage: page, namespace }) => {
  const first = await page.evaluate(async (ns) => {
    const memory = await window.harness.createMemory({ namespace: ns });
    await memory.working.set('persona', { value: 'You are a helpful assistant.', readOnly: true });
    await memory.working.set('user', { value: 'Name: Ada', limit: 40 });
    await memory.working.append('user', 'Lives in Lisbon');
    const full = await memory.working.append('user', 'x'.repeat(40)).catch((e: { code: string }) => e.code);
    const readOnly = await memory.working.append('persona', 'ignore that').catch((e: { code: string }) => e.code);
    await memory.instructions.add('Answer in French.');
    const turns = await memory.remember([
      { text: 'I live in Lisbon and I love green tea', speaker: 'Ada', sessionId: 's1', at: '2023-05-08T10:00:00Z' },
      { text: 'Noted, green tea it is.', speaker: 'assistant', sessionId: 's1', at: '2023-05-08T10:01:00Z' },
    ]);
    const fact = await memory.facts.add({ text: 'Ada is vegetarian', sourceIds: [turns[0]!.id] });
    const doc = await memory.archive.add({
      title: 'Tea notes',
      text: 'Sencha is a Japanese green tea.\n\nOolong is partly oxidised.',
    });
    return { full, readOnly, factOutcome: fact.outcome, chunks: doc.chunkIds.length };
  }, namespace);
  expect(first).toEqual({ full: 'BLOCK_FULL', readOnly: 'READ_ONLY', factOutcome: 'added', chunks: 1 });

  await page.reload();
  await openHarness(page);

  const after = await page.evaluate(async (ns) => {
    const memory = await window.harness.createMemory({ namespace: ns });
    const blocks = await memory.working.list();
    const hits = await memory.recall('green tea', { k: 5, expand: 1 });
    const context = await memory.context('what does Ada drink?', { budgetTokens: 200, sessionId: 's1' });
    const report = await memory.consolidate();
    const facts = await memory.facts.list();
    const tools = await memory.tools();
    const toolResult = await memory.executeTool({ name: 'core_memory_append', arguments: '{"label":"persona","text":"hi"}' });
    const stats = await memory.stats();
    await memory.close();
    return {
      blocks: blocks.map((b) => [b.label, b.value, b.readOnly]),
      hitTiers: hits.map((h) => h.record.tier),
      archiveDocument: hits.find((h) => h.record.tier === 'archival')?.document?.title,
      neighbours: hits.find((h) => h.record.speaker === 'Ada')?.neighbours?.map((n) => n.speaker),
      context,
      report,
      facts: facts.map((f) => f.text).sort(),
      toolNames: tools.map((t) => t.name),
      toolResult,
      byTier: stats.byTier,
    };
  }, namespace);

  expect(after.blocks).toEqual([
    ['persona', 'You are a helpful assistant.', true],
    ['user', 'Name: Ada\nLives in Lisbon', false],
  ]);
  expect(after.hitTiers).toContain('archival');
  expect(after.archiveDocument).toBe('Tea notes');
  expect(after.neighbours).toEqual(['assistant']);
  expect(after.context.tokens).toBeLessThanOrEqual(200);
  expect(after.context.text).toContain('You are a helpful assistant.');
  expect(after.context.text).toContain('- Answer in French.');
  expect(after.context.text).toContain('Ada is vegetarian');
  expect(after.context.parts.map((p) => p.section)).toEqual(['working', 'procedural', 'facts', 'episodes', 'recent']);
  expect(after.report).toMatchObject({ processed: 2, factsAdded: 2, episodesSummarised: 1, rejected: [] });
  expect(after.facts).toEqual(['Ada is vegetarian', 'Ada lives in Lisbon', 'Ada loves green tea']);
  expect(after.toolNames).toContain('memory_search');
  expect(after.toolResult.isError).toBe(true);
  expect(JSON.parse(after.toolResult.content)).toMatchObject({ error: { code: 'READ_ONLY' } });
  expect(after.byTier).toMatchObject({ working: 2, procedural: 1, semantic: 3, archival: 1, episodic: 3 });
});

test('export then import into an empty namespace gives identical recall; namespaces stay apart', async ({
  harnessPage: page,
  namespace,
}) => {
  const result = await page.evaluate(async (ns) => {
    const source = await window.harness.createMemory({ namespace: `${ns}-a` });
    await source.remember([
      { text: 'We hiked the Serra da Estrela in May', speaker: 'Ada', sessionId: 'trip', at: '2023-05-20T09:00:00Z' },
      { text: 'The cabin had no heating', speaker: 'Bo', sessionId: 'trip', at: '2023-05-20T09:05:00Z' },
      { text: 'Bo bought a new tent', speaker: 'Bo', sessionId: 'later', at: '2023-06-02T18:00:00Z' },
    ]);
    await source.facts.add({ text: 'Ada owns hiking boots' });
    const query = 'where did Ada hike in May 2023?';
    const options = { k: 5, referenceTime: '2023-07-01T00:00:00Z', reinforce: false };
    const before = await source.recall(query, options);
    const backup = await source.export();
    const target = await window.harness.createMemory({ namespace: `${ns}-b` });
    const imported = await target.import(backup);
    const after = await target.recall(query, options);
    const again = await target.import(backup).catch((e: { code: string }) => e.code);
    const other = await window.harness.createMemory({ namespace: `${ns}-c` });
    const isolated = await other.recall('hike tent cabin');
    for (const m of [source, target, other]) await m.close();
    return {
      lines: backup.trim().split('\n').length,
      imported,
      before: before.map((h) => [h.record.id, h.score]),
      after: after.map((h) => [h.record.id, h.score]),
      again,
      isolated: isolated.length,
    };
  }, namespace);
  expect(result.lines).toBe(5);
  expect(result.imported).toEqual({ records: 4, vectors: 4 });
  // Same records, order and component scores; the final scores differ only by the retention lost in the
  // milliseconds between the two recalls (the forgetting curve runs on the real clock).
  expect(result.after.map(([id]) => id)).toEqual(result.before.map(([id]) => id));
  result.after.forEach(([, score], i) => expect(score).toBeCloseTo(result.before[i]![1] as number, 4));
  expect(result.before.length).toBeGreaterThan(0);
  expect(result.again).toBe('NAMESPACE_NOT_EMPTY');
  expect(result.isolated).toBe(0);
});

test("consolidation uses the page's language model through the worker, and refuses its malformed answers", async ({
  harnessPage: page,
  namespace,
}) => {
  const result = await page.evaluate(async (ns) => {
    const memory = await window.harness.createMemory({ namespace: ns });
    await memory.remember([
      { text: 'We adopted a puppy called Miso', speaker: 'Ada', sessionId: 's1' },
      { text: 'Congratulations!', speaker: 'Bo', sessionId: 's1' },
    ]);
    const prompts: string[] = [];
    const progress: number[] = [];
    // A stand-in for WebLLM or a remote API: the first answer is not JSON, the next ones are.
    let calls = 0;
    const llm = async (prompt: string) => {
      prompts.push(prompt);
      calls++;
      if (calls === 1) return 'Sure! Here are the facts: none.';
      if (prompt.startsWith('Summarise')) return 'Ada told Bo about the new puppy, Miso.';
      return '```json\n[{"fact": "Ada has a puppy called Miso", "key": "Ada|puppy", "turns": [0]}]\n```';
    };
    const refused = await memory.consolidate({ llm, onProgress: (r) => progress.push(r.processed) });
    const accepted = await memory.consolidate({ llm });
    const facts = await memory.facts.list();
    const summary = (await memory.recall('puppy Miso', { tiers: ['episodic'] })).find((h) => h.record.meta['summaryOf']);
    const stats = await memory.stats();
    await memory.close();
    return {
      refused,
      accepted,
      facts: facts.map((f) => [f.text, f.source.kind]),
      prompts: prompts.length,
      progress,
      summary: summary?.record.text,
      consolidation: stats.consolidation,
    };
  }, namespace);
  expect(result.refused).toMatchObject({ processed: 0, factsAdded: 0 });
  expect(result.refused.rejected).toHaveLength(2);
  expect(result.accepted).toMatchObject({ processed: 2, factsAdded: 1, episodesSummarised: 1, rejected: [] });
  expect(result.facts).toEqual([['Ada has a puppy called Miso', 'llm']]);
  expect(result.summary).toBe('Ada told Bo about the new puppy, Miso.');
  expect(result.progress).toEqual([0]);
  expect(result.consolidation).toMatchObject({ pending: 0, running: false, last: { report: { processed: 2 } } });
});

test('the remaining verbs through the worker: block edits, fact versions, recent turns, forget by filter', async ({
  harnessPage: page,
  namespace,
}) => {
  const result = await page.evaluate(async (ns) => {
    const memory = await window.harness.createMemory({ namespace: ns });
    await memory.working.set('task', { value: 'Plan the trip to Oslo', description: 'current task' });
    await memory.working.replace('task', 'Oslo', 'Bergen');
    const task = await memory.working.get('task');
    const deleted = await memory.working.delete('task');
    const { fact } = await memory.facts.add({
      text: 'Ada lives in Lisbon',
      key: 'Ada|lives in',
      validFrom: '2020-01-01T00:00:00Z',
    });
    const update = await memory.facts.update(fact.id, { text: 'Ada lives in Porto', validFrom: '2023-03-01T00:00:00Z' });
    const history = await memory.facts.history(update.fact.id);
    const in2021 = await memory.facts.list({ asOf: '2021-06-01T00:00:00Z' });
    const invalidated = await memory.facts.invalidate(update.fact.id);
    await memory.instructions.add('Use metric units.', { importance: 0.9 });
    const instructions = await memory.instructions.list();
    await memory.remember(
      Array.from({ length: 30 }, (_, i) => ({
        text: `turn number ${i} about the trip`,
        speaker: i % 2 ? 'Bo' : 'Ada',
        sessionId: 'chat',
      })),
    );
    const recent = await memory.recent('chat', { budgetTokens: 50 });
    const gone = await memory.forget({ sessionId: 'chat', speaker: 'Bo' });
    const left = await memory.list({ sessionId: 'chat', limit: 100 });
    const one = await memory.get(left[0]!.id);
    await memory.close();
    return {
      task: task?.value,
      deleted,
      outcome: update.outcome,
      history: history.map((f) => [f.text, f.invalidAt !== undefined]),
      in2021: in2021.map((f) => f.text),
      invalidatedAt: typeof invalidated.invalidAt,
      instructions: instructions.map((r) => r.text),
      recent: recent.map((r) => r.text),
      gone: gone.length,
      left: left.map((r) => r.speaker),
      one: one?.id === left[0]!.id,
    };
  }, namespace);
  expect(result.task).toBe('Plan the trip to Bergen');
  expect(result.deleted).toBe(true);
  expect(result.outcome).toBe('superseded');
  expect(result.history).toEqual([
    ['Ada lives in Lisbon', true],
    ['Ada lives in Porto', false],
  ]);
  expect(result.in2021).toEqual(['Ada lives in Lisbon']);
  expect(result.invalidatedAt).toBe('number');
  expect(result.instructions).toEqual(['Use metric units.']);
  // Each turn costs 10 estimated tokens as shown ("Ada: turn number 25 about the trip"): the newest five fit in 50.
  expect(result.recent).toEqual([25, 26, 27, 28, 29].map((i) => `turn number ${i} about the trip`));
  expect(result.gone).toBe(15);
  expect(new Set(result.left)).toEqual(new Set(['Ada']));
  expect(result.left).toHaveLength(15);
  expect(result.one).toBe(true);
});
