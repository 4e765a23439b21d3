// Fail at step N (SQLite style): every public mutation is run once per store call it makes, with that call
// failing (once, or from then on) as IndexedDB fails: quota, unknown, abort. Afterwards the memory on disk
// equals the memory before the mutation or after it, its indexes agree with its records, and the error, if
// any, is typed. Multi-step verbs (consolidation, re-embedding) are resumable instead: a clean rerun ends
// where an uninterrupted run ends. Real IndexedDB code on fake-indexeddb.

import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { HashEmbedder } from '../core/embedding/hash-embedder.js';
import { MnemoError } from '../core/errors.js';
import { decodeBackup } from '../core/memory/backup.js';
import type { RecordStore } from '../core/ports.js';
import { MemoryRuntime } from '../core/runtime.js';
import { ManualClock, sequentialIds } from '../core/test-support.js';
import { faultyStore, type Fault, type FaultPlan } from './faulty-store.js';
import { openIdbStore } from './idb-store.js';

let databases = 0;
const TYPED = ['STORE_QUOTA_EXCEEDED', 'STORE_FAILURE'];

function runtime(store: RecordStore, prefix: string, embedder = new HashEmbedder({ dims: 32 })) {
  return MemoryRuntime.open({ namespace: 'fault', store, clock: new ManualClock(), newId: sequentialIds(prefix), embedder });
}

/** A small memory with every tier: two sessions of turns, a working block, a keyed fact, an instruction. */
async function seeded(empty = false): Promise<string> {
  const namespace = `fault-${++databases}`;
  const memory = await runtime(await openIdbStore({ namespace, broadcast: false }), 's');
  if (!empty) {
    await memory.remember([
      { text: 'I live in Lisbon', speaker: 'Ada', sessionId: 'one' },
      { text: 'Lovely city!', speaker: 'Bo', sessionId: 'one' },
      { text: 'My favourite colour is green', speaker: 'Ada', sessionId: 'one' },
      { text: 'We hiked in May', speaker: 'Bo', sessionId: 'two', tags: ['trip'] },
    ]);
    await memory.workingSet('user', { value: 'Name: Ada', limit: 200 });
    await memory.factAdd({ text: 'Ada drinks tea', key: 'Ada|drinks', sourceIds: ['s000001'] });
    await memory.instructionAdd('Answer briefly.');
  }
  await memory.close();
  return namespace;
}

/** What is on disk, checked: every record valid, indexes of a fresh runtime agree, fact versions linked. */
async function diskState(namespace: string): Promise<string> {
  const memory = await runtime(await openIdbStore({ namespace, broadcast: false }), 'x');
  try {
    const backup = await memory.exportJsonl();
    const { entries } = decodeBackup(backup);
    const stats = await memory.stats();
    const ids = new Set(entries.map((e) => e.record.id));
    expect(stats.records).toBe(entries.length);
    expect(stats.lexical.documents).toBe(entries.length);
    expect(stats.vectors?.count).toBe(entries.filter((e) => e.record.tier !== 'working').length);
    for (const { record } of entries) {
      const next = record.meta['supersededBy'];
      if (typeof next === 'string') {
        expect(ids.has(next)).toBe(true);
        expect(record.invalidAt).toBeTypeOf('number');
      }
    }
    return backup;
  } finally {
    await memory.close();
  }
}

/** A backup's records without the ids a runtime assigns (its own id, and a fact's links to its versions), sorted. */
function withoutIds(backup: string): string[] {
  const ownIds = new Set<string>();
  const lines = backup.trim().split('\n').slice(1);
  for (const line of lines) ownIds.add((JSON.parse(line) as { record: { id: string } }).record.id);
  return lines
    .map((line) => {
      const { record, vector } = JSON.parse(line) as {
        record: Record<string, unknown> & { meta: Record<string, unknown> };
        vector?: string;
      };
      const { factId: _f, previousId: _p, supersededBy: _s, ...meta } = record.meta;
      const { id: _id, ...rest } = record;
      return JSON.stringify({ ...rest, meta, vector });
    })
    .sort();
}

interface Mutation {
  name: string;
  empty?: boolean;
  /** Resumable multi-step verbs: a clean rerun must end where an uninterrupted run ends. */
  resumable?: boolean;
  run(memory: MemoryRuntime, backup: string): Promise<unknown>;
}

const MUTATIONS: Mutation[] = [
  {
    name: 'remember a batch',
    run: (m) =>
      m.remember([
        { text: 'New turn', speaker: 'Ada', sessionId: 'two' },
        { text: 'Another', sessionId: 'two' },
      ]),
  },
  { name: 'forget by id', run: (m) => m.forget('s000002') },
  { name: 'forget by filter, derived', run: (m) => m.forget({ sessionId: 'one', speaker: 'Ada' }, { derived: true }) },
  { name: 'working append', run: (m) => m.workingAppend('user', 'Lives in Lisbon') },
  { name: 'fact superseded by key', run: (m) => m.factAdd({ text: 'Ada drinks coffee now', key: 'Ada|drinks' }) },
  { name: 'fact invalidated', run: (m) => m.factInvalidate('s000006') },
  {
    name: 'archive a document',
    run: (m) => m.archiveAdd({ title: 'Notes', text: `${'word '.repeat(250)}\n\nSecond paragraph.` }),
  },
  { name: 'import a backup', empty: true, run: (m, backup) => m.importJsonl(backup) },
  { name: 'consolidate', resumable: true, run: (m) => m.consolidate() },
];

async function attempt(namespace: string, mutation: Mutation, plan: FaultPlan | undefined, backup: string, ids = 'm') {
  const store = faultyStore(await openIdbStore({ namespace, broadcast: false }));
  const memory = await runtime(store, ids);
  store.calls = 0;
  store.plan = plan && { ...plan };
  let error: unknown;
  await mutation.run(memory, backup).catch((e: unknown) => (error = e));
  const calls = store.calls;
  store.plan = undefined;
  await memory.close();
  return { error, calls };
}

describe('fail at every store call of every mutation', () => {
  for (const mutation of MUTATIONS) {
    it(
      mutation.name,
      async () => {
        const source = await seeded();
        const backup = mutation.empty ? await diskState(source) : '';
        const base = await seeded(mutation.empty);
        const before = await diskState(base);
        const clean = await seeded(mutation.empty);
        const { calls, error } = await attempt(clean, mutation, undefined, backup);
        expect(error).toBeUndefined();
        const after = await diskState(clean);
        expect(after).not.toBe(before);

        let failures = 0;
        const plans: FaultPlan[] = [];
        for (let at = 1; at <= calls; at++) {
          for (const fault of ['quota', 'unknown', 'abort'] as Fault[]) plans.push({ at, persistent: false, fault });
          plans.push({ at, persistent: true, fault: 'quota' });
        }
        for (const plan of plans) {
          const namespace = await seeded(mutation.empty);
          const outcome = await attempt(namespace, mutation, plan, backup);
          if (outcome.error !== undefined) {
            failures++;
            expect(outcome.error).toBeInstanceOf(MnemoError);
            expect(TYPED).toContain((outcome.error as MnemoError).code);
          }
          const state = await diskState(namespace);
          if (mutation.resumable) {
            if (process.env['FI_DEBUG'])
              console.log(
                'PLAN',
                JSON.stringify(plan),
                (outcome.error as Error | undefined)?.message,
                state.split('\n').length - 1,
              );
            // Whatever part was done stays done and sound; a clean rerun finishes the rest. The rerun is a new
            // runtime, so its new records get other ids than an uninterrupted run's: compare without ids.
            await attempt(namespace, mutation, undefined, backup, 'r');
            expect(withoutIds(await diskState(namespace))).toEqual(withoutIds(after));
          } else {
            expect([before, after]).toContain(state);
            if (outcome.error === undefined) expect(state).toBe(after);
          }
        }
        // Some injected failures must have reached the caller, or the test tested nothing.
        expect(failures).toBeGreaterThan(0);
      },
      120_000,
    );
  }
});
