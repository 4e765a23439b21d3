// A small seeded generator (mulberry32): index construction is reproducible from its seed and state.

export class SeededRandom {
  constructor(public state: number) {
    this.state = state >>> 0;
  }

  /** Uniform in (0, 1]: never 0, so -ln(x) is finite. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967296;
  }
}
