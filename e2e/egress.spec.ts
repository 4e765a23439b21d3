// No egress: every request of the page, its workers (the memory worker and the embedding worker it starts) and
// any service worker is recorded through a whole session with a real embedding model served by the app itself:
// load, model load, ingest, recall, context, facts, archive, consolidate, export and import, forget. None may go
// to another host, and none at all may be made once the model is ready. (embeddings.spec.ts checks the model's
// own files; the app's specs check the PWA.)

import { expect, test } from './support/fixtures.js';

const TINY = { model: 'mnemo-tiny-bert-v1', localModelPath: '/models/', device: 'wasm' } as const;

test('a whole session with a model: no request leaves the origin, and none is made after the model is ready', async ({
  page,
  namespace,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  const requests: { url: string; phase: string; from: string }[] = [];
  let phase = 'load';
  // route() sees what the page and its workers ask for, before it leaves; 'request' also covers service workers.
  await page.context().route('**/*', (route) => {
    requests.push({ url: route.request().url(), phase, from: 'route' });
    return route.continue();
  });
  page.context().on('request', (request) => requests.push({ url: request.url(), phase, from: 'event' }));
  const serviceWorkers: string[] = [];
  page.context().on('serviceworker', (worker) => serviceWorkers.push(worker.url()));
  await page.exposeFunction('egressPhase', (name: string) => {
    phase = name;
  });

  await page.goto('/e2e/pages/harness.html');
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
  const session = await page.evaluate(
    async ([ns, embedding]) => {
      const setPhase = (window as unknown as { egressPhase: (name: string) => Promise<void> }).egressPhase;
      await setPhase('model');
      const stages: string[] = [];
      const memory = await window.harness.createMemory({
        namespace: ns,
        embedding,
        onModelProgress: (p) => stages.push(p.stage),
      });
      // The memory an export is imported into, opened (its own worker, its own model) before the model phase ends.
      const copy = await window.harness.createMemory({ namespace: `${ns}-copy`, embedding });
      const embedder = (await memory.stats()).embedder;
      await setPhase('session');
      const turns = [
        'I live in Lisbon',
        'My favourite colour is green',
        'I love jazz on Sunday mornings',
        'We hiked the Serra da Estrela in May',
        'Ada prefers green tea to coffee',
      ];
      const written = await memory.remember(turns.map((text, i) => ({ text, speaker: 'Ada', sessionId: `s${i % 2}` })));
      const hits = await memory.recall('what does Ada drink?', { k: 3 });
      await memory.working.set('user', { value: 'Name: Ada' });
      await memory.facts.add({ text: 'Ada drinks tea', key: 'Ada|drinks' });
      await memory.instructions.add('Answer briefly.');
      await memory.archive.add({ text: 'A long note about Lisbon trams.\n\nThe 28 goes up to the castle.', title: 'Trams' });
      const context = await memory.context('Where does Ada live?', { budgetTokens: 300 });
      const report = await memory.consolidate();
      const backup = await memory.export();
      await copy.import(backup);
      const copied = (await copy.stats()).records;
      await copy.close();
      await memory.forget(written[0]!.id);
      const stats = await memory.stats();
      await memory.close();
      await setPhase('done');
      return {
        stages,
        embedder,
        top: hits[0]?.record.text,
        contextParts: context.parts.length,
        factsAdded: report.factsAdded,
        copied,
        records: stats.records,
      };
    },
    [namespace, TINY] as const,
  );

  // The session really ran the model and every verb.
  expect(session.stages.at(-1)).toBe('ready');
  expect(session.embedder).toMatchObject({ model: 'mnemo-tiny-bert-v1', device: 'wasm' });
  expect(session.top).toBe('Ada prefers green tea to coffee');
  expect(session.contextParts).toBeGreaterThan(0);
  expect(session.factsAdded).toBeGreaterThan(0);
  expect(session.copied).toBe(session.records + 1);
  // Something was fetched (the page, modules, the model's files), all of it from the app's own origin.
  expect(requests.some((r) => r.phase === 'model' && r.url.includes('/models/mnemo-tiny-bert-v1/'))).toBe(true);
  const foreign = requests.filter((r) => !r.url.startsWith(`${origin}/`) && !r.url.startsWith(`blob:${origin}/`));
  expect(foreign).toEqual([]);
  // Once the model was ready, nothing at all: no model file, no module, no telemetry.
  expect(requests.filter((r) => r.phase !== 'load' && r.phase !== 'model')).toEqual([]);
  expect(serviceWorkers).toEqual([]); // the harness registers none; the app's own is covered by e2e/app
});
