import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MnemoError } from '../errors.js';
import { FlatIndex } from './flat-index.js';
import { bruteForce, bruteForceHits, clusteredVectors, recallAt } from './test-vectors.js';

const DIMS = 40; // not a multiple of 16: the padded stride must not leak into scores

describe('FlatIndex', () => {
  for (const [label, options] of [
    ['SIMD', {}],
    ['JavaScript', { forceJs: true }],
  ] as const) {
    it(`returns the exact top k, best first (${label} kernels)`, () => {
      const vectors = new Map(clusteredVectors(300, DIMS, 1).map((v, i) => [`v${i}`, v]));
      const index = new FlatIndex({ dims: DIMS, ...options });
      for (const [id, v] of vectors) index.upsert(id, v);
      for (const query of clusteredVectors(20, DIMS, 2)) {
        const hits = index.search(query, 10);
        expect(hits.map((h) => h.id)).toEqual(bruteForce(vectors, query, 10));
        expect(hits.every((h, i) => i === 0 || hits[i - 1]!.score >= h.score)).toBe(true);
        expect(hits[0]!.score).toBeLessThanOrEqual(1.0001);
      }
    });
  }

  it('scores cosine similarity whatever the input norm', () => {
    const index = new FlatIndex({ dims: 3 });
    index.upsert('x', Float32Array.of(10, 0, 0));
    index.upsert('xy', Float32Array.of(1, 1, 0));
    const [best, second] = index.search(Float32Array.of(0.001, 0, 0), 2);
    expect(best).toMatchObject({ id: 'x' });
    expect(best!.score).toBeCloseTo(1, 6);
    expect(second!.score).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('pushes the filter into the scan: k results whenever k pass', () => {
    const index = new FlatIndex({ dims: DIMS });
    clusteredVectors(500, DIMS, 3).forEach((v, i) => index.upsert(`v${i}`, v));
    const query = clusteredVectors(1, DIMS, 4)[0]!;
    const hits = index.search(query, 10, { filter: (id) => Number(id.slice(1)) % 97 === 0 });
    expect(hits.map((h) => h.id).sort()).toEqual(['v0', 'v194', 'v291', 'v388', 'v485', 'v97'].sort());
  });

  it('replaces on upsert and forgets on remove, keeping the others intact', () => {
    const vectors = new Map(clusteredVectors(50, DIMS, 5).map((v, i) => [`v${i}`, v]));
    const index = new FlatIndex({ dims: DIMS });
    for (const [id, v] of vectors) index.upsert(id, v);
    const replacement = clusteredVectors(1, DIMS, 6)[0]!;
    index.upsert('v3', replacement);
    vectors.set('v3', replacement);
    for (const id of ['v0', 'v49', 'v20']) {
      expect(index.remove(id)).toBe(true);
      vectors.delete(id);
    }
    expect(index.remove('v0')).toBe(false);
    expect(index.size).toBe(47);
    expect(index.search(replacement, 1)[0]?.id).toBe('v3');
    const query = clusteredVectors(1, DIMS, 7)[0]!;
    expect(index.search(query, 47).map((h) => h.id)).toEqual(bruteForce(vectors, query, 47));
  });

  it('in int8 mode reaches recall@10 of at least 0.99 against float', () => {
    const vectors = clusteredVectors(3000, 384, 8, 50);
    const exact = new FlatIndex({ dims: 384 });
    const int8 = new FlatIndex({ dims: 384, quantization: 'int8' });
    vectors.forEach((v, i) => {
      exact.upsert(`v${i}`, v);
      int8.upsert(`v${i}`, v);
    });
    let recall = 0;
    const queries = clusteredVectors(50, 384, 9, 50);
    for (const q of queries) {
      recall += recallAt(
        int8.search(q, 10).map((h) => h.id),
        exact.search(q, 10).map((h) => h.id),
      );
    }
    expect(recall / queries.length).toBeGreaterThanOrEqual(0.99);
    // Rescored scores are the exact float scores.
    const q = queries[0]!;
    expect(int8.search(q, 1)[0]!.score).toBeCloseTo(exact.search(q, 1)[0]!.score, 6);
  });

  it('rejects bad vectors with typed errors and stores nothing', () => {
    const index = new FlatIndex({ dims: 4 });
    const bad: [unknown, string][] = [
      [[1, 2, 3, 4], 'INVALID_VECTOR'],
      [Float64Array.of(1, 2, 3, 4), 'INVALID_VECTOR'],
      [Float32Array.of(1, 2, 3), 'INDEX_DIMENSION_MISMATCH'],
      [Float32Array.of(1, Number.NaN, 0, 0), 'INVALID_VECTOR'],
      [Float32Array.of(1, Number.POSITIVE_INFINITY, 0, 0), 'INVALID_VECTOR'],
      [new Float32Array(4), 'INVALID_VECTOR'],
      [null, 'INVALID_VECTOR'],
    ];
    for (const [vector, code] of bad) {
      expect(() => index.upsert('x', vector as Float32Array)).toThrow(MnemoError);
      try {
        index.upsert('x', vector as Float32Array);
      } catch (error) {
        expect((error as MnemoError).code).toBe(code);
      }
      expect(() => index.search(vector as Float32Array, 1)).toThrow(MnemoError);
    }
    expect(index.size).toBe(0);
    expect(() => new FlatIndex({ dims: 0 })).toThrow(MnemoError);
  });

  it('matches a model of inserts, updates, removes and searches (property test)', () => {
    const dims = 8;
    const vector = fc
      .array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: dims, maxLength: dims })
      .filter((v) => v.some((x) => Math.abs(x) > 0.01));
    const op = fc.oneof(
      fc.record({ kind: fc.constant('upsert' as const), id: fc.integer({ min: 0, max: 30 }), v: vector }),
      fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant('search' as const), v: vector, k: fc.integer({ min: 1, max: 12 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const index = new FlatIndex({ dims });
        const model = new Map<string, Float32Array>();
        for (const o of ops) {
          if (o.kind === 'upsert') {
            index.upsert(`i${o.id}`, Float32Array.from(o.v));
            model.set(`i${o.id}`, Float32Array.from(o.v));
          } else if (o.kind === 'remove') {
            expect(index.remove(`i${o.id}`)).toBe(model.delete(`i${o.id}`));
          } else {
            const found = index.search(Float32Array.from(o.v), o.k);
            const truth = bruteForceHits(model, Float32Array.from(o.v), o.k);
            expect(found.length).toBe(truth.length);
            // Ties may order differently, so compare live ids and the score at each rank.
            for (const hit of found) expect(model.has(hit.id)).toBe(true);
            found.forEach((hit, i) => expect(hit.score).toBeCloseTo(truth[i]!.score, 4));
          }
          expect(index.size).toBe(model.size);
        }
      }),
      { numRuns: 200, seed: 20261122 },
    );
  });
});
