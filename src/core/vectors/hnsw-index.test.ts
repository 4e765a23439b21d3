import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MnemoError } from '../errors.js';
import { FlatIndex } from './flat-index.js';
import { HnswIndex } from './hnsw-index.js';
import { checkHnswIntegrity } from './hnsw-integrity.js';
import { decodeHnswSnapshot, encodeHnswSnapshot } from './hnsw-snapshot.js';
import { clusteredVectors, recallAt } from './test-vectors.js';

const DIMS = 64;

function build(count: number, seed = 1, options: Partial<ConstructorParameters<typeof HnswIndex>[0]> = {}) {
  const vectors = clusteredVectors(count, DIMS, seed, 30);
  const hnsw = new HnswIndex({ dims: DIMS, seed: 7, ...options });
  const flat = new FlatIndex({ dims: DIMS });
  vectors.forEach((v, i) => {
    hnsw.upsert(`v${i}`, v);
    flat.upsert(`v${i}`, v);
  });
  return { hnsw, flat, vectors };
}

function meanRecall(hnsw: HnswIndex, flat: FlatIndex, queries: Float32Array[], k = 10, filter?: (id: string) => boolean): number {
  let total = 0;
  for (const q of queries) {
    const options = filter ? { filter } : {};
    total += recallAt(
      hnsw.search(q, k, options).map((h) => h.id),
      flat.search(q, k, options).map((h) => h.id),
    );
  }
  return total / queries.length;
}

function expectSound(hnsw: HnswIndex): void {
  const integrity = checkHnswIntegrity(hnsw);
  expect(integrity.problems).toEqual([]);
  expect(integrity.unreachable).toBe(0);
}

const queries = clusteredVectors(100, DIMS, 99, 30);

/** Byte equality without the deep-equality diff machinery, which is slow on megabytes. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

describe('HnswIndex', () => {
  it('reaches recall@10 >= 0.95 against the flat index at the default efSearch', () => {
    const { hnsw, flat } = build(4000);
    expect(meanRecall(hnsw, flat, queries)).toBeGreaterThanOrEqual(0.95);
    expectSound(hnsw);
  });

  it('keeps recall >= 0.95 after deleting 20%, and never returns a deleted id', () => {
    const { hnsw, flat } = build(4000, 2);
    const deleted = new Set<string>();
    for (let i = 0; i < 4000; i += 5) {
      expect(hnsw.remove(`v${i}`)).toBe(true);
      flat.remove(`v${i}`);
      deleted.add(`v${i}`);
    }
    expect(hnsw.size).toBe(3200);
    expect(meanRecall(hnsw, flat, queries)).toBeGreaterThanOrEqual(0.95);
    for (const q of queries) for (const hit of hnsw.search(q, 50)) expect(deleted.has(hit.id)).toBe(false);
    hnsw.repair();
    expectSound(hnsw);
    expect(meanRecall(hnsw, flat, queries)).toBeGreaterThanOrEqual(0.95);
  });

  it('reuses repaired slots for new inserts and stays sound', () => {
    const { hnsw, flat } = build(2000, 3);
    for (let i = 0; i < 2000; i += 2) {
      hnsw.remove(`v${i}`);
      flat.remove(`v${i}`);
    }
    hnsw.repair();
    const fresh = clusteredVectors(1000, DIMS, 33, 30);
    fresh.forEach((v, i) => {
      hnsw.upsert(`n${i}`, v);
      flat.upsert(`n${i}`, v);
    });
    expect(hnsw.state().slots).toBe(2000);
    expectSound(hnsw);
    expect(meanRecall(hnsw, flat, queries)).toBeGreaterThanOrEqual(0.95);
  });

  it('round-trips through a snapshot without a rebuild, answering identically', () => {
    const { hnsw, flat } = build(3000, 4);
    for (let i = 0; i < 3000; i += 7) {
      hnsw.remove(`v${i}`);
      flat.remove(`v${i}`);
    }
    const bytes = encodeHnswSnapshot(hnsw);
    const loaded = decodeHnswSnapshot(bytes);
    expect(loaded.size).toBe(hnsw.size);
    for (const q of queries.slice(0, 20)) expect(loaded.search(q, 10)).toEqual(hnsw.search(q, 10));
    expect(meanRecall(loaded, flat, queries)).toBeGreaterThanOrEqual(0.95);
    expectSound(loaded);
    // The loaded index keeps building the same graph as the original would.
    const extra = clusteredVectors(50, DIMS, 44, 30);
    extra.forEach((v, i) => {
      hnsw.upsert(`x${i}`, v);
      loaded.upsert(`x${i}`, v);
    });
    expect(sameBytes(encodeHnswSnapshot(loaded), encodeHnswSnapshot(hnsw))).toBe(true);
  });

  it('rejects a damaged snapshot with INDEX_CORRUPT', () => {
    const bytes = encodeHnswSnapshot(build(200, 5).hnsw);
    const expectCorrupt = (data: Uint8Array) => {
      expect(() => decodeHnswSnapshot(data)).toThrow(MnemoError);
      try {
        decodeHnswSnapshot(data);
      } catch (error) {
        expect((error as MnemoError).code).toBe('INDEX_CORRUPT');
      }
    };
    expectCorrupt(bytes.slice(0, bytes.length - 10));
    expectCorrupt(new Uint8Array(16));
    const future = bytes.slice();
    future[4] = 99;
    expectCorrupt(future);
    expectCorrupt(Uint8Array.from([...bytes, 0, 0, 0, 0]));
  });

  it('builds the same graph from the same seed and inserts', () => {
    const [a, b] = [encodeHnswSnapshot(build(500, 6).hnsw), encodeHnswSnapshot(build(500, 6, { seed: 7 }).hnsw)];
    expect(sameBytes(a, b)).toBe(true);
    expect(sameBytes(a, encodeHnswSnapshot(build(500, 6, { seed: 8 }).hnsw))).toBe(false);
  });

  it('returns k results under a selective filter when k pass, and only those', () => {
    const { hnsw, flat } = build(3000, 7);
    const rare = (id: string) => Number(id.slice(1)) % 150 === 0; // 20 of 3000
    for (const q of queries.slice(0, 10)) {
      const hits = hnsw.search(q, 10, { filter: rare });
      expect(hits).toHaveLength(10);
      expect(hits.every((h) => rare(h.id))).toBe(true);
    }
    expect(meanRecall(hnsw, flat, queries.slice(0, 20), 10, rare)).toBeGreaterThanOrEqual(0.95);
    const half = (id: string) => Number(id.slice(1)) % 2 === 0;
    expect(meanRecall(hnsw, flat, queries.slice(0, 20), 10, half)).toBeGreaterThanOrEqual(0.95);
  });

  it('treats an upsert of an existing id as a replacement', () => {
    const { hnsw } = build(500, 8);
    const target = clusteredVectors(1, DIMS, 88, 30)[0]!;
    hnsw.upsert('v10', target);
    expect(hnsw.size).toBe(500);
    const hits = hnsw.search(target, 3);
    expect(hits[0]).toMatchObject({ id: 'v10' });
    expect(hits.filter((h) => h.id === 'v10')).toHaveLength(1);
  });

  it('handles the empty, single and all-deleted cases', () => {
    const hnsw = new HnswIndex({ dims: 3 });
    expect(hnsw.search(Float32Array.of(1, 0, 0), 5)).toEqual([]);
    hnsw.upsert('a', Float32Array.of(1, 0, 0));
    expect(hnsw.search(Float32Array.of(1, 0, 0), 5).map((h) => h.id)).toEqual(['a']);
    hnsw.remove('a');
    expect(hnsw.search(Float32Array.of(1, 0, 0), 5)).toEqual([]);
    hnsw.upsert('b', Float32Array.of(0, 1, 0));
    expect(hnsw.search(Float32Array.of(1, 0, 0), 5).map((h) => h.id)).toEqual(['b']);
    expectSound(hnsw);
  });

  it('rejects bad vectors with typed errors and stores nothing', () => {
    const hnsw = new HnswIndex({ dims: 4 });
    expect(() => hnsw.upsert('x', Float32Array.of(1, 2))).toThrow(expect.objectContaining({ code: 'INDEX_DIMENSION_MISMATCH' }));
    expect(() => hnsw.upsert('x', Float32Array.of(0, 0, 0, 0))).toThrow(expect.objectContaining({ code: 'INVALID_VECTOR' }));
    expect(() => hnsw.upsert('x', [1, 2, 3, 4] as unknown as Float32Array)).toThrow(
      expect.objectContaining({ code: 'INVALID_VECTOR' }),
    );
    expect(hnsw.size).toBe(0);
    expectSound(hnsw);
  });

  it('matches the flat oracle through random inserts, updates, deletes and searches (model-based fuzz)', () => {
    const dims = 8;
    const vector = fc
      .array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: dims, maxLength: dims })
      .filter((v) => v.some((x) => Math.abs(x) > 0.01));
    const op = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({ kind: fc.constant('upsert' as const), id: fc.integer({ min: 0, max: 60 }), v: vector }),
      },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 60 }) }) },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant('search' as const), v: vector, k: fc.integer({ min: 1, max: 10 }) }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('repair' as const) }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150 }), fc.integer({ min: 1, max: 1000 }), (ops, seed) => {
        const hnsw = new HnswIndex({ dims, M: 4, efConstruction: 32, efSearch: 16, seed, repairRatio: 0.3 });
        const flat = new FlatIndex({ dims });
        for (const o of ops) {
          if (o.kind === 'upsert') {
            hnsw.upsert(`i${o.id}`, Float32Array.from(o.v));
            flat.upsert(`i${o.id}`, Float32Array.from(o.v));
          } else if (o.kind === 'remove') {
            expect(hnsw.remove(`i${o.id}`)).toBe(flat.remove(`i${o.id}`));
          } else if (o.kind === 'repair') {
            hnsw.repair();
          } else {
            const found = hnsw.search(Float32Array.from(o.v), o.k);
            expect(found.length).toBe(Math.min(o.k, flat.size));
            for (const hit of found) expect(flat.has(hit.id)).toBe(true);
            expect(new Set(found.map((h) => h.id)).size).toBe(found.length);
          }
          expect(hnsw.size).toBe(flat.size);
        }
        expect(checkHnswIntegrity(hnsw).problems).toEqual([]);
      }),
      { numRuns: 150, seed: 20261122 },
    );
  });
});
