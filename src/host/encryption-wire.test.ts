// Encryption at rest across a real MessageChannel in Node: createMemory({ encryption }) through the facade and the
// registry to the encrypting store on fake-indexeddb, several connections sharing one runtime, errors by code.

import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openEncryptedStore } from '../adapters/encrypted-store.js';
import { InMemoryStore } from '../adapters/memory-store.js';
import { openIdbStore } from '../adapters/idb-store.js';
import { MemoryRuntime } from '../core/runtime.js';
import { ManualClock, errorOf, sequentialIds } from '../core/test-support.js';
import { createMemory } from '../sdk/create-memory.js';
import type { MemoryClient } from '../sdk/memory-client.js';
import { createRegistry, serveMemory, type RuntimeRegistry } from './serve-memory.js';

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

/** The browser's composition (compose-runtime.ts) with few PBKDF2 iterations, on fake-indexeddb. */
function encryptingHost(): RuntimeRegistry {
  return createRegistry(async (namespace, _embedding, _progress, passphrase) => {
    const idb = await openIdbStore({ namespace, broadcast: false });
    const store = await openEncryptedStore(idb, {
      namespace,
      iterations: 1_000,
      ...(passphrase !== undefined && { passphrase }),
    }).catch(async (error: unknown) => {
      await idb.close();
      throw error;
    });
    return MemoryRuntime.open({ namespace, store, encryption: store, clock: new ManualClock(), newId: sequentialIds() });
  });
}

function connect(registry: RuntimeRegistry, namespace: string, passphrase?: string): Promise<MemoryClient> {
  const channel = new MessageChannel();
  ports.push(channel.port1, channel.port2);
  serveMemory(registry, channel.port1);
  return createMemory({ namespace, endpoint: channel.port2, ...(passphrase !== undefined && { encryption: { passphrase } }) });
}

let n = 0;

describe('encryption over the wire', () => {
  it('opens, locks, refuses a wrong passphrase by code, and never echoes a passphrase', async () => {
    const ns = `wire-enc-${++n}`;
    const memory = await connect(encryptingHost(), ns, 'open sesame');
    await memory.remember({ text: 'Ada keeps bees' });
    expect((await memory.stats()).encryption).toMatchObject({ enabled: true, kdf: 'PBKDF2-SHA256', cipher: 'AES-GCM-256' });
    await memory.close();

    const host = encryptingHost();
    expect((await errorOf(connect(host, ns))).code).toBe('LOCKED');
    const wrong = await errorOf(connect(host, ns, 'guess-31337'));
    expect(wrong.code).toBe('WRONG_PASSPHRASE');
    expect(JSON.stringify(wrong.toJSON())).not.toContain('31337');
    const again = await connect(host, ns, 'open sesame');
    expect((await again.recall('bees'))[0]?.record.text).toBe('Ada keeps bees');
    await again.close();
  });

  it('a second connection to the same open runtime must bring the passphrase too', async () => {
    const host = encryptingHost();
    const ns = `wire-shared-${++n}`;
    const first = await connect(host, ns, 'shared secret');
    await first.remember({ text: 'only for those who know' });
    expect((await errorOf(connect(host, ns))).code).toBe('LOCKED');
    expect((await errorOf(connect(host, ns, 'not the secret'))).code).toBe('WRONG_PASSPHRASE');
    const second = await connect(host, ns, 'shared secret');
    expect(await second.list()).toHaveLength(1);
    await second.close();
    await first.close();
  });

  it('enable and changePassphrase from the client; bad arguments and unsupported hosts by code', async () => {
    const host = encryptingHost();
    const ns = `wire-enable-${++n}`;
    const memory = await connect(host, ns);
    await memory.remember({ text: 'written before encryption' });
    expect((await memory.stats()).encryption).toEqual({ enabled: false });
    expect((await errorOf(memory.encryption.changePassphrase('a', 'b'))).code).toBe('NOT_ENCRYPTED');
    expect((await errorOf(memory.encryption.enable(''))).code).toBe('INVALID_ARGUMENT');
    await memory.encryption.enable('first');
    expect((await memory.stats()).encryption?.enabled).toBe(true);
    expect((await errorOf(memory.encryption.enable('other'))).code).toBe('WRONG_PASSPHRASE');
    expect((await errorOf(memory.encryption.changePassphrase('other', 'second'))).code).toBe('WRONG_PASSPHRASE');
    await memory.encryption.changePassphrase('first', 'second');
    await memory.close();
    expect((await errorOf(connect(encryptingHost(), ns, 'first'))).code).toBe('WRONG_PASSPHRASE');
    const reopened = await connect(encryptingHost(), ns, 'second');
    expect((await reopened.list())[0]?.text).toBe('written before encryption');
    await reopened.close();

    const plainHost = createRegistry(async (namespace) =>
      MemoryRuntime.open({ namespace, store: new InMemoryStore(), clock: new ManualClock(), newId: sequentialIds() }),
    );
    const inMemory = await connect(plainHost, `wire-plain-${++n}`);
    expect((await errorOf(inMemory.encryption.enable('x'))).code).toBe('ENCRYPTION_UNSUPPORTED');
    expect((await inMemory.stats()).encryption).toEqual({ enabled: false });
    await inMemory.close();
    expect(
      (
        await errorOf(
          createMemory({ namespace: 'x', encryption: { passphrase: 7 } as never, endpoint: new MessageChannel().port1 }),
        )
      ).code,
    ).toBe('INVALID_ARGUMENT');
  });
});
