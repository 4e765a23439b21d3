// The worker boundary with hand-written Comlink messages on a real MessageChannel: only the facade's methods
// are callable; property paths through __proto__ or constructor, GET/SET/CONSTRUCT, and other origins are refused.

import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../adapters/memory-store.js';
import { MemoryRuntime } from '../core/runtime.js';
import { ManualClock, sequentialIds } from '../core/test-support.js';
import { PROTOCOL_VERSION } from '../protocol/protocol.js';
import { createRegistry, serveMemory } from './serve-memory.js';

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

function served() {
  let opened = 0;
  const registry = createRegistry(async (namespace) => {
    opened++;
    return MemoryRuntime.open({ namespace, store: new InMemoryStore(), clock: new ManualClock(), newId: sequentialIds() });
  });
  const channel = new MessageChannel();
  ports.push(channel.port1, channel.port2);
  serveMemory(registry, channel.port1);
  let next = 0;
  /** Sends a raw Comlink message and resolves with the reply, or 'no reply' after a short wait. */
  const send = (message: Record<string, unknown>): Promise<unknown> =>
    new Promise((resolve) => {
      const id = `raw-${++next}`;
      const timer = setTimeout(() => resolve('no reply'), 300);
      channel.port2.addEventListener('message', function listen(event: MessageEvent) {
        if ((event.data as { id?: string }).id !== id) return;
        clearTimeout(timer);
        channel.port2.removeEventListener('message', listen);
        resolve(event.data);
      });
      channel.port2.start();
      channel.port2.postMessage({ id, ...message });
    });
  return { send, host: channel.port1, opened: () => opened };
}

const raw = (value: unknown) => ({ type: 'RAW', value });
const openArgs = [raw({ protocol: PROTOCOL_VERSION, namespace: 'guard' })];

function isRefusal(reply: unknown): boolean {
  const value = reply as { type?: string; name?: string; value?: { value?: { message?: string } } };
  return value.type === 'HANDLER' && value.name === 'throw' && /refused a message/.test(value.value?.value?.message ?? '');
}

describe('the worker boundary', () => {
  it('serves calls of the facade methods', async () => {
    const { send, opened } = served();
    const reply = (await send({ type: 'APPLY', path: ['open'], argumentList: openArgs })) as { value: unknown };
    expect(reply.value).toMatchObject({ ok: true, value: { namespace: 'guard' } });
    expect(opened()).toBe(1);
  });

  it('refuses paths through __proto__ and constructor, and leaves every prototype clean', async () => {
    const { send } = served();
    const attacks: Record<string, unknown>[] = [
      { type: 'SET', path: ['__proto__', 'polluted'], value: raw(true) },
      { type: 'SET', path: ['open', '__proto__', 'polluted'], value: raw(true) },
      { type: 'SET', path: ['constructor', 'prototype', 'polluted'], value: raw(true) },
      { type: 'SET', path: ['open', 'constructor', 'prototype', 'polluted'], value: raw(true) },
      { type: 'APPLY', path: ['constructor', 'constructor'], argumentList: [raw('return globalThis')] },
      { type: 'APPLY', path: ['open', 'constructor'], argumentList: [raw('return 1')] },
      { type: 'APPLY', path: ['__proto__', 'toString'], argumentList: [] },
      { type: 'APPLY', path: ['hasOwnProperty'], argumentList: [raw('open')] },
      { type: 'GET', path: ['open'] },
      { type: 'GET', path: [] },
      { type: 'CONSTRUCT', path: ['open'], argumentList: [] },
      { type: 'ENDPOINT', path: [] },
      { type: 'APPLY', path: 'open', argumentList: [] },
      { type: 'APPLY', path: [['open']], argumentList: [] },
      { type: 'RELEASE', path: ['open'] },
    ];
    for (const attack of attacks) expect(isRefusal(await send(attack)), JSON.stringify(attack)).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((() => undefined as unknown as Record<string, unknown>)['polluted' as never]).toBeUndefined();
    // The connection still works afterwards.
    const reply = (await send({ type: 'APPLY', path: ['open'], argumentList: openArgs })) as { value: unknown };
    expect(reply.value).toMatchObject({ ok: true });
  });

  it('drops a message from another origin before Comlink sees it', async () => {
    const { host, opened, send } = served();
    host.dispatchEvent(
      new MessageEvent('message', {
        data: { id: 'evil', type: 'APPLY', path: ['open'], argumentList: openArgs },
        origin: 'https://evil.example',
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(opened()).toBe(0);
    // The same message from the channel itself (no origin) is served.
    await send({ type: 'APPLY', path: ['open'], argumentList: openArgs });
    expect(opened()).toBe(1);
  });
});
