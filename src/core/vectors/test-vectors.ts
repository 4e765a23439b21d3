// Seeded vector sets for tests: clustered like sentence embeddings, so recall figures mean something.

import { SeededRandom } from './seeded-random.js';

export function gaussian(random: SeededRandom): number {
  return Math.sqrt(-2 * Math.log(random.next())) * Math.cos(2 * Math.PI * random.next());
}

/** `count` vectors around `clusters` random centres; `spread` is the noise relative to the centre scale. */
export function clusteredVectors(count: number, dims: number, seed: number, clusters = 20, spread = 1): Float32Array[] {
  const random = new SeededRandom(seed);
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: dims }, () => gaussian(random)));
  return Array.from({ length: count }, () => {
    const centre = centres[Math.floor(random.next() * clusters) % clusters]!;
    return Float32Array.from({ length: dims }, (_, j) => centre[j]! + spread * gaussian(random));
  });
}

/** Exact top-k by cosine, computed in plain JavaScript in double precision: the oracle of the oracle. */
export function bruteForceHits(
  vectors: Map<string, Float32Array>,
  query: Float32Array,
  k: number,
): { id: string; score: number }[] {
  const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const qn = norm(query);
  return [...vectors]
    .map(([id, v]) => ({ id, score: v.reduce((s, x, i) => s + x * query[i]!, 0) / (norm(v) * qn) }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, k);
}

export function bruteForce(vectors: Map<string, Float32Array>, query: Float32Array, k: number): string[] {
  return bruteForceHits(vectors, query, k).map((h) => h.id);
}

export function recallAt(found: readonly string[], truth: readonly string[]): number {
  const wanted = new Set(truth);
  return found.filter((id) => wanted.has(id)).length / truth.length;
}
