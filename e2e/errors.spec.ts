// Bad input rejected in the worker arrives in the page as the same error class with the same code.

import { expect, test } from './support/fixtures.js';

test('bad input gives a MnemoError with a stable code across the worker', async ({ harnessPage: page, namespace }) => {
  const results = await page.evaluate(async (ns) => {
    const memory = await window.harness.createMemory({ namespace: ns });
    const attempts: [string, () => Promise<unknown>][] = [
      ['empty text', () => memory.remember({ text: '' })],
      ['non-string text', () => memory.remember({ text: 42 as unknown as string })],
      ['lone surrogate', () => memory.remember({ text: 'tea \uD83D time' })],
      ['10 MB string', () => memory.remember({ text: 'x'.repeat(10 * 1024 * 1024) })],
      ['k = 0', () => memory.recall('tea', { k: 0 })],
      ['k < 0', () => memory.recall('tea', { k: -1 })],
      ['unknown option', () => memory.recall('tea', { topK: 3 } as never)],
      ['unknown remember field', () => memory.remember({ text: 'ok', colour: 'red' } as never)],
    ];
    const out: Record<string, { isMnemo: boolean; isError: boolean; code: unknown; field: unknown }> = {};
    for (const [label, attempt] of attempts) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      out[label] = {
        isMnemo: error instanceof window.harness.MnemoError,
        isError: error instanceof Error,
        code: (error as { code?: unknown } | null)?.code,
        field: (error as { details?: { field?: unknown } } | null)?.details?.field,
      };
    }
    const stored = (await memory.stats()).records;
    return { out, stored };
  }, namespace);

  const expected: Record<string, string> = {
    'empty text': 'TEXT_EMPTY',
    'non-string text': 'INVALID_ARGUMENT',
    'lone surrogate': 'TEXT_MALFORMED',
    '10 MB string': 'TEXT_TOO_LONG',
    'k = 0': 'INVALID_ARGUMENT',
    'k < 0': 'INVALID_ARGUMENT',
    'unknown option': 'UNKNOWN_OPTION',
    'unknown remember field': 'UNKNOWN_OPTION',
  };
  for (const [label, code] of Object.entries(expected)) {
    expect(results.out[label], label).toMatchObject({ isMnemo: true, isError: true, code });
    expect(typeof results.out[label]!.field, label).toBe('string');
  }
  expect(results.stored).toBe(0);
});

test('createMemory rejects a bad namespace before starting anything', async ({ harnessPage: page }) => {
  const code = await page.evaluate(async () =>
    window.harness.createMemory({ namespace: 'no spaces allowed' }).then(
      () => 'opened',
      (e: { code: string }) => e.code,
    ),
  );
  expect(code).toBe('INVALID_ARGUMENT');
  expect(page.workers()).toHaveLength(0);
});

test('a worker that fails to start gives WORKER_FAILURE instead of hanging', async ({ harnessPage: page }) => {
  const outcome = await page.evaluate(async () => {
    const broken = new Worker(
      URL.createObjectURL(new Blob(['throw new Error("boom at start-up")'], { type: 'text/javascript' })),
    );
    return window.harness.createMemory({ namespace: 'broken', endpoint: broken }).then(
      () => 'opened',
      (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
    );
  });
  expect(outcome).toMatch(/^WORKER_FAILURE: The memory worker failed to start/);
});
