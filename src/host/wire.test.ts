// The whole API across a real MessageChannel in Node: SDK -> Comlink -> facade -> runtime, errors keeping their codes.

import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../adapters/memory-store.js';
import type { RecordStore } from '../core/ports.js';
import { MemoryRuntime } from '../core/runtime.js';
import { errorOf, ManualClock, sequentialIds } from '../core/test-support.js';
import { createMemory } from '../sdk/create-memory.js';
import type { MemoryClient } from '../sdk/memory-client.js';
import { createRegistry, serveMemory } from './serve-memory.js';

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

function host(storeFor: (namespace: string) => RecordStore = () => new InMemoryStore()) {
  const opened: string[] = [];
  const registry = createRegistry(async (namespace) => {
    opened.push(namespace);
    return MemoryRuntime.open({ namespace, store: storeFor(namespace), clock: new ManualClock(), newId: sequentialIds() });
  });
  const connect = async (namespace: string): Promise<MemoryClient> => {
    const channel = new MessageChannel();
    ports.push(channel.port1, channel.port2);
    serveMemory(registry, channel.port1);
    return createMemory({ namespace, endpoint: channel.port2 });
  };
  return { connect, opened };
}

describe('memory over a MessageChannel', () => {
  it('remembers, recalls, lists, gets, forgets and counts', async () => {
    const memory = await host().connect('wire');
    const record = await memory.remember({ text: 'Ada prefers green tea', speaker: 'user', sessionId: 's1' });
    expect(record).toMatchObject({ text: 'Ada prefers green tea', namespace: 'wire', tier: 'episodic' });
    const [batchA, batchB] = await memory.remember([{ text: 'Bob likes coffee' }, { text: 'Ada walks at dawn' }]);
    const hits = await memory.recall('what does Ada drink', { k: 5 });
    expect(hits.map((h) => h.record.id).sort()).toEqual([record.id, batchB!.id].sort());
    expect(hits.every((h) => h.scores.lexical > 0 && h.scores.relevance > 0 && h.score > 0)).toBe(true);
    expect(await memory.get(batchA!.id)).toEqual(batchA);
    expect(await memory.list({ limit: 2 })).toHaveLength(2);
    expect(await memory.forget(batchA!.id)).toEqual([batchA!.id]);
    expect(await memory.get(batchA!.id)).toBeUndefined();
    expect((await memory.stats()).records).toBe(2);
    await memory.close();
  });

  it('rebuilds errors on the calling side with the same class, code and details', async () => {
    const memory = await host().connect('errors');
    const cases: [() => Promise<unknown>, string][] = [
      [() => memory.remember({ text: '' }), 'TEXT_EMPTY'],
      [() => memory.remember({ text: 7 as never }), 'INVALID_ARGUMENT'],
      [() => memory.remember({ text: 'a \uD800 b' }), 'TEXT_MALFORMED'],
      [() => memory.remember({ text: 'x'.repeat(10 * 1024 * 1024) }), 'TEXT_TOO_LONG'],
      [() => memory.recall('tea', { k: 0 }), 'INVALID_ARGUMENT'],
      [() => memory.recall('tea', { limit: 5 } as never), 'UNKNOWN_OPTION'],
    ];
    for (const [call, code] of cases) {
      const error = await errorOf(call());
      expect(error.code).toBe(code);
      expect(typeof error.details['field']).toBe('string');
    }
    const unknown = await errorOf(memory.recall('tea', { limit: 5 } as never));
    expect(unknown.details).toMatchObject({ option: 'limit' });
    await memory.close();
  });

  it('refuses verbs that are not part of the API', async () => {
    const channel = new MessageChannel();
    ports.push(channel.port1, channel.port2);
    serveMemory(
      createRegistry(async () => {
        throw new Error('unused');
      }),
      channel.port1,
    );
    const { wrap } = await import('comlink');
    const facade = wrap<{ call(id: number, method: string, args: unknown[]): Promise<unknown> }>(channel.port2);
    const result = await facade.call(1, 'close', []);
    expect(result).toMatchObject({ ok: false, error: { code: 'CLOSED' } });
  });

  it('checks createMemory options on the calling side', async () => {
    expect((await errorOf(createMemory({ namespace: 'bad name!', endpoint: new MessageChannel().port1 }))).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect((await errorOf(createMemory({ namespace: 'x', workers: 2 } as never))).code).toBe('UNKNOWN_OPTION');
  });

  it('aborts a call still waiting behind another write, storing nothing', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const store = new InMemoryStore();
    const put = store.put.bind(store);
    let puts = 0;
    // The first write waits at the gate, holding the runtime's write queue.
    store.put = async (records) => {
      if (puts++ === 0) await gate;
      return put(records);
    };
    const memory = await host(() => store).connect('abort');
    const controller = new AbortController();
    const first = memory.remember({ text: 'first' });
    const second = memory.remember({ text: 'aborted while queued' }, { signal: controller.signal });
    controller.abort();
    // Messages arrive in order: once this answers, the host has seen the abort.
    await memory.get('any');
    release();
    await first;
    expect((await errorOf(second)).code).toBe('ABORTED');
    expect(await memory.recall('aborted')).toEqual([]);
    expect(await store.count()).toBe(1);

    const already = new AbortController();
    already.abort();
    expect((await errorOf(memory.remember({ text: 'x' }, { signal: already.signal }))).code).toBe('ABORTED');
    await memory.close();
  });

  it('shares one runtime per namespace between connections, and closes it with the last one', async () => {
    const stores = new Map<string, InMemoryStore>();
    const { connect, opened } = host((ns) => stores.get(ns) ?? stores.set(ns, new InMemoryStore()).get(ns)!);
    const a = await connect('shared');
    const b = await connect('shared');
    await a.remember({ text: 'written through a' });
    expect((await b.recall('written')).length).toBe(1);
    expect(opened).toEqual(['shared']);
    await a.close();
    expect((await b.stats()).records).toBe(1);
    await b.close();
    const c = await connect('shared');
    expect(opened).toEqual(['shared', 'shared']);
    await c.close();
  });

  it('fails calls on a closed client with CLOSED', async () => {
    const memory = await host().connect('closed');
    await memory.close();
    expect((await errorOf(memory.recall('x'))).code).toBe('CLOSED');
  });
});
