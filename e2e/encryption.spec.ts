// Encryption at rest in real Chromium: canary texts and a canary vector written through the SDK, then looked
// for (a) in a raw dump of every object store and (b) in every file of the browser profile on disk. The same
// writes to an unencrypted namespace in a profile of its own are the positive control: there the canaries are
// found, so a search that finds nothing in the encrypted profile means something.

import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { HashEmbedder } from '../src/core/embedding/hash-embedder.js';
import { chromiumLaunchOptions } from '../scripts/find-chromium.mjs';
import { expect, openHarness, test } from './support/fixtures.js';

const BASE_URL = 'http://localhost:5174';

/** A canary unique to this run; a long text of random words makes the hash embedder's vector dense. */
function makeCanary() {
  const tag = `CANARY${randomBytes(8).toString('hex')}`;
  const words = Array.from({ length: 120 }, () =>
    randomBytes(4)
      .toString('hex')
      .replace(/\d/g, (d) => 'ghijklmnop'[+d]!),
  );
  return { tag, text: `${tag} ${words.join(' ')}` };
}

/** 16-byte windows of the canary's stored vector (4 non-zero floats each), the patterns searched for. */
function vectorWindows(text: string): Buffer[] {
  const vector = new HashEmbedder().embedOne(text);
  const bytes = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
  const windows: Buffer[] = [];
  for (let i = 0; i + 4 <= vector.length; i += 4) {
    if (vector.subarray(i, i + 4).every((x) => x !== 0)) windows.push(bytes.subarray(i * 4, i * 4 + 16));
  }
  return windows;
}

/** Writes the canary through the SDK: text, session id, tag, metadata; a forget forces a compaction into chunks. */
async function writeCanary(page: Page, namespace: string, canary: { tag: string; text: string }, passphrase?: string) {
  return page.evaluate(
    async ({ namespace, canary, passphrase }) => {
      const memory = await window.harness.createMemory({
        namespace,
        ...(passphrase !== undefined && { encryption: { passphrase } }),
      });
      const [record, filler] = await memory.remember([
        {
          text: canary.text,
          sessionId: `${canary.tag}-session`,
          tags: [`${canary.tag}-tag`],
          meta: { note: `${canary.tag} meta` },
        },
        { text: 'a filler note to forget' },
      ]);
      await memory.forget(filler!.id);
      const hits = await memory.recall(canary.tag);
      const stats = await memory.stats();
      await memory.close();
      return { id: record!.id, found: hits[0]?.record.id === record!.id, encryption: stats.encryption };
    },
    { namespace, canary, passphrase },
  );
}

/** Every object store of the namespace's database, read raw in the page: strings as they are, bytes as hex. */
async function rawDump(page: Page, namespace: string): Promise<{ text: string; counts: Record<string, number> }> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    const parts: string[] = [];
    const counts: Record<string, number> = {};
    const hex = (view: ArrayBufferView) =>
      Array.from(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), (b) => b.toString(16).padStart(2, '0')).join('');
    const walk = (value: unknown): void => {
      if (typeof value === 'string') parts.push(value);
      else if (ArrayBuffer.isView(value)) parts.push(hex(value));
      else if (Array.isArray(value)) value.forEach(walk);
      else if (typeof value === 'object' && value !== null)
        for (const [key, inner] of Object.entries(value)) {
          parts.push(key);
          walk(inner);
        }
      else parts.push(String(value));
    };
    for (const store of Array.from(db.objectStoreNames)) {
      const rows = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('read failed'));
      });
      counts[store] = rows.length;
      walk(rows);
    }
    db.close();
    return { text: parts.join('\n'), counts };
  }, `mnemo:${namespace}`);
}

/** Every file under `dir`, searched for each pattern; returns the patterns (by index) found anywhere. */
async function grepTree(dir: string, patterns: Buffer[]): Promise<Set<number>> {
  const found = new Set<number>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const content = await readFile(join(entry.parentPath, entry.name)).catch(() => undefined);
    if (!content) continue;
    patterns.forEach((pattern, i) => {
      if (content.includes(pattern)) found.add(i);
    });
  }
  return found;
}

/** Runs `body` in a fresh persistent profile, closes the browser (so everything is on disk), and greps it. */
async function inProfile(body: (page: Page) => Promise<void>, patterns: Buffer[]): Promise<Set<number>> {
  const dir = await mkdtemp(join(tmpdir(), 'mnemo-profile-'));
  try {
    const context = await chromium.launchPersistentContext(dir, { ...chromiumLaunchOptions(), baseURL: BASE_URL });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await openHarness(page);
      await body(page);
    } finally {
      await context.close();
    }
    return await grepTree(dir, patterns);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// The first test launches browsers of its own; tracing them races other runs over test-results/.
test.use({ trace: 'off' });

test.describe('Encryption at rest in Chromium', () => {
  test('no plaintext canary in the raw stores or on disk; the unencrypted control shows the same canary', async () => {
    test.setTimeout(120_000);
    const canary = makeCanary();
    const windows = vectorWindows(canary.text);
    expect(windows.length).toBeGreaterThan(10);
    const textPatterns = [Buffer.from(canary.tag, 'latin1'), Buffer.from(canary.tag, 'utf16le')];
    const patterns = [...textPatterns, ...windows];
    const isText = (i: number) => i < textPatterns.length;
    const vectorHex = windows.map((w) => w.toString('hex'));

    let control: { text: string; counts: Record<string, number> } | undefined;
    const plainOnDisk = await inProfile(async (page) => {
      const written = await writeCanary(page, 'plain', canary);
      expect(written).toMatchObject({ found: true, encryption: { enabled: false } });
      control = await rawDump(page, 'plain');
    }, patterns);
    // The control: raw stores and disk both show the canary text and vector when nothing is encrypted.
    expect(control!.text).toContain(canary.tag);
    expect(vectorHex.filter((h) => control!.text.includes(h)).length).toBe(windows.length);
    expect(control!.counts['vectorChunks']).toBeGreaterThan(0);
    test.info().annotations.push({
      type: 'control on disk',
      description: `${[...plainOnDisk].filter(isText).length}/${textPatterns.length} text encodings, ${[...plainOnDisk].filter((i) => !isText(i)).length}/${windows.length} vector windows`,
    });
    expect([...plainOnDisk].filter(isText).length).toBeGreaterThan(0);
    expect([...plainOnDisk].filter((i) => !isText(i)).length).toBeGreaterThan(0);

    let sealed: { text: string; counts: Record<string, number> } | undefined;
    const encryptedOnDisk = await inProfile(async (page) => {
      const written = await writeCanary(page, 'secret', canary, 'correct horse battery staple');
      expect(written).toMatchObject({ found: true, encryption: { enabled: true, iterations: 600_000 } });
      sealed = await rawDump(page, 'secret');
    }, patterns);
    // The same writes, encrypted: the same stores hold rows, and none of the canary is anywhere.
    expect(sealed!.counts).toMatchObject({ records: 1, vectorChunks: control!.counts['vectorChunks'] });
    expect(sealed!.text).not.toContain(canary.tag);
    expect(vectorHex.filter((h) => sealed!.text.includes(h))).toEqual([]);
    expect(sealed!.text).not.toContain('correct horse');
    expect([...encryptedOnDisk]).toEqual([]);
  });

  test('LOCKED without the passphrase, WRONG_PASSPHRASE with another; the right one reads; a passphrase change', async ({
    harnessPage: page,
    namespace,
  }) => {
    const outcome = await page.evaluate(async (namespace) => {
      const { createMemory } = window.harness;
      const codeOf = (promise: Promise<unknown>) =>
        promise.then(
          () => 'resolved',
          (e: { code?: string }) => e.code ?? 'no code',
        );
      const first = await createMemory({ namespace, encryption: { passphrase: 'first pass' } });
      await first.remember({ text: 'Ada keeps bees in Lisbon' });
      await first.close();
      const locked = await codeOf(createMemory({ namespace }));
      const wrong = await codeOf(createMemory({ namespace, encryption: { passphrase: 'not it' } }));
      const plainStarted = performance.now();
      await (await createMemory({ namespace: `${namespace}-plain` })).close();
      const plainOpenMs = performance.now() - plainStarted;
      const started = performance.now();
      const reopened = await createMemory({ namespace, encryption: { passphrase: 'first pass' } });
      const openMs = performance.now() - started;
      const recalled = (await reopened.recall('bees'))[0]?.record.text;
      const badChange = await codeOf(reopened.encryption.changePassphrase('not it', 'second pass'));
      await reopened.encryption.changePassphrase('first pass', 'second pass');
      await reopened.close();
      const oldRefused = await codeOf(createMemory({ namespace, encryption: { passphrase: 'first pass' } }));
      const last = await createMemory({ namespace, encryption: { passphrase: 'second pass' } });
      const afterChange = (await last.recall('bees'))[0]?.record.text;
      await last.close();
      return { locked, wrong, recalled, badChange, oldRefused, afterChange, openMs, plainOpenMs };
    }, namespace);
    // Measured, not asserted: PBKDF2 at 600,000 iterations is meant to be slow.
    test.info().annotations.push({
      type: 'createMemory (ms)',
      description: `encrypted ${outcome.openMs.toFixed(0)}, plaintext ${outcome.plainOpenMs.toFixed(0)}`,
    });
    expect(outcome).toMatchObject({
      locked: 'LOCKED',
      wrong: 'WRONG_PASSPHRASE',
      recalled: 'Ada keeps bees in Lisbon',
      badChange: 'WRONG_PASSPHRASE',
      oldRefused: 'WRONG_PASSPHRASE',
      afterChange: 'Ada keeps bees in Lisbon',
    });
  });

  test('a tampered sealed record is quarantined, still sealed, and the rest keeps working', async ({
    harnessPage: page,
    namespace,
  }) => {
    const canary = makeCanary();
    const outcome = await page.evaluate(
      async ({ namespace, text }) => {
        const { createMemory } = window.harness;
        const first = await createMemory({ namespace, encryption: { passphrase: 'pw' } });
        const [bad] = await first.remember([{ text }, { text: 'Ada keeps bees in Lisbon' }]);
        await first.close();
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(`mnemo:${namespace}`);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error ?? new Error('open failed'));
        });
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction('records', 'readwrite');
          const records = tx.objectStore('records');
          const read = records.get(bad!.id);
          read.onsuccess = () => {
            const row = read.result as { sealed: Uint8Array };
            row.sealed[row.sealed.length - 5]! ^= 1;
            records.put(row);
          };
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error ?? new Error('write failed'));
        });
        db.close();
        const again = await createMemory({ namespace, encryption: { passphrase: 'pw' } });
        const stats = await again.stats();
        const result = {
          quarantined: stats.quarantine.items.map((item) => item.id),
          badId: bad!.id,
          records: stats.records,
          get: (await again.get(bad!.id)) ?? null,
          recalled: (await again.recall('bees'))[0]?.record.text,
        };
        await again.close();
        return result;
      },
      { namespace, text: canary.text },
    );
    expect(outcome).toMatchObject({ quarantined: [outcome.badId], records: 1, get: null, recalled: 'Ada keeps bees in Lisbon' });
    const dump = await rawDump(page, namespace);
    expect(dump.counts['quarantine']).toBe(1);
    expect(dump.text).not.toContain(canary.tag);
  });

  test('turning encryption on for a plaintext namespace seals what it already holds', async ({
    harnessPage: page,
    namespace,
  }) => {
    const canary = makeCanary();
    const before = await page.evaluate(
      async ({ namespace, text }) => {
        const memory = await window.harness.createMemory({ namespace });
        await memory.remember([{ text }, { text: 'another note' }]);
        const status = (await memory.stats()).encryption;
        await memory.close();
        return status;
      },
      { namespace, text: canary.text },
    );
    expect(before).toEqual({ enabled: false });
    expect((await rawDump(page, namespace)).text).toContain(canary.tag);
    const after = await page.evaluate(
      async ({ namespace, tag }) => {
        const memory = await window.harness.createMemory({ namespace, encryption: { passphrase: 'late but sure' } });
        const result = { stats: (await memory.stats()).encryption, hit: (await memory.recall(tag))[0]?.record.text ?? '' };
        await memory.close();
        return result;
      },
      { namespace, tag: canary.tag },
    );
    expect(after.stats).toMatchObject({ enabled: true });
    expect(after.hit.startsWith(canary.tag)).toBe(true);
    expect((await rawDump(page, namespace)).text).not.toContain(canary.tag);
  });
});
