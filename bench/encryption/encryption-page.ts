// The cost of encryption at rest in Chromium: ingest, cold open, reads and turning it on, against the same
// work on a plaintext namespace, over real IndexedDB (in the page's thread: the cost is the same in a worker).

import { openEncryptedStore, type EncryptedStore } from '../../src/adapters/encrypted-store.js';
import { openIdbStore } from '../../src/adapters/idb-store.js';
import type { Embedder } from '../../src/core/ports.js';
import { MemoryRuntime } from '../../src/core/runtime.js';
import { SeededRandom } from '../../src/core/vectors/seeded-random.js';

export interface EncryptionRun {
  n: number;
  dims: number;
  batch: number;
}

export interface Side {
  ingestMsPer1000: number;
  openMs: number;
  getMsP50: number;
  listMsP50: number;
  recallMsP50: number;
}

export interface EncryptionResult {
  run: EncryptionRun;
  plain: Side;
  encrypted: Side;
  /** Turning encryption on for the plaintext namespace of n records (key derivation included). */
  enableMs: number;
  pbkdf2Ms: number[];
}

/** Random unit vectors, seeded: the benchmark measures storage, not embedding. */
class RandomEmbedder implements Embedder {
  readonly model = 'bench-random';
  private readonly random = new SeededRandom(11);
  constructor(readonly dims: number) {}
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map(() => Float32Array.from({ length: this.dims }, () => this.random.next() - 0.5));
  }
}

const p50 = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
const PASSPHRASE = 'benchmark passphrase';

async function openRuntime(namespace: string, passphrase: string | undefined, dims: number) {
  const idb = await openIdbStore({ namespace, broadcast: false });
  const store: EncryptedStore = await openEncryptedStore(idb, {
    namespace,
    ...(passphrase !== undefined && { passphrase }),
  });
  return MemoryRuntime.open({
    namespace,
    store,
    encryption: store,
    clock: { now: () => Date.now() },
    newId: (() => {
      let i = 0;
      return () => `r${String(++i).padStart(8, '0')}`;
    })(),
    embedder: new RandomEmbedder(dims),
    consolidateWhenIdleMs: 0,
  });
}

async function measure(namespace: string, passphrase: string | undefined, run: EncryptionRun): Promise<Side> {
  const runtime = await openRuntime(namespace, passphrase, run.dims);
  const started = performance.now();
  for (let i = 0; i < run.n; i += run.batch) {
    const size = Math.min(run.batch, run.n - i);
    await runtime.remember(
      Array.from({ length: size }, (_, j) => ({
        text: `note ${i + j} about tea, bees and Lisbon`,
        sessionId: `s${(i + j) % 20}`,
      })),
    );
  }
  const ingestMsPer1000 = ((performance.now() - started) / run.n) * 1000;
  await runtime.close();

  const opening = performance.now();
  const reopened = await openRuntime(namespace, passphrase, run.dims);
  const openMs = performance.now() - opening;
  const time = async (task: () => Promise<unknown>) => {
    const t = performance.now();
    await task();
    return performance.now() - t;
  };
  const gets: number[] = [];
  const lists: number[] = [];
  const recalls: number[] = [];
  for (let i = 0; i < 30; i++) {
    gets.push(await time(() => reopened.get(`r${String(1 + ((i * 97) % run.n)).padStart(8, '0')}`)));
    lists.push(await time(() => reopened.list({ sessionId: `s${i % 20}`, limit: 50 })));
    recalls.push(await time(() => reopened.recall(`tea bees ${i}`, { k: 10, reinforce: false })));
  }
  await reopened.close();
  return { ingestMsPer1000, openMs, getMsP50: p50(gets), listMsP50: p50(lists), recallMsP50: p50(recalls) };
}

async function pbkdf2(): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(PASSPHRASE), 'PBKDF2', false, ['deriveKey']);
    await crypto.subtle.deriveKey(
      { name: 'PBKDF2', hash: 'SHA-256', salt: crypto.getRandomValues(new Uint8Array(16)), iterations: 600_000 },
      material,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt'],
    );
    out.push(performance.now() - t);
  }
  return out;
}

async function runEncryption(run: EncryptionRun): Promise<EncryptionResult> {
  const stamp = Date.now();
  const plain = await measure(`bench-plain-${stamp}`, undefined, run);
  const encrypted = await measure(`bench-sealed-${stamp}`, PASSPHRASE, run);
  // The plaintext namespace, now turned encrypted: every row sealed in one transaction.
  const runtime = await openRuntime(`bench-plain-${stamp}`, undefined, run.dims);
  const enabling = performance.now();
  await runtime.encryptionEnable(PASSPHRASE);
  const enableMs = performance.now() - enabling;
  await runtime.close();
  return { run, plain, encrypted, enableMs, pbkdf2Ms: await pbkdf2() };
}

declare global {
  interface Window {
    runEncryption: typeof runEncryption;
  }
}
window.runEncryption = runEncryption;
document.body.dataset['ready'] = 'true';
