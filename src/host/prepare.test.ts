// `prepare` across a real MessageChannel, the wire guard in place: it reaches the host's model hook with checked
// options, opens no namespace (so no store is read or written), and is refused once the connection opened a memory.

import { wrap } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../adapters/memory-store.js';
import type { EmbeddingOptions } from '../core/api.js';
import { MemoryRuntime } from '../core/runtime.js';
import { ManualClock, sequentialIds } from '../core/test-support.js';
import { PROTOCOL_VERSION, type HostFacade } from '../protocol/protocol.js';
import { createRegistry, serveMemory } from './serve-memory.js';

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

function host(prepareModel?: (embedding: EmbeddingOptions) => Promise<void>) {
  const opened: string[] = [];
  const registry = createRegistry(async (namespace) => {
    opened.push(namespace);
    return MemoryRuntime.open({ namespace, store: new InMemoryStore(), clock: new ManualClock(), newId: sequentialIds() });
  }, prepareModel);
  const channel = new MessageChannel();
  ports.push(channel.port1, channel.port2);
  serveMemory(registry, channel.port1);
  return { facade: wrap(channel.port2) as unknown as HostFacade, opened };
}

const TINY: EmbeddingOptions = { model: 'mnemo-tiny-bert-v1', localModelPath: '/models/' };

describe('prepare', () => {
  it('passes the wire guard and loads the model with checked options, opening no namespace', async () => {
    const prepared: EmbeddingOptions[] = [];
    const { facade, opened } = host(async (embedding) => void prepared.push(embedding));
    expect(await facade.prepare(TINY)).toEqual({ ok: true, value: undefined });
    expect(prepared).toEqual([{ model: 'mnemo-tiny-bert-v1', device: 'auto', localModelPath: '/models/' }]);
    expect(opened).toEqual([]);
  });

  it('answers the load error as data, and the connection still opens', async () => {
    const { facade, opened } = host(() => Promise.reject(new Error('no model files')));
    const result = await facade.prepare(TINY);
    expect(result.ok).toBe(false);
    const open = await facade.open({ protocol: PROTOCOL_VERSION, namespace: 'after' });
    expect(open.ok).toBe(true);
    expect(opened).toEqual(['after']);
  });

  it('refuses options that are not embedding options, before any load', async () => {
    const prepared: EmbeddingOptions[] = [];
    const { facade } = host(async (embedding) => void prepared.push(embedding));
    const unknown = await facade.prepare({ model: 'no-such-model' });
    const extra = await facade.prepare({ ...TINY, namespace: 'x' } as EmbeddingOptions);
    expect([unknown, extra].map((r) => !r.ok && r.error.code)).toEqual(['INVALID_ARGUMENT', 'UNKNOWN_OPTION']);
    expect(prepared).toEqual([]);
  });

  it('is refused on a connection serving a memory', async () => {
    const { facade } = host(async () => undefined);
    await facade.open({ protocol: PROTOCOL_VERSION, namespace: 'open' });
    const result = await facade.prepare(TINY);
    expect(!result.ok && result.error.code).toBe('PROTOCOL_ERROR');
  });

  it('does nothing on a host without a model hook', async () => {
    const { facade, opened } = host();
    expect(await facade.prepare(TINY)).toEqual({ ok: true, value: undefined });
    expect(opened).toEqual([]);
  });
});
