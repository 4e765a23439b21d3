// Two pages of one origin share one memory: through their own workers and IndexedDB, or through one SharedWorker.

import { expect, openHarness, test } from './support/fixtures.js';

test('a write in one page is seen by another page of the same origin', async ({ context, namespace }) => {
  const [a, b] = [await context.newPage(), await context.newPage()];
  await openHarness(a);
  await openHarness(b);
  // B opens (and indexes) before A writes: it must learn of the write, not just read it at start-up.
  expect(await b.evaluate(async (ns) => (await window.harness.memory(ns)).stats(), namespace)).toMatchObject({ records: 0 });

  const id = await a.evaluate(async (ns) => {
    const memory = await window.harness.memory(ns);
    return (await memory.remember({ text: 'Meet Grace at the harbour at noon' })).id;
  }, namespace);

  const byGet = await b.evaluate(async ([ns, recordId]) => (await (await window.harness.memory(ns)).get(recordId))?.text, [
    namespace,
    id,
  ] as const);
  expect(byGet).toBe('Meet Grace at the harbour at noon');

  await expect
    .poll(() =>
      b.evaluate(
        async (ns) => (await (await window.harness.memory(ns)).recall('where do I meet Grace')).map((h) => h.record.id),
        namespace,
      ),
    )
    .toEqual([id]);

  // And the other way round, with a delete.
  await b.evaluate(async ([ns, recordId]) => (await window.harness.memory(ns)).forget(recordId), [namespace, id] as const);
  await expect
    .poll(() => a.evaluate(async (ns) => (await (await window.harness.memory(ns)).recall('Grace harbour')).length, namespace))
    .toBe(0);
});

test('two pages connected to one SharedWorker host share its runtime', async ({ context, namespace }) => {
  const [a, b] = [await context.newPage(), await context.newPage()];
  await openHarness(a);
  await openHarness(b);
  const id = await a.evaluate(async (ns) => {
    const memory = await window.harness.connectShared(ns);
    return (await memory.remember({ text: 'The shared worker holds this memory' })).id;
  }, namespace);
  const hits = await b.evaluate(async (ns) => {
    const memory = await window.harness.connectShared(ns);
    return (await memory.recall('shared worker memory')).map((h) => h.record.id);
  }, namespace);
  expect(hits).toEqual([id]);
});
