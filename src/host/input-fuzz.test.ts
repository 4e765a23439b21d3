// Input fuzz (fast-check) on every verb of the wire, through the host's facade as a page's calls arrive:
// hostile values anywhere in the arguments. Each call answers a result, ok or an error with a documented
// code (never a throw, never INTERNAL), and afterwards every stored record still passes the backup
// validator and the memory still answers.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryStore } from '../adapters/memory-store.js';
import { MEMORY_METHODS, type MemoryMethod } from '../core/api.js';
import { HashEmbedder } from '../core/embedding/hash-embedder.js';
import { ERROR_CODES } from '../core/errors.js';
import { decodeBackup } from '../core/memory/backup.js';
import { createMemoryFacade } from './memory-facade.js';
import { RuntimeRegistry } from './runtime-registry.js';
import { PROTOCOL_VERSION } from '../protocol/protocol.js';
import { MemoryRuntime } from '../core/runtime.js';
import { ManualClock, sequentialIds } from '../core/test-support.js';

// Values that have broken parsers before: lone surrogates, huge and empty strings, non-finite numbers, odd
// objects, prototype keys, a cyclic object, typed arrays, dates, functions.
const cyclic: Record<string, unknown> = { a: 1 };
cyclic['self'] = cyclic;
const hostile = fc.oneof(
  fc.string(),
  fc.constantFrom('', ' ', '\uD800', 'a\uDC00b', 'x'.repeat(100_001), 'when did Ada go last week?', 'working', 'semantic', 'Ada'),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, -1, 1, 1.5, 1e300, Number.MAX_SAFE_INTEGER + 2),
  fc.constantFrom(null, undefined, true, false),
  fc.constantFrom(
    cyclic,
    JSON.parse('{"__proto__": {"polluted": 1}}') as unknown,
    { constructor: 'x' },
    Object.create(null) as unknown,
  ),
  fc.constantFrom(new Float32Array([Number.NaN]), new Date(Number.NaN), () => 1, Symbol('s') as unknown, 10n as unknown),
  fc.dictionary(
    fc.constantFrom('text', 'k', 'tier', 'meta', 'at', 'tags', 'filter', 'label', 'value', 'speaker', 'role', 'key'),
    fc.anything(),
  ),
  fc.array(fc.anything(), { maxLength: 3 }),
);
const args = fc.array(hostile, { maxLength: 4 });

async function seeded(): Promise<MemoryRuntime> {
  const memory = await MemoryRuntime.open({
    namespace: 'fuzz',
    store: new InMemoryStore(),
    clock: new ManualClock(),
    newId: sequentialIds(),
    embedder: new HashEmbedder({ dims: 16 }),
  });
  await memory.remember([{ text: 'Ada lives in Lisbon', speaker: 'Ada', sessionId: 's' }, { text: 'We hiked in May' }]);
  await memory.workingSet('user', { value: 'Name: Ada' });
  await memory.factAdd({ text: 'Ada drinks tea' });
  return memory;
}

describe('every public verb under hostile arguments', () => {
  // Verbs that take a callback or no data are covered elsewhere; everything on the wire is here.
  const verbs = MEMORY_METHODS.filter((m) => m !== 'reembed') as MemoryMethod[];

  it.each(verbs)('%s answers ok or a documented error, and stores nothing invalid', async (verb) => {
    const memory = await seeded();
    const facade = createMemoryFacade(new RuntimeRegistry(async () => memory));
    expect((await facade.open({ protocol: PROTOCOL_VERSION, namespace: 'fuzz' })).ok).toBe(true);
    let id = 0;
    await fc.assert(
      fc.asyncProperty(args, async (input) => {
        const result = await facade.call(++id, verb, input as never);
        if (result.ok) {
          // What comes back must be plain data: it crosses postMessage.
          expect(() => structuredClone(result.value)).not.toThrow();
        } else {
          expect(Object.hasOwn(ERROR_CODES, result.error.code)).toBe(true);
          expect(result.error.code).not.toBe('INTERNAL');
        }
      }),
      { numRuns: 60, seed: 7 },
    );
    // Whatever was accepted is valid: the backup validator checks every field of every record.
    const { entries } = decodeBackup(await memory.exportJsonl());
    expect(entries.length).toBeGreaterThanOrEqual(4);
    expect((await memory.recall('Ada Lisbon')).length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
