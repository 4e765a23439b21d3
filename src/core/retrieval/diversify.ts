// Maximal marginal relevance: picks hits one by one, trading relevance against likeness to those already
// picked, so ten near-identical turns do not fill ten slots.

/** `diversity` 0 keeps the order; 1 weighs likeness as much as relevance. */
export function diversify<T extends { id: string; score: number }>(
  hits: readonly T[],
  k: number,
  diversity: number,
  likeness: (a: string, b: string) => number,
): T[] {
  if (diversity <= 0 || hits.length <= 1) return hits.slice(0, k);
  const top = hits[0]!.score || 1;
  const left = [...hits];
  const picked: T[] = [];
  const maxLikeness = new Map<string, number>();
  while (picked.length < k && left.length > 0) {
    let best = 0;
    let bestValue = -Infinity;
    left.forEach((hit, i) => {
      const value = (1 - diversity) * (hit.score / top) - diversity * (maxLikeness.get(hit.id) ?? 0);
      if (value > bestValue) [best, bestValue] = [i, value];
    });
    const [chosen] = left.splice(best, 1) as [T];
    picked.push(chosen);
    for (const hit of left) maxLikeness.set(hit.id, Math.max(maxLikeness.get(hit.id) ?? 0, likeness(chosen.id, hit.id)));
  }
  return picked;
}

/** Cosine of two term-count vectors. */
export function termCosine(a: ReadonlyMap<string, number> | undefined, b: ReadonlyMap<string, number> | undefined): number {
  if (!a || !b || a.size === 0 || b.size === 0) return 0;
  let dot = 0;
  for (const [term, count] of a) dot += count * (b.get(term) ?? 0);
  if (dot === 0) return 0;
  let na = 0;
  let nb = 0;
  for (const count of a.values()) na += count * count;
  for (const count of b.values()) nb += count * count;
  return dot / Math.sqrt(na * nb);
}
