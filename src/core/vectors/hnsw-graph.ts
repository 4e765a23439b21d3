// The links of an HNSW graph in flat typed arrays: level 0 in one block per node, upper levels per node.

/**
 * A node's neighbour list at a level is `count` followed by up to `max` slots:
 * level 0 lives at links0[slot * (M0 + 1)], level l > 0 at upper[slot][(l - 1) * (M + 1)].
 */
export class HnswGraph {
  readonly M0: number;
  levelOf = new Uint8Array(0);
  links0 = new Int32Array(0);
  upper: (Int32Array | undefined)[] = [];

  constructor(readonly M: number) {
    this.M0 = 2 * M;
  }

  get capacity(): number {
    return this.levelOf.length;
  }

  maxDegree(level: number): number {
    return level === 0 ? this.M0 : this.M;
  }

  ensureCapacity(slots: number): void {
    if (slots <= this.levelOf.length) return;
    const capacity = Math.max(slots, this.levelOf.length * 2, 1024);
    const levels = new Uint8Array(capacity);
    levels.set(this.levelOf);
    const links = new Int32Array(capacity * (this.M0 + 1));
    links.set(this.links0);
    this.levelOf = levels;
    this.links0 = links;
  }

  /** Makes `slot` a node of `level` levels with no links. */
  init(slot: number, level: number): void {
    this.ensureCapacity(slot + 1);
    this.levelOf[slot] = level;
    this.links0.fill(0, slot * (this.M0 + 1), (slot + 1) * (this.M0 + 1));
    this.upper[slot] = level > 0 ? new Int32Array(level * (this.M + 1)) : undefined;
  }

  clear(slot: number): void {
    this.init(slot, 0);
  }

  /** The array holding `slot`'s list at `level`; read it at `base(slot, level)`. */
  list(slot: number, level: number): Int32Array {
    return level === 0 ? this.links0 : this.upper[slot]!;
  }

  base(slot: number, level: number): number {
    return level === 0 ? slot * (this.M0 + 1) : (level - 1) * (this.M + 1);
  }

  degree(slot: number, level: number): number {
    return this.list(slot, level)[this.base(slot, level)]!;
  }

  neighbours(slot: number, level: number): number[] {
    const list = this.list(slot, level);
    const base = this.base(slot, level);
    return Array.from(list.subarray(base + 1, base + 1 + list[base]!));
  }

  setNeighbours(slot: number, level: number, neighbours: readonly number[]): void {
    const list = this.list(slot, level);
    const base = this.base(slot, level);
    list[base] = neighbours.length;
    for (let i = 0; i < neighbours.length; i++) list[base + 1 + i] = neighbours[i]!;
  }

  /** Appends a link if there is room; returns false when the list is full. */
  tryAdd(slot: number, level: number, neighbour: number): boolean {
    const list = this.list(slot, level);
    const base = this.base(slot, level);
    const count = list[base]!;
    if (count >= this.maxDegree(level)) return false;
    list[base + 1 + count] = neighbour;
    list[base] = count + 1;
    return true;
  }
}
