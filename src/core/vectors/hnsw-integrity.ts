// The integrity check of an HNSW graph: every structural invariant, and which live nodes a search can reach.

import type { HnswIndex } from './hnsw-index.js';

export interface HnswIntegrity {
  /** Broken invariants; empty for a sound graph. */
  problems: string[];
  /** Live nodes not reachable from the entry point on level 0 (a recall risk, not corruption). */
  unreachable: number;
  live: number;
  tombstones: number;
}

export function checkHnswIntegrity(index: HnswIndex): HnswIntegrity {
  const state = index.state({ withVectors: false });
  const { graph, idOfSlot, deleted, slots, entry, maxLevel } = state;
  const problems: string[] = [];
  const problem = (message: string) => {
    if (problems.length < 50) problems.push(message);
  };
  const allocated = (slot: number) => slot >= 0 && slot < slots && idOfSlot[slot] !== undefined;

  let live = 0;
  let tombstones = 0;
  const ids = new Set<string>();
  for (let slot = 0; slot < slots; slot++) {
    const id = idOfSlot[slot];
    if (id === undefined) continue;
    if (deleted[slot]) tombstones++;
    else {
      live++;
      if (ids.has(id)) problem(`id ${id} is live in two slots`);
      ids.add(id);
    }
    const level = graph.levelOf[slot]!;
    if (level > maxLevel) problem(`slot ${slot} has level ${level} above the top level ${maxLevel}`);
    for (let l = 0; l <= level; l++) {
      const neighbours = graph.neighbours(slot, l);
      if (neighbours.length > graph.maxDegree(l))
        problem(`slot ${slot} level ${l}: ${neighbours.length} links, max ${graph.maxDegree(l)}`);
      if (new Set(neighbours).size !== neighbours.length) problem(`slot ${slot} level ${l}: duplicate links`);
      for (const n of neighbours) {
        if (n === slot) problem(`slot ${slot} level ${l}: links to itself`);
        else if (!allocated(n)) problem(`slot ${slot} level ${l}: links to free slot ${n}`);
        else if (graph.levelOf[n]! < l) problem(`slot ${slot} level ${l}: links to slot ${n} of level ${graph.levelOf[n]}`);
      }
    }
  }
  for (const slot of state.freeSlots)
    if (idOfSlot[slot] !== undefined) problem(`free slot ${slot} still holds ${idOfSlot[slot]}`);
  if (live !== index.size) problem(`${live} live nodes, but the index counts ${index.size}`);

  if (live + tombstones === 0) {
    if (entry !== -1) problem(`empty graph with entry ${entry}`);
    return { problems, unreachable: 0, live, tombstones };
  }
  if (!allocated(entry)) {
    problem(`entry ${entry} is not a node`);
    return { problems, unreachable: live, live, tombstones };
  }
  if (graph.levelOf[entry] !== maxLevel) problem(`entry level ${graph.levelOf[entry]} differs from top level ${maxLevel}`);

  // Reachability on level 0, through tombstones too, since searches traverse them.
  const seen = new Uint8Array(slots);
  const stack = [entry];
  seen[entry] = 1;
  while (stack.length > 0) {
    const slot = stack.pop()!;
    for (const n of graph.neighbours(slot, 0)) {
      if (allocated(n) && !seen[n]) {
        seen[n] = 1;
        stack.push(n);
      }
    }
  }
  let unreachable = 0;
  for (let slot = 0; slot < slots; slot++) if (allocated(slot) && !deleted[slot] && !seen[slot]) unreachable++;
  return { problems, unreachable, live, tombstones };
}
